"""CSV for a French spreadsheet (';', UTF-8 with BOM, amounts '1234,56'): Ctrl+P on a list."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

# "15 805,51 €" as shown (thin or no-break spaces) -> "15805,51" for the spreadsheet to sum.
_AMOUNT = re.compile(r"-?[\d\s\u00a0\u202f]*\d,\d{2}(\s?€)?")


def cell(text: str) -> str:
    """An amount as a spreadsheet number; any other text as it is."""
    if _AMOUNT.fullmatch(text.strip()):
        return re.sub(r"[\s\u00a0\u202f€]", "", text)
    return text


def write_rows(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write the rows under their headers; returns how many rows were written."""
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(headers)
        for row in rows:
            out.writerow([cell(str(v)) for v in row])
            n += 1
    return n


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
