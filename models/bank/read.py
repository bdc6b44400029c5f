"""Which reader a bank statement file needs, told by its content (not its name)."""

from __future__ import annotations

from pathlib import Path

from models.bank.camt import looks_like_camt, parse_camt
from models.bank.csv import read_bank_csv
from models.bank.entries import BankStatement
from models.bank.ofx import looks_like_ofx, parse_ofx
from models.errors import InputError
from models.files import read_bytes


def read_statement(path: Path) -> BankStatement:
    """Read a CAMT.053, OFX or bank CSV/XLSX file; InputError (French, naming the file) else."""
    path = Path(path)
    data = read_bytes(path)
    if looks_like_camt(data):
        return parse_camt(data, path.name)
    if looks_like_ofx(data):
        return parse_ofx(data, path.name)
    if data.lstrip().startswith(b"<"):
        raise InputError(
            f"{path.name} : fichier XML qui n'est ni un relevé CAMT.053 ni un fichier OFX"
        )
    return read_bank_csv(path)
