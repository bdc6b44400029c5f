"""FROZEN copy of models/importing/read.py before the faster reading (issue 17), for the tests only.

The equivalence tests compare what it reads with what the application reads. Never change it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from models.errors import FieldError, InputError
from models.importing.files import open_source
from tests.models.importing.legacy_headers import (
    FIELD_LABELS,
    HEADER_ALIASES,
    REQUIRED_FIELDS,
    Cell,
    field_of,
    is_blank,
    is_total_label,
    read_amount,
    read_client,
    read_date,
    read_kind,
    read_paid,
    read_postal_code,
    read_text,
)

__all__ = ["HEADER_ALIASES", "ImportRow", "ParsedFile", "parse_csv_text", "parse_file"]

T = TypeVar("T")

HEADER_SEARCH_ROWS = 10  # a title or blank lines may sit above the header row
# A due date more than a year after the issue date is a typing slip (2205 for 2025): the law
# caps terms at 60 days (C. com. L441-10 I), so no real term comes near it.
MAX_TERM = timedelta(days=366)
_DELIMITERS = (";", "\t", ",")
_SEP_LINE = re.compile(r"sep=(.)\r?\n", re.IGNORECASE)  # Excel's hint line: "sep=;"


@dataclass(frozen=True)
class ImportRow:
    """One valid invoice line; amounts in euros (Decimal, two places), dates as `date`."""

    row: int  # line as the user sees it in a spreadsheet: header = 1, first data row = 2
    client: str
    number: str
    issue_date: date
    due_date: date | None
    amount_ttc: Decimal
    amount_ht: Decimal | None
    paid: bool | None
    amount_paid: Decimal | None
    payment_date: date | None
    kind: str | None  # "b2b", "b2c", or None when the file does not say
    email: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    order_number: str = ""
    subject: str = ""


@dataclass(frozen=True)
class ParsedFile:
    """A read file: the valid rows, one error per refused value, and how the file was read."""

    rows: list[ImportRow]
    errors: list[FieldError]  # field = header as written in the file, row = line number
    columns: dict[str, str]  # canonical field -> header text found in the file
    encoding: str  # "utf-8-sig", "utf-8", "utf-16", "cp1252", "xlsx", or "" for given text
    delimiter: str  # ";", ",", "\t", or "" for Excel
    # Lines that are not invoices (title, note, total, subtotal), each named with its reason.
    skipped: list[str] = field(default_factory=list)


def number_key(number: str) -> str:
    """The key invoice numbers are compared by: case and surrounding spaces ignored."""
    return number.strip().casefold()


def parse_file(path: Path) -> ParsedFile:
    """Read a CSV (UTF-8 or cp1252; `;`, `,` or tab) or XLSX file; InputError if unreadable."""
    source = open_source(path)
    if source.records is None:
        return _parse_text(source.text, source.name, source.encoding)
    records, name = source.records, source.name
    at = _locate_header(records)
    if at is None:
        if not any(_filled(record) for record in records):
            raise InputError(f"{name} : la première feuille du classeur est vide")
        raise _missing_columns(records, name)
    return _parse_table(records, at, name, "xlsx", "")


def parse_csv_text(text: str) -> ParsedFile:
    """Read CSV text already decoded (a paste, a test); InputError if it has no usable header."""
    return _parse_text(text, "texte collé", "")


def _parse_text(text: str, source: str, encoding: str) -> ParsedFile:
    """Split CSV text with the delimiter under which a header row is found, then read rows."""
    text = text.removeprefix("\ufeff")
    forced = _SEP_LINE.match(text)
    if forced:
        text = text[forced.end() :]
    lines = [line for line in text.splitlines() if line.strip(" \t;,")]
    if not lines:
        raise InputError(f"{source} : fichier vide")
    first = lines[0]
    candidates = [forced.group(1)] if forced else sorted(_DELIMITERS, key=first.count, reverse=True)
    for delimiter in candidates:
        records = _split(text, delimiter, source)
        at = _locate_header(records)
        if at is not None:
            return _parse_table(records, at, source, encoding, delimiter)
    raise _missing_columns(_split(text, candidates[0], source), source)


def _split(text: str, delimiter: str, source: str) -> Sequence[Sequence[Cell]]:
    """Split CSV text into records; quoted fields may hold delimiters and line breaks."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{source} : structure CSV illisible ({exc})") from None


def _header_text(cell: Cell) -> str:
    """Return a header cell as text, its spaces and line breaks collapsed."""
    return " ".join(read_text(cell).split()) if cell is not None else ""


def _locate_header(records: Sequence[Sequence[Cell]]) -> int | None:
    """Return the index of the first record naming every required column, among the first."""
    seen = 0
    for index, record in enumerate(records):
        if not _filled(record):
            continue
        fields = {field_of(_header_text(cell)) for cell in record}
        if fields.issuperset(REQUIRED_FIELDS):
            return index
        seen += 1
        if seen == HEADER_SEARCH_ROWS:
            break
    return None


def _missing_columns(records: Sequence[Sequence[Cell]], source: str) -> InputError:
    """Build the error for a file whose header lacks required columns, saying what it has."""
    firsts = [r for r in records if _filled(r)][:HEADER_SEARCH_ROWS]
    record = max(firsts, key=lambda r: len({field_of(_header_text(c)) for c in r} - {None}))
    found = [h for h in (_header_text(c) for c in record) if h]
    fields = {field_of(h) for h in found}
    missing = ", ".join(FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in fields)
    listed = ", ".join(f"« {h} »" for h in found) or "aucune"
    return InputError(
        f"{source} : colonnes obligatoires absentes : {missing} (colonnes trouvées : {listed})"
    )


def _column_map(record: Sequence[Cell], source: str) -> tuple[dict[str, int], dict[str, str]]:
    """Map each known field to its column index and header text; refuse a field seen twice."""
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    for col, cell in enumerate(record):
        header = _header_text(cell)
        field = field_of(header)
        if field is None:
            continue
        if field in headers:
            raise InputError(
                f"{source} : deux colonnes désignent la même donnée "
                f"(« {headers[field]} » et « {header} ») : gardez-en une seule"
            )
        index[field], headers[field] = col, header
    return index, headers


def _parse_table(
    records: Sequence[Sequence[Cell]], at: int, source: str, encoding: str, delimiter: str
) -> ParsedFile:
    """Check every data record below the header at index `at`; keep rows without errors."""
    index, headers = _column_map(records[at], source)
    order = {header: index[field] for field, header in headers.items()}
    titles = [_header_text(cell) for cell in records[at]]
    width = max(col for col, title in enumerate(titles) if title) + 1
    rows: list[ImportRow] = []
    errors: list[FieldError] = []
    skipped = [
        f"ligne {i + 1} ignorée : au-dessus de la ligne d'en-tête (« {_first_text(r)} »)"
        for i, r in enumerate(records[:at])
        if _filled(r)
    ]
    first_line: dict[str, int] = {}  # invoice number key -> line where it first appears
    for offset, record in enumerate(records[at + 1 :]):
        if not _filled(record):
            continue
        line = at + offset + 2
        reason = _not_an_invoice(record, index)
        if reason:
            skipped.append(f"ligne {line} ignorée : {reason}")
            continue
        reader = _RowReader(line, record, index, headers)
        row = reader.read()
        if delimiter and _filled(record[width:]):
            # A CSV line longer than its header is misread: often "1234,56" unquoted in a
            # comma-separated file, which would silently shift or truncate an amount.
            count = max(col for col, cell in enumerate(record) if not is_blank(cell)) + 1
            message = (
                f"la ligne a plus de cellules que l'en-tête ({count} au lieu de {width}) : "
                "un montant à virgule non entouré de guillemets ?"
            )
            reader.errors.append(FieldError(titles[width - 1], message, line))
            order.setdefault(titles[width - 1], width - 1)
            row = None
        number = reader.number
        if number:
            key = number_key(number)  # FZ-1 and "fz-1 " are one invoice
            if key in first_line:
                reader.fail(
                    "number",
                    f"numéro de facture « {number} » déjà présent ligne {first_line[key]}",
                )
                row = None
            else:
                first_line[key] = line
        errors.extend(sorted(reader.errors, key=lambda e: order[e.field]))
        if row is not None:
            rows.append(row)
    return ParsedFile(rows, errors, headers, encoding, delimiter, skipped)


def _cell(record: Sequence[Cell], index: dict[str, int], field_name: str) -> Cell:
    """The record's cell for a field, or None when the column is absent or the record short."""
    col = index.get(field_name)
    return record[col] if col is not None and col < len(record) else None


def _not_an_invoice(record: Sequence[Cell], index: dict[str, int]) -> str:
    """Why a record is not an invoice (a total, a line of sums, a note), or '' if it may be one.

    A record with an invoice number is always an invoice: its errors are reported, never skipped.
    """
    number = _cell(record, index, "number")
    if not is_blank(number) and not is_total_label(number):
        return ""
    undated = is_blank(_cell(record, index, "issue_date"))
    label = next((c for c in record if is_total_label(c)), None)
    if label is not None and (undated or is_blank(_cell(record, index, "client"))):
        # Dated "Total Energies" with no number stays a refused invoice row, not a total.
        return f"ligne de total (« {read_text(label)} »), pas une facture"
    if undated and is_blank(_cell(record, index, "client")):
        return "ni client, ni numéro, ni date : une ligne de sommes ou une note, pas une facture"
    if undated and is_blank(_cell(record, index, "amount_ttc")):
        return f"ni numéro, ni date, ni montant : une note (« {_first_text(record)} »)"
    return ""


def _first_text(record: Sequence[Cell]) -> str:
    """The first non-blank cell of a record as text, cut to 60 characters for a message."""
    text = next((read_text(c) for c in record if not is_blank(c)), "")
    return text if len(text) <= 60 else text[:59] + "…"


class _RowReader:
    """Read one data record field by field, gathering errors named by the file's headers."""

    def __init__(
        self, line: int, record: Sequence[Cell], index: dict[str, int], headers: dict[str, str]
    ) -> None:
        """Keep the record and where each field sits in it."""
        self.line, self.record, self.index, self.headers = line, record, index, headers
        self.errors: list[FieldError] = []
        self.number = ""

    def fail(self, field: str, message: str) -> None:
        """Record an error on `field` for this line."""
        self.errors.append(FieldError(self.headers[field], message, self.line))

    def get(self, field: str, convert: Callable[[Cell], T], *, required: bool = False) -> T | None:
        """Return the converted cell, or None if the column is absent, the cell blank or bad."""
        col = self.index.get(field)
        cell = self.record[col] if col is not None and col < len(self.record) else None
        if is_blank(cell):
            if required:
                self.fail(field, "valeur obligatoire manquante")
            return None
        try:
            return convert(cell)
        except ValueError as exc:
            self.fail(field, str(exc))
            return None

    def text(self, field: str) -> str:
        """Return an optional text cell, stripped, or ''."""
        return self.get(field, read_text) or ""

    def read(self) -> ImportRow | None:
        """Return the row if every value is valid, else None (the errors say why)."""
        client = self.get("client", read_client, required=True)
        number = self.get("number", read_text, required=True)
        self.number = number or ""
        issue = self.get("issue_date", read_date, required=True)
        due = self.get("due_date", read_date)
        ttc = self.get("amount_ttc", read_amount, required=True)
        amount_ht = self.get("amount_ht", read_amount)
        paid = self.get("paid", read_paid)
        amount_paid = self.get("amount_paid", read_amount)
        payment_date = self.get("payment_date", read_date)
        kind = self.get("kind", read_kind)
        if issue is not None and due is not None and due < issue:
            self.fail(
                "due_date",
                f"échéance ({due:%d/%m/%Y}) antérieure à la date de facture ({issue:%d/%m/%Y})",
            )
        elif issue is not None and due is not None and due - issue > MAX_TERM:
            self.fail(
                "due_date",
                f"échéance ({due:%d/%m/%Y}) plus d'un an après la date de facture "
                f"({issue:%d/%m/%Y}) : faute de frappe dans l'année ?",
            )
        texts = {f: self.text(f) for f in ("email", "address", "city", "order_number", "subject")}
        postal_code = self.get("postal_code", read_postal_code) or ""
        if self.errors or client is None or number is None or issue is None or ttc is None:
            return None
        return ImportRow(
            row=self.line,
            client=client,
            number=number,
            issue_date=issue,
            due_date=due,
            amount_ttc=ttc,
            amount_ht=amount_ht,
            paid=paid,
            amount_paid=amount_paid,
            payment_date=payment_date,
            kind=kind,
            postal_code=postal_code,
            **texts,
        )


def _filled(record: Sequence[Cell]) -> bool:
    """Tell whether a record has at least one non-blank cell."""
    return not all(is_blank(cell) for cell in record)
