"""The hand-over archive: the dossier PDF, each piece as its own file, CSVs of the claim.

For a lawyer, an agency or a commissaire de justice who wants the originals: the ZIP holds
`dossier.pdf`, `pieces/NN - name` (NN = the bordereau's number), `factures.csv` (one row per
invoice) and `decompte.csv` (one row per amount of the décompte). CSVs are UTF-8 with a BOM
and semicolons, as a French spreadsheet opens them. Written whole (models/files.py).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from models.files import atomic_write
from models.litigation.case import ClaimFile

BOM = "\ufeff"
# Already compressed: stored as they are (deflating a scan again costs time and saves nothing).
STORED = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".docx", ".xlsx", ".odt"})


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    return (BOM + buf.getvalue()).encode("utf-8")


def _amount(value: object) -> str:
    """'1234,56': a French spreadsheet reads it as a number."""
    return f"{value:.2f}".replace(".", ",")


def invoices_csv(claim: ClaimFile) -> bytes:
    """One row per invoice: dates, amounts, penalties, indemnity and what is claimed."""
    s = claim.statement
    rows = [
        [
            "facture",
            "date",
            "échéance",
            "montant TTC",
            "payé",
            "reste dû",
            "pénalités ou intérêts",
            "indemnité",
            "total réclamé",
        ]
    ]
    for x in s.lines:
        rows.append(
            [
                x.number,
                x.issue_date.isoformat(),
                x.due_date.isoformat(),
                _amount(x.amount),
                _amount(x.paid),
                _amount(x.balance),
                _amount(x.penalties),
                _amount(x.indemnity),
                _amount(s.line_total(x)),
            ]
        )
    rows.append(["total", "", "", "", "", _amount(s.principal), "", "", _amount(s.total)])
    return _csv(rows)


def decompte_csv(claim: ClaimFile) -> bytes:
    """The décompte as rows: each invoice's balance, penalty periods and indemnity."""
    rows = [["facture", "poste", "du", "au", "jours", "base", "taux %", "montant"]]
    for x in claim.statement.lines:
        rows.append([x.number, "principal restant dû", "", "", "", "", "", _amount(x.balance)])
        for p in x.periods:
            rows.append(
                [
                    x.number,
                    "intérêts au taux légal" if claim.b2c else "pénalités de retard",
                    p.start.isoformat(),
                    p.end.isoformat(),
                    str(p.days),
                    _amount(p.base),
                    _amount(p.rate),
                    _amount(p.amount),
                ]
            )
        if x.indemnity > 0:
            rows.append(
                [x.number, "indemnité forfaitaire", "", "", "", "", "", _amount(x.indemnity)]
            )
    rows.append(
        [
            "",
            f"total au {claim.as_of.isoformat()}",
            "",
            "",
            "",
            "",
            "",
            _amount(claim.statement.total),
        ]
    )
    return _csv(rows)


def piece_name(number: int, title: str, suffix: str) -> str:
    """'03 - Bon de livraison.pdf': the bordereau's number, a file-safe title, the suffix."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", title).strip(" .") or "piece"
    if not safe.lower().endswith(suffix.lower()):
        safe += suffix
    return f"{number:02d} - {safe[:120]}"


def build_zip(claim: ClaimFile, dossier_pdf: Path, out: Path) -> Path:
    """Write the hand-over ZIP at `out`, whole or not at all."""

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(dossier_pdf, "dossier.pdf", compress_type=zipfile.ZIP_STORED)
            for number, p in enumerate(claim.pieces, start=1):
                kind = zipfile.ZIP_STORED if p.path.suffix.lower() in STORED else None
                name = f"pieces/{piece_name(number, p.title, p.path.suffix)}"
                zf.write(p.path, name, compress_type=kind)
            zf.writestr("factures.csv", invoices_csv(claim))
            zf.writestr("decompte.csv", decompte_csv(claim))

    return atomic_write(out, write)
