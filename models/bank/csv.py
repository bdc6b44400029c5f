"""Bank CSV in: the statement a bank's website exports, French dates and amounts.

Columns are recognised like the spreadsheet import's (models/importing/headers.py: case,
accents and small words ignored, whole headers only): a date, a libellé, and either credit and
debit columns or one signed amount. The payer's name is its own column when the bank gives
one, else read from the libellé ("VIR SEPA RECU /DE SARL DUPONT /MOTIF ...").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from models.bank.entries import (
    BankStatement,
    StatementEntry,
    amount_cents,
    compact_account,
)
from models.errors import InputError
from models.importing.files import open_source
from models.importing.headers import Cell, header_key, is_blank, read_date, read_text

# Canonical field -> headers banks use for it (compared with header_key).
BANK_HEADERS: dict[str, tuple[str, ...]] = {
    "date": (
        "Date",
        "Date opération",
        "Date d'opération",
        "Date de l'opération",
        "Date comptable",
        "Date de comptabilisation",
        "Date op",
        "dateOp",
        "Booking date",
    ),
    "value_date": ("Date de valeur", "Date valeur", "dateVal", "Value date"),
    "label": (
        "Libellé",
        "Libellé opération",
        "Libellé de l'opération",
        "Libellé court",
        "Libellé simplifié",
        "Description",
        "label",
    ),
    "detail": (
        "Détail",
        "Détail de l'écriture",
        "Libellé complet",
        "Informations complémentaires",
        "Motif",
        "Référence du virement",
    ),
    "credit": ("Crédit", "Crédit euros", "Montant crédit", "Recette", "Credit"),
    "debit": ("Débit", "Débit euros", "Montant débit", "Dépense", "Debit"),
    "amount": (
        "Montant",
        "Montant opération",
        "Montant de l'opération",
        "Montant euros",
        "amount",
    ),
    "debtor": ("Tiers", "Contrepartie", "Nom du tiers", "Émetteur", "Donneur d'ordre"),
    "reference": ("Référence banque", "Référence opération", "Numéro d'opération", "Réf. banque"),
    "account": ("Compte", "IBAN", "N° de compte", "Numéro de compte", "accountNum"),
}
_INDEX = {header_key(h): f for f, names in BANK_HEADERS.items() for h in names}
HEADER_SEARCH_ROWS = 12  # banks put the account, the period and the balance above the header
_DELIMITERS = (";", "\t", ",")
# "VIR SEPA RECU /DE SARL DUPONT /MOTIF FACT 12 /REF 3": the payer after /DE, up to the next /.
_FROM_SLASH = re.compile(r"/\s*DE[:\s]\s*([^/]+)", re.IGNORECASE)
# "VIREMENT RECU DE SARL DUPONT", "VIR INST DE M. DUPONT": after DE, up to a keyword or the end.
_FROM_WORD = re.compile(
    r"^\s*VIR(?:EMENT)?\b[\w\s.]*?\bDE[:\s]\s*(.+?)(?=\s+(?:MOTIF|REF|REFERENCE|LIB|ID)\b|/|$)",
    re.IGNORECASE,
)


def field_of(header: str) -> str | None:
    """The bank column a header names, or None for one Relance ignores."""
    return _INDEX.get(header_key(header))


def read_bank_csv(path: Path) -> BankStatement:
    """Read a bank CSV (or XLSX) export; InputError (French: file, line, column) otherwise."""
    source = open_source(path)
    name = source.name
    if source.records is not None:
        return _parse(source.records, name)
    text = source.text.removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip(" \t;,")), "")
    for delimiter in sorted(_DELIMITERS, key=first.count, reverse=True):
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise InputError(f"{name} : structure CSV illisible ({exc})") from None
        if _locate_header(records) is not None:
            return _parse(records, name)
    raise InputError(
        f"{name} : colonnes d'un relevé non reconnues : il faut une date, un libellé et un "
        "montant (ou des colonnes Crédit et Débit)"
    )


def _locate_header(records: Sequence[Sequence[Cell]]) -> int | None:
    """The index of the header row: a date, a libellé and an amount or a credit column."""
    for index, record in enumerate(records[: HEADER_SEARCH_ROWS * 3]):
        fields = {field_of(read_text(c)) for c in record if not is_blank(c)}
        if {"date", "label"} <= fields and fields & {"amount", "credit"}:
            return index
    return None


def _parse(records: Sequence[Sequence[Cell]], name: str) -> BankStatement:
    at = _locate_header(records)
    if at is None:
        raise InputError(
            f"{name} : colonnes d'un relevé non reconnues : il faut une date, un libellé et un "
            "montant (ou des colonnes Crédit et Débit)"
        )
    columns: dict[str, int] = {}
    for col, head in enumerate(records[at]):
        field = field_of(read_text(head)) if not is_blank(head) else None
        if field is not None and field not in columns:
            columns[field] = col
    entries: list[StatementEntry] = []
    ignored: list[str] = []
    for index in range(at + 1, len(records)):
        record = records[index]
        line = index + 1

        def cell(field: str, record: Sequence[Cell] = record) -> Cell:
            col = columns.get(field)
            return record[col] if col is not None and col < len(record) else None

        if all(is_blank(c) for c in record):
            continue
        where = f"ligne {line}"
        if is_blank(cell("date")):
            ignored.append(f"{where} : sans date (solde ou total)")
            continue
        try:
            booked = read_date(cell("date"))
        except ValueError as exc:
            raise InputError(f"{name} : {where}, date : {exc}") from None
        cents = _signed_cents(cell, name, where)
        if cents == 0:
            continue
        label = " ".join(read_text(cell("label")).split())
        detail = " ".join(read_text(cell("detail")).split()) if "detail" in columns else ""
        text = " ".join(p for p in (label, detail) if p)
        debtor = " ".join(read_text(cell("debtor")).split()) if "debtor" in columns else ""
        entries.append(
            StatementEntry(
                account=compact_account(read_text(cell("account"))),
                booking_date=booked,
                amount_cents=abs(cents),
                credit=cents > 0,
                debtor=debtor or payer_in(text),
                text=text,
                bank_reference=read_text(cell("reference")),
                where=where,
            )
        )
    return BankStatement(name, "CSV", tuple(entries), tuple(ignored))


def _signed_cents(get: Callable[[str], Cell], name: str, where: str) -> int:
    """Cents, positive for a credit: the credit column less the debit one, or the amount."""
    total = 0
    seen = False
    for field, sign in (("credit", 1), ("debit", -1), ("amount", 1)):
        value = get(field)
        if is_blank(value):
            continue
        if field == "amount" and seen:
            continue
        seen = True
        cents = _cents(value, name, f"{where}, {field_label(field)}")
        # A debit column holds either "120,00" or "-120,00": both are money going out.
        total += abs(cents) * sign if field != "amount" else cents
    if not seen:
        raise InputError(f"{name} : {where} : ni montant, ni crédit, ni débit")
    return total


def _cents(value: Cell, name: str, where: str) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return amount_cents(repr(value) if isinstance(value, float) else str(value), name, where)
    return amount_cents(read_text(value), name, where)


def field_label(field: str) -> str:
    """The French word for a bank column in messages."""
    return {"credit": "crédit", "debit": "débit", "amount": "montant"}.get(field, field)


def payer_in(text: str) -> str:
    """The payer's name a French bank puts in a transfer's libellé, "" when none is found."""
    found = _FROM_SLASH.search(text) or _FROM_WORD.search(text)
    return " ".join(found[1].split()) if found else ""
