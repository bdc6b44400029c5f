"""Lists for a French spreadsheet: CSV (';', UTF-8 with BOM, amounts '1234,56') or XLSX.

Ctrl+P on a list. A cell a spreadsheet would run as a formula is written as text (OWASP "CSV
injection"): a client named `=HYPERLINK(...)` must not become a live link. Files are written
whole (models/files.py): a full disk leaves no half-written export.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

from models.files import atomic_write

# "15 805,51 €" as shown (thin or no-break spaces) -> "15805,51" for the spreadsheet to sum.
_AMOUNT = re.compile(r"-?[\d\s\u00a0\u202f]*\d,\d{2}(\s?€)?")
# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_amount(text: str) -> bool:
    """True for an amount as the lists show it ('-1 200,00 €')."""
    return bool(_AMOUNT.fullmatch(text.strip()))


def amount_text(text: str) -> str:
    """'-1 200,00 €' -> '-1200,00'."""
    return re.sub(r"[\s\u00a0\u202f€]", "", text)


def neutral(text: str) -> str:
    """Text a spreadsheet would run as a formula, prefixed with ' so it stays plain text."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cell(text: str) -> str:
    """An amount as a spreadsheet number; any other text as it is, formulas made harmless."""
    if is_amount(text):
        return amount_text(text)
    return neutral(text)


def write_rows(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write the rows under their headers (XLSX when the name ends in .xlsx); the row count."""
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(path, headers, rows)
    written = 0

    def write(tmp: Path) -> None:
        nonlocal written
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh, delimiter=";")
            out.writerow([neutral(str(h)) for h in headers])
            for row in rows:
                out.writerow([cell(str(v)) for v in row])
                written += 1

    atomic_write(path, write)
    return written


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """An XLSX workbook: amounts as numbers, every other cell a string cell (never a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    written = 0
    for r, values in enumerate([list(headers), *rows], start=1):
        for c, value in enumerate(values, start=1):
            text = str(value)
            target = sheet.cell(row=r, column=c)
            if r > 1 and is_amount(text):
                target.value = Decimal(amount_text(text).replace(",", "."))
                target.number_format = "#,##0.00"
            else:
                # openpyxl takes a string starting with '=' for a formula: say it is a string.
                target.value = text
                target.data_type = "s"
        written += r > 1
    atomic_write(path, lambda tmp: book.save(tmp))
    return written


def write_model(path: Path, model: QAbstractItemModel) -> int:
    """A flat model as shown (filtered and sorted when it is a proxy)."""
    columns = range(model.columnCount())
    display = Qt.ItemDataRole.DisplayRole
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal, display) or "") for c in columns]
    rows = (
        [str(model.index(r, c, QModelIndex()).data(display) or "") for c in columns]
        for r in range(model.rowCount())
    )
    return write_rows(path, headers, rows)
