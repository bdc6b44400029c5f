"""Spreadsheet import, parsing half: a CSV or workbook of invoices -> checked rows and errors.

Accepted column headers are listed in `HEADER_ALIASES` (models/importing/headers.py) and, for
users, in docs/import.md. Required columns: client, invoice number, issue date, amount incl. tax.
Nothing here touches the database: the ledger decides what to do with `ParsedFile`.
"""

from __future__ import annotations

import csv
import dataclasses
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
from models.importing.headers import (
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


@dataclass(slots=True)
class ImportRow:
    """One valid invoice line; amounts in euros (Decimal, two places), dates as `date`.

    Never changed once read. Not frozen: a frozen dataclass sets each field through
    object.__setattr__, which made building 100,000 of them a third of reading a file.
    """

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
    # "utf-8-sig", "utf-8", "utf-16", "cp1252"; a workbook's format ("xlsx", "xls", "xlsb",
    # "ods"); or "" for given text
    encoding: str
    delimiter: str  # ";", ",", "\t", or "" for Excel
    # Lines that are not invoices (title, note, total, subtotal), each named with its reason.
    skipped: list[str] = field(default_factory=list)


def number_key(number: str) -> str:
    """The key invoice numbers are compared by: case and surrounding spaces ignored."""
    return number.strip().casefold()


# Told now and then while a file is read: ("read", lines read, lines in all); it may raise to stop.
Progress = Callable[[str, int, int], None]
PROGRESS_STEP = 2000  # lines between two reports


def parse_file(path: Path, progress: Progress | None = None) -> ParsedFile:
    """Read a CSV (UTF-8 or cp1252; `;`, `,` or tab) or a workbook (.xlsx, .xlsb, .xls, .ods).

    InputError if unreadable.
    """
    source = open_source(path)
    if source.records is None:
        return _parse_text(source.text, source.name, source.encoding, progress)
    records, name = source.records, source.name
    at = _locate_header(records)
    if at is None:
        if not any(_filled(record) for record in records):
            raise InputError(f"{name} : la première feuille du classeur est vide")
        raise _missing_columns(records, name)
    return _parse_table(records, at, name, source.encoding, "", progress)


def parse_csv_text(text: str) -> ParsedFile:
    """Read CSV text already decoded (a paste, a test); InputError if it has no usable header."""
    return _parse_text(text, "texte collé", "")


def _parse_text(
    text: str, source: str, encoding: str, progress: Progress | None = None
) -> ParsedFile:
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
            return _parse_table(records, at, source, encoding, delimiter, progress)
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
    records: Sequence[Sequence[Cell]],
    at: int,
    source: str,
    encoding: str,
    delimiter: str,
    progress: Progress | None = None,
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
    seen: dict[str, dict[str, _Outcome]] = {}  # field -> cell text -> what it reads as
    fast = _FastReader(index, seen)
    number_col = index["number"]
    total = len(records) - at - 1
    for offset, record in enumerate(records[at + 1 :]):
        if progress is not None and offset % PROGRESS_STEP == 0:
            progress("read", offset, total)
        number = record[number_col] if number_col < len(record) else None
        if is_blank(number) and not _filled(record):  # a number alone fills the line
            continue
        line = at + offset + 2
        if (is_blank(number) or is_total_label(number)) and (
            reason := _not_an_invoice(record, index)  # a line with a number is an invoice
        ):
            skipped.append(f"ligne {line} ignorée : {reason}")
            continue
        if not (delimiter and len(record) > width and _filled(record[width:])):
            row = fast.read(line, record)
            if row is not None and (key := number_key(row.number)) not in first_line:
                first_line[key] = line
                rows.append(row)
                continue
        # Something is wrong with the line: read it again field by field, naming every error.
        reader = _RowReader(line, record, index, headers, seen)
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
    if progress is not None:
        progress("read", total, total)
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


# A cell read once per file: (True, value) or (True, _BLANK) or (False, the error's text).
_Outcome = tuple[bool, object]
_BLANK = object()
# Fields whose text repeats down a file (clients, dates, yes/no...): each distinct text is
# converted once. The invoice number, different on every line, is not worth remembering.
_UNCACHED = frozenset({"number"})


def _convert(cell: Cell, convert: Callable[[Cell], object]) -> _Outcome:
    """Convert a cell: blank, its value, or the French reason it is refused."""
    if is_blank(cell):
        return True, _BLANK
    try:
        return True, convert(cell)
    except ValueError as exc:
        return False, str(exc)


# How each field's cell is read (the field by field reader and the fast one share it).
_CONVERTERS: dict[str, Callable[[Cell], object]] = {
    "client": read_client,
    "number": read_text,
    "issue_date": read_date,
    "due_date": read_date,
    "amount_ttc": read_amount,
    "amount_ht": read_amount,
    "paid": read_paid,
    "amount_paid": read_amount,
    "payment_date": read_date,
    "kind": read_kind,
    "email": read_text,
    "address": read_text,
    "city": read_text,
    "order_number": read_text,
    "subject": read_text,
    "postal_code": read_postal_code,
}


# Where each field sits among ImportRow's (positional building is the fast one), and a row
# with nothing given: None, or "" for the texts.
_POSITION = {f.name: i for i, f in enumerate(dataclasses.fields(ImportRow))}
_TEMPLATE: list[object] = ["" if f.default == "" else None for f in dataclasses.fields(ImportRow)]


class _FastReader:
    """The usual line, every value valid, read in one pass over the file's columns only.

    It gives up (None) at the first thing wrong; the line is then read again by `_RowReader`,
    which names every error: both give the same row for a valid line.
    """

    def __init__(self, index: dict[str, int], seen: dict[str, dict[str, _Outcome]]) -> None:
        """Prepare, for each column the file has, its place in a row, reader, remembered cells."""
        self.number_col = index["number"]
        self.columns = [
            (_POSITION[field], col, _CONVERTERS[field], seen.setdefault(field, {}))
            for field, col in index.items()
            if field != "number"
        ]

    def read(self, line: int, record: Sequence[Cell]) -> ImportRow | None:
        """The line as a row, or None when any value is missing, refused or inconsistent."""
        args = _TEMPLATE.copy()  # ImportRow's fields in order, each "not given"
        args[0] = line
        size = len(record)
        for position, col, convert, cache in self.columns:
            cell = record[col] if col < size else None
            if type(cell) is str:  # 1 == 1.0 == True: only text is remembered
                outcome = cache.get(cell)
                if outcome is None:
                    outcome = cache[cell] = _convert(cell, convert)
            else:
                outcome = _convert(cell, convert)
            ok, value = outcome
            if not ok:
                return None
            if value is not _BLANK:
                args[position] = value
        cell = record[self.number_col] if self.number_col < size else None
        number = cell.strip() if type(cell) is str else _convert(cell, read_text)[1]
        if not number or number is _BLANK:
            return None  # missing, or not text: the field by field reader says what
        args[2] = number
        _line, client, _number, issue, due, ttc = args[:6]
        if client is None or issue is None or ttc is None:
            return None
        if due is not None and (due < issue or due - issue > MAX_TERM):  # type: ignore[operator]
            return None
        return ImportRow(*args)  # type: ignore[arg-type]


class _RowReader:
    """Read one data record field by field, gathering errors named by the file's headers."""

    def __init__(
        self,
        line: int,
        record: Sequence[Cell],
        index: dict[str, int],
        headers: dict[str, str],
        seen: dict[str, dict[str, _Outcome]] | None = None,
    ) -> None:
        """Keep the record, where each field sits in it, and the cells already converted."""
        self.line, self.record, self.index, self.headers = line, record, index, headers
        self.seen = seen if seen is not None else {}
        self.errors: list[FieldError] = []
        self.number = ""

    def fail(self, field: str, message: str) -> None:
        """Record an error on `field` for this line."""
        self.errors.append(FieldError(self.headers[field], message, self.line))

    def get(self, field: str, convert: Callable[[Cell], T], *, required: bool = False) -> T | None:
        """Return the converted cell, or None if the column is absent, the cell blank or bad."""
        col = self.index.get(field)
        if col is None or col >= len(self.record):
            outcome: _Outcome = (True, _BLANK)
        else:
            cell = self.record[col]
            if type(cell) is str and field not in _UNCACHED:  # 1 == 1.0 == True: text only
                cache = self.seen.setdefault(field, {})
                found = cache.get(cell)
                if found is None:
                    found = cache[cell] = _convert(cell, convert)
                outcome = found
            else:
                outcome = _convert(cell, convert)
        ok, value = outcome
        if not ok:
            self.fail(field, str(value))
            return None
        if value is _BLANK:
            if required:
                self.fail(field, "valeur obligatoire manquante")
            return None
        return value  # type: ignore[return-value]  # what `convert` gave for this field

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
    """Tell whether a record has at least one non-blank cell (`is_blank`, unrolled: hot)."""
    if type(record) is list:  # a CSV line: text only, blank when all of it is spaces
        try:
            return bool("".join(record).strip())
        except TypeError:
            pass
    return any(cell is not None and (type(cell) is not str or cell.strip()) for cell in record)
