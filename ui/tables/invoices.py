"""The invoice table: a thin Qt model over the rows kept by column (`InvoiceIndex`).

Filtering and sorting 100,000 rows must take under 50 ms (DESIGN.md): a proxy model's per-row
Python callback is too slow, so the model shows the index's cached sorted permutation through
its filter mask; the French text of a cell is made here, when the cell is painted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from models.law.stages import STAGES
from models.money import format_eur
from models.todo import StageRow
from ui.colours import stage_background, stage_foreground
from ui.csv_export import write_rows
from ui.ops import tr
from ui.tables.invoice_index import (
    COL_BALANCE,
    COL_CLIENT,
    COL_DATE,
    COL_DUE,
    COL_LATE,
    COL_NEXT,
    COL_NUMBER,
    COL_STAGE,
    COL_TOTAL,
    NO_LATENESS,
    Filters,
    InvoiceIndex,
    day_text,
)

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole  # raw values: int cents, date, int days
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the invoice id, on every cell

HEADERS = (
    "Client",
    "N°",
    "Date",
    "Échéance",
    "Montant TTC",
    "Solde",
    "Retard (j)",
    "Étape",
    "Prochaine action",
)
NUMERIC = frozenset({COL_TOTAL, COL_BALANCE, COL_LATE})
# Roles as plain ints (compared on every painted cell), and the only ones `data` answers.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ROLES = frozenset(
    {
        _DISPLAY,
        _BACKGROUND,
        _FOREGROUND,
        _ALIGNMENT,
        int(Qt.ItemDataRole.ToolTipRole),
        int(SORT_ROLE),
        int(ID_ROLE),
    }
)
# An archived invoice is shown greyed (the "Archivées" filter), never in a stage colour.
ARCHIVED_FOREGROUND = QColor("#8a8a8a")


def is_late(row: StageRow) -> bool:
    """Past due with something still owed (not written off)."""
    return row.days_late > 0 and row.balance_cents > 0 and row.stage not in NO_LATENESS


def next_action_text(row: StageRow) -> str:
    """'Relance 2 — 22/03/2026', or '' when nothing is planned."""
    if not row.next_action_label:
        return ""
    label = tr(row.next_action_label)
    return f"{label} — {row.next_action_on:%d/%m/%Y}" if row.next_action_on else label


def barred_tip(row: StageRow) -> str:
    """'Prescrite depuis le 16/12/2025' or 'Prescription le 15/12/2025' (C. civ. 2219)."""
    if row.prescription_on is None:
        return ""
    if row.time_barred:
        day = row.prescription_on + dt.timedelta(days=1)
        return tr("Créance prescrite depuis le {d}").format(d=f"{day:%d/%m/%Y}")
    return tr("Prescription le {d}").format(d=f"{row.prescription_on:%d/%m/%Y}")


def cell_of(x: InvoiceIndex, i: int, col: int) -> str:
    """The French text shown in a cell (the same as `cell_text` of the row)."""
    if col == COL_CLIENT:
        return x.names[x.slots[i]]
    if col == COL_NUMBER:
        return x.numbers[i]
    if col == COL_DATE:
        return day_text(x.issue[i])
    if col == COL_DUE:
        return day_text(x.due[i])
    if col == COL_TOTAL:
        return format_eur(x.total[i], cents=True)
    if col == COL_BALANCE:
        return format_eur(x.balance[i], cents=True)
    if col == COL_LATE:
        return str(x.days_late[i]) if x.is_late(i) else ""
    if col == COL_STAGE:
        stage = x.stage(i)
        info = STAGES.get(stage)
        label = tr(info.label) if info else stage
        return label + tr(" · prescrite") if x.barred[i] else label
    label = x.texts[x.next_labels[i]]
    if not label:
        return ""
    label = tr(label)
    on = x.next_on[i]
    return f"{label} — {day_text(on)}" if on else label


def tip_of(x: InvoiceIndex, i: int, col: int) -> str | None:
    """The whole client name with the subject, the subject, the stage's prescription."""
    subject = x.subject_texts[x.subjects[i]]
    if col == COL_CLIENT:  # the whole name when the column cuts it (issue 14)
        return x.names[x.slots[i]] + (f" — {subject}" if subject else "")
    if col == COL_NUMBER:
        return subject or None
    if col in (COL_NEXT, COL_STAGE):
        if col == COL_STAGE and x.prescription[i]:
            return barred_tip(x.row(i))
        return cell_of(x, i, col) or None
    return None


class InvoiceTableModel(QAbstractTableModel):
    """Invoices with their stage as of a date: French text, raw sort values, stage colours."""

    COL_CLIENT = COL_CLIENT
    COL_NUMBER = COL_NUMBER
    COL_DATE = COL_DATE
    COL_DUE = COL_DUE
    COL_TOTAL = COL_TOTAL
    COL_BALANCE = COL_BALANCE
    COL_LATE = COL_LATE
    COL_STAGE = COL_STAGE
    COL_NEXT = COL_NEXT

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.index_data = InvoiceIndex([], dt.date.today())
        self.filters = Filters()
        self.sort_column = COL_CLIENT
        self.descending = False
        self._visible: list[int] = []
        self._owed = 0
        self._headers = [tr(h) for h in HEADERS]

    # -- data in -----------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[StageRow], as_of: dt.date | None = None) -> None:
        """Show these rows (filters and sort order are kept); `as_of` dates 'to do today'."""
        self.set_index(InvoiceIndex(rows, as_of or dt.date.today()))

    def set_index(self, index: InvoiceIndex) -> None:
        """Show an index already built (by the background loader)."""
        self.beginResetModel()
        self.index_data = index
        self._visible, self._owed = index.select(self.filters, self.sort_column, self.descending)
        self.endResetModel()

    def set_filters(self, filters: Filters) -> None:
        """Keep only the rows passing `filters`."""
        self.filters = filters
        self._refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on the column's raw values (cached permutation, then the filter)."""
        if not 0 <= column < len(HEADERS):
            return
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._visible, self._owed = self.index_data.select(
            self.filters, self.sort_column, self.descending
        )
        self.endResetModel()

    # -- data out ----------------------------------------------------------------------------
    def total_count(self) -> int:
        """How many rows are loaded, shown or not (archived ones under "Archivées" only)."""
        archived = self.index_data.archived.count(1)
        return archived if self.filters.archived else self.index_data.count - archived

    def row_at(self, row: int) -> StageRow:
        """The stage row shown at a table row (made from the columns)."""
        return self.index_data.row(self._visible[row])

    def visible_rows(self) -> list[StageRow]:
        """The rows shown, in their order."""
        row = self.index_data.row
        return [row(i) for i in self._visible]

    def visible_texts(self) -> Iterable[list[str]]:
        """The cells' French text of the rows shown, row by row (export, printing)."""
        x, columns = self.index_data, range(len(HEADERS))
        return ([cell_of(x, i, col) for col in columns] for i in self._visible)

    def owed_cents(self) -> int:
        """What the shown rows still owe (credits and written-off invoices left out)."""
        return self._owed

    def row_of(self, invoice_id: int) -> int:
        """The table row showing an invoice, -1 when it is filtered out or unknown."""
        pos = self.index_data.position(invoice_id)
        if pos is None:
            return -1
        try:
            return self._visible.index(pos)
        except ValueError:
            return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows shown (none under a parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """The nine columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """French column titles; amounts right-aligned."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, raw sort value, stage colours, alignment and the invoice id.

        Called for every role of every painted cell (about 1,600 times a repaint): the roles
        this model never answers (decoration, font, check state...) return at once.
        """
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if row >= len(self._visible):
            return None
        x, i, col = self.index_data, self._visible[row], index.column()
        if role == _DISPLAY:
            return cell_of(x, i, col)
        if role == _BACKGROUND:
            return None if x.archived[i] else stage_background(x.stage(i))
        if role == _FOREGROUND:
            return ARCHIVED_FOREGROUND if x.archived[i] else stage_foreground(x.stage(i))
        if role == _ALIGNMENT:
            return _RIGHT if col in NUMERIC else None
        if role == SORT_ROLE:
            return x.sort_value(i, col)
        if role == ID_ROLE:
            return x.ids[i]
        return tip_of(x, i, col)  # the tool tip: the last role answered

    def cell_text(self, r: StageRow, col: int) -> str:
        """The French text shown in a cell of a row."""
        return cell_text(r, col)


def cell_text(r: StageRow, col: int) -> str:
    """The French text shown in a cell of a row (what `InvoiceIndex.text` shows)."""
    if col == COL_CLIENT:
        return r.client
    if col == COL_NUMBER:
        return r.invoice
    if col == COL_DATE:
        return f"{r.issue_date:%d/%m/%Y}"
    if col == COL_DUE:
        return f"{r.due:%d/%m/%Y}"
    if col == COL_TOTAL:
        return format_eur(r.total_cents, cents=True)
    if col == COL_BALANCE:
        return format_eur(r.balance_cents, cents=True)
    if col == COL_LATE:
        return str(r.days_late) if is_late(r) else ""
    if col == COL_STAGE:
        info = STAGES.get(r.stage)
        label = tr(info.label) if info else r.stage
        return label + tr(" · prescrite") if r.time_barred else label
    return next_action_text(r)


def write_csv(path: Path, model: InvoiceTableModel) -> int:
    """The model's visible rows as a CSV for a French spreadsheet (';', amounts '1234,56')."""
    return write_rows(path, model._headers, model.visible_texts())
