"""FROZEN copy of ui/tables/invoices.py before the columnar rows (issue 17), for the tests only.

The equivalence tests run its model beside the columnar one on the same rows and compare every
role of every cell, the orders, the filters and the CSV bytes. Never change it: it is the reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from operator import and_
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from models.collation import sort_key as name_key
from models.law.stages import STAGES
from models.money import format_eur
from models.todo import StageRow
from ui.colours import stage_background, stage_foreground
from ui.csv_export import write_rows
from ui.ops import tr

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole  # raw values: int cents, date, int days
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the invoice id, on every cell

(
    COL_CLIENT,
    COL_NUMBER,
    COL_DATE,
    COL_DUE,
    COL_TOTAL,
    COL_BALANCE,
    COL_LATE,
    COL_STAGE,
    COL_NEXT,
) = range(9)
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
NO_LATENESS = frozenset({"paid", "written_off"})  # no "days late" shown for these
UNPAID = "unpaid"  # stage filter: every stage but paid and written off
FAR_FUTURE = dt.date.max


def fold(text: str) -> str:
    """Lower case without accents, for searching ('Écume' matches 'ecume') and sorting names
    the French way (models.collation: 'Dupont, Éric' < 'Durand' < 'Zola')."""
    return name_key(text)


def search_keys(rows: Sequence[StageRow]) -> list[str]:
    """Each row's folded "client<TAB>number<TAB>subject": what the search looks in.

    The same text as folding the whole line, made from the parts, each distinct client name
    and subject folded once (10,000 clients and a few subjects for 100,000 rows).
    """
    names: dict[str, str] = {}
    subjects: dict[str, str] = {}
    keys = []
    for r in rows:
        name = names.get(r.client)
        if name is None:
            name = names[r.client] = fold(r.client)
        subject = subjects.get(r.subject)
        if subject is None:
            subject = subjects[r.subject] = fold(r.subject)
        number = r.invoice.casefold() if r.invoice.isascii() else fold(r.invoice)
        keys.append(f"{name}\t{number}\t{subject}")
    return keys


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


def sort_key(column: int) -> Callable[[StageRow], Any]:
    """The raw value a column sorts on (the same value SORT_ROLE returns)."""
    keys: dict[int, Callable[[StageRow], Any]] = {
        COL_CLIENT: lambda r: fold(r.client),
        COL_NUMBER: lambda r: r.invoice,
        COL_DATE: lambda r: r.issue_date,
        COL_DUE: lambda r: r.due,
        COL_TOTAL: lambda r: r.total_cents,
        COL_BALANCE: lambda r: r.balance_cents,
        COL_LATE: lambda r: r.days_late,
        COL_STAGE: lambda r: STAGES[r.stage].rank if r.stage in STAGES else 0,
        COL_NEXT: lambda r: r.next_action_on or FAR_FUTURE,
    }
    return keys[column]


@dataclass(frozen=True)
class Filters:
    """What the user chose to see: search words, stage, client type, lateness, today's to-do."""

    text: str = ""
    stage: str = ""  # a stage code, UNPAID for all open ones, "" for all
    kind: str = ""  # "b2b", "b2c" or "" for both
    overdue_only: bool = False
    todo_today: bool = False  # next action on or before the as-of date
    client_id: int | None = None  # drill-down from the aged balance
    archived: bool = False  # the archived invoices only (greyed), to look at or restore


class InvoiceIndex:
    """The rows of one load with their search strings and cached sort orders (no Qt inside).

    Built off the interface thread when the database is a file, so that 100,000 rows never
    block the window. Filters are computed as masks over the rows in load order (memory read in
    sequence: 5 ms per word on 100,000 rows), then applied to the cached sorted order.
    """

    def __init__(self, rows: Sequence[StageRow], as_of: dt.date) -> None:
        self.rows = list(rows)  # load order: read in sequence, memory stays local
        self.as_of = as_of
        self.keys = search_keys(self.rows)
        self.stages = [r.stage for r in self.rows]
        self.client_ids = [r.client_id for r in self.rows]
        self.b2c = [r.b2c for r in self.rows]
        self.late = [is_late(r) for r in self.rows]
        self.todo = [
            r.next_action_on is not None and r.next_action_on <= as_of and r.balance_cents > 0
            for r in self.rows
        ]
        # What each row still owes, for the total under the table (credits, losses: 0).
        self.owed = [
            r.balance_cents if r.balance_cents > 0 and r.stage != "written_off" else 0
            for r in self.rows
        ]
        self.archived = [r.archived for r in self.rows]
        self.any_archived = any(self.archived)
        self.owed_total = sum(self.owed)
        self._orders: dict[int, list[int]] = {}
        # The last search (folded text, positions of the rows it found): typing one more
        # letter only looks among those rows.
        self._last_search: tuple[str, list[int], list[bool]] = ("", [], [])

    @cached_property
    def position(self) -> dict[int, int]:
        """Invoice id -> row position (built on first use: the first fill does not need it)."""
        return {r.invoice_id: i for i, r in enumerate(self.rows)}

    def search_mask(self, text: str) -> list[bool] | None:
        """For each row (load order), whether it holds every word of `text`; None without words.

        When the folded text extends the last one searched, each of its words contains one of
        the last words, so only the rows found last time can match: they alone are looked at.
        """
        folded = fold(text)
        words = folded.split()
        if not words:
            return None
        keys = self.keys
        last, found, mask = self._last_search
        if folded == last:
            return mask
        if last.split() and folded.startswith(last):
            hits = found
        else:  # one pass over every row, in sequence
            mask = [words[0] in k for k in keys]
            hits = list(compress(range(len(keys)), mask))
            words = words[1:]
        if words or hits is found:
            for word in words:
                hits = [i for i in hits if word in keys[i]]
            mask = [False] * len(keys)
            for i in hits:
                mask[i] = True
        self._last_search = (folded, hits, mask)
        return mask

    def order(self, column: int) -> list[int]:
        """Row positions sorted ascending on `column` (computed once per load)."""
        found = self._orders.get(column)
        if found is None:
            if column == COL_CLIENT:  # search strings: folded client, then number (the ties)
                values: list[Any] = self.keys
            else:
                key = sort_key(column)
                values = [key(r) for r in self.rows]
            # Sorting the date order (stable sort): ties, a client's invoices, stay oldest first.
            base = range(len(values)) if column == COL_DATE else self.order(COL_DATE)
            found = sorted(base, key=values.__getitem__)
            self._orders[column] = found
        return found

    def mask(self, f: Filters) -> list[bool] | None:
        """For each row (load order), whether it passes the filters; None when all do."""
        masks: list[list[bool]] = []
        if f.archived or self.any_archived:  # archived rows apart (issue 14)
            masks.append([a is f.archived for a in self.archived])
        if f.client_id is not None:
            masks.append([c == f.client_id for c in self.client_ids])
        if f.stage == UNPAID:
            masks.append([s not in NO_LATENESS for s in self.stages])
        elif f.stage:
            masks.append([s == f.stage for s in self.stages])
        if f.kind:
            want_b2c = f.kind == "b2c"
            masks.append([b is want_b2c for b in self.b2c])
        if f.overdue_only:
            masks.append(self.late)
        if f.todo_today:
            masks.append(self.todo)
        found = self.search_mask(f.text)
        if found is not None:
            masks.append(found)
        if not masks:
            return None
        mask = masks[0]
        for other in masks[1:]:
            mask = list(map(and_, mask, other))
        return mask

    def select(self, filters: Filters, column: int, descending: bool) -> tuple[list[int], int]:
        """Positions of the rows passing `filters` in the requested order, and what they owe."""
        order = self.order(column)
        mask = self.mask(filters)
        if mask is None:
            return (order[::-1] if descending else order), self.owed_total
        ids = list(compress(order, map(mask.__getitem__, order)))
        if descending:
            ids.reverse()
        return ids, sum(compress(self.owed, mask))


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
    def set_rows(self, rows: Sequence[StageRow], as_of: dt.date | None = None) -> None:
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
        archived = sum(self.index_data.archived)
        return archived if self.filters.archived else len(self.index_data.rows) - archived

    def row_at(self, row: int) -> StageRow:
        """The stage row shown at a table row."""
        return self.index_data.rows[self._visible[row]]

    def visible_rows(self) -> list[StageRow]:
        """The rows shown, in their order (for export)."""
        rows = self.index_data.rows
        return [rows[i] for i in self._visible]

    def owed_cents(self) -> int:
        """What the shown rows still owe (credits and written-off invoices left out)."""
        return self._owed

    def row_of(self, invoice_id: int) -> int:
        """The table row showing an invoice, -1 when it is filtered out or unknown."""
        pos = self.index_data.position.get(invoice_id)
        if pos is None:
            return -1
        try:
            return self._visible.index(pos)
        except ValueError:
            return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Rows shown (none under a parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
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
        r = self.index_data.rows[self._visible[row]]
        col = index.column()
        if role == _DISPLAY:
            return self.cell_text(r, col)
        if role == _BACKGROUND:
            return None if r.archived else stage_background(r.stage)
        if role == _FOREGROUND:
            return ARCHIVED_FOREGROUND if r.archived else stage_foreground(r.stage)
        if role == _ALIGNMENT:
            return _RIGHT if col in NUMERIC else None
        if role == SORT_ROLE:
            return sort_key(col)(r)
        if role == ID_ROLE:
            return r.invoice_id
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_CLIENT:
            # The whole name when the column cuts it, with the invoice's subject (issue 14).
            return r.client + (f" — {r.subject}" if r.subject else "")
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NUMBER:
            return r.subject or None
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_NEXT, COL_STAGE):
            text = self.cell_text(r, col)
            if col == COL_STAGE and r.prescription_on:
                return barred_tip(r)
            return text or None
        return None

    def cell_text(self, r: StageRow, col: int) -> str:
        """The French text shown in a cell."""
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
    columns = range(len(HEADERS))
    rows = ([model.cell_text(r, col) for col in columns] for r in model.visible_rows())
    return write_rows(path, model._headers, rows)
