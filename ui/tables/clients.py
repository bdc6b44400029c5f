"""Qt models of the client screen: the client list, a client's invoices, its contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from models.collation import sort_key
from models.law.policy import DEFAULT_POLICY
from models.law.stages import CLOSED, STAGES
from models.money import format_eur
from models.store.codes import B2C
from models.todo import StageRow
from ui.ops import tr

if TYPE_CHECKING:  # the ORM's classes, only named here (the window starts without the ORM)
    from models.store.tables import Client, Contact

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
BARRED_BRUSH = QBrush(QColor("#a40000"))  # a time-barred claim, in the prescription column

# Document steps in escalation order: "Relancer…" proposes the highest one due.
LADDER = ("preventive", "reminder_1", "reminder_2", "reminder_3", "formal_notice", "legal_action")
FIRST_OVERDUE_STEP = 1  # after the due date, the first document is reminder 1
CALL_STEPS = frozenset(s.code for s in DEFAULT_POLICY.steps if s.channel == "call")

Index = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """Lower case without accents, so that a search for 'ecume' finds 'L'Écume'."""
    # models.collation: the same key sorts names the French way (É among the E, œ as oe).
    return sort_key(text)


def stage_brushes(code: str) -> tuple[QBrush, QBrush] | None:
    """Background and readable text colour of a stage, or None for no stage."""
    info = STAGES.get(code)
    if info is None:
        return None
    bg = QColor(info.colour)
    dark = 0.299 * bg.red() + 0.587 * bg.green() + 0.114 * bg.blue() < 140
    return QBrush(bg), QBrush(QColor("#ffffff" if dark else "#1a1a1a"))


def stage_name(code: str) -> str:
    """The French name of a stage, empty for none."""
    info = STAGES.get(code)
    return tr(info.label) if info else ""


@dataclass(slots=True)
class ClientRow:
    """One line of the client list: identity and what the client owes as of the day."""

    client_id: int
    name: str
    b2c: bool
    outstanding_cents: int = 0
    overdue_cents: int = 0
    worst_stage: str = ""  # stage code of the most advanced open invoice
    open_invoices: int = 0
    search: str = ""  # folded name, SIREN, SIRET, town, e-mail: what the search box matches
    sort_name: str = ""


def client_rows(clients: Iterable[Client], stages: Iterable[StageRow]) -> list[ClientRow]:
    """Group the invoices' stages per client in one pass (presentation of Ledger.stages)."""
    rows: dict[int, ClientRow] = {}
    for c in clients:
        if c.id is None:
            continue
        key = fold(" ".join((c.name, c.siren, c.siret, c.city, c.email)))
        rows[c.id] = ClientRow(c.id, c.name, c.kind == B2C, search=key, sort_name=fold(c.name))
    rank = {code: info.rank for code, info in STAGES.items()}
    for s in stages:
        row = rows.get(s.client_id)
        if row is None or s.balance_cents <= 0 or s.stage in ("paid", "written_off"):
            continue
        row.outstanding_cents += s.balance_cents
        row.open_invoices += 1
        if s.days_late > 0:
            row.overdue_cents += s.balance_cents
        if not row.worst_stage or rank[s.stage] > rank[row.worst_stage]:
            row.worst_stage = s.stage
    return list(rows.values())


def open_rows(stages: Iterable[StageRow]) -> list[StageRow]:
    """The invoices still owed (paid and written-off ones left out), oldest due first."""
    return sorted(
        (s for s in stages if s.balance_cents > 0 and s.stage not in ("paid", "written_off")),
        key=lambda s: (s.due, s.invoice),
    )


def relance_target(stages: Sequence[StageRow]) -> tuple[list[int], str] | None:
    """The overdue invoices under dunning and the highest document step among them."""
    ids: list[int] = []
    level = -1
    for s in stages:
        if (
            s.days_late <= 0
            or s.balance_cents <= 0
            or s.stage in CLOSED
            or (s.stage == "payment_plan")
        ):
            continue
        ids.append(s.invoice_id)
        step_level = LADDER.index(s.next_action) if s.next_action in LADDER else -1
        level = max(level, step_level, FIRST_OVERDUE_STEP)
    return (ids, LADDER[level]) if ids else None


def due_call(stages: Sequence[StageRow], today: dt.date) -> tuple[list[int], str] | None:
    """The invoices whose next step is a call due by today, and that step's code."""
    ids, step = [], ""
    for s in stages:
        if s.next_action in CALL_STEPS and s.next_action_on and s.next_action_on <= today:
            ids.append(s.invoice_id)
            step = step or s.next_action
    return (ids, step) if ids else None


class _TableModel(QAbstractTableModel):
    """Shared plumbing: a list of rows and fixed French headings."""

    headers: tuple[str, ...] = ()
    SORT_ROLE = SORT_ROLE
    ID_ROLE = ID_ROLE

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> Any:
        """The record shown on a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """French column headings."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.headers[section])
        return None


class ClientTableModel(_TableModel):
    """The client list: name, type, outstanding, overdue and worst stage (named and coloured)."""

    COL_NAME, COL_KIND, COL_OUTSTANDING, COL_OVERDUE, COL_STAGE = range(5)
    headers = ("Client", "Type", "Encours", "Échu", "Étape la plus avancée")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sort = (self.COL_NAME, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: Sequence[ClientRow]) -> None:
        """Replace all rows, kept in the current sort order."""
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_rows()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on precomputed keys (10,000 rows in milliseconds); keeps selection."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].client_id for i in old]
        self._sort_rows()
        where = {r.client_id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(where[cid], i.column()) for cid, i in zip(ids, old, strict=True)]
        )
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = self._sort
        rank = {code: info.rank for code, info in STAGES.items()}
        keys = (
            lambda r: r.sort_name,
            lambda r: (r.b2c, r.sort_name),
            lambda r: r.outstanding_cents,
            lambda r: r.overdue_cents,
            lambda r: rank.get(r.worst_stage, -10),
        )
        self._rows.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def row_of(self, client_id: int) -> int:
        """The row showing a client, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.client_id == client_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, raw sort values, colours, the client id and a search key."""
        if not index.isValid():
            return None
        r: ClientRow = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return r.name
            if col == self.COL_KIND:
                return tr("Particulier") if r.b2c else tr("Pro")
            if col == self.COL_OUTSTANDING:
                return format_eur(r.outstanding_cents, cents=True) if r.outstanding_cents else "—"
            if col == self.COL_OVERDUE:
                return format_eur(r.overdue_cents, cents=True) if r.overdue_cents else "—"
            return stage_name(r.worst_stage) or "—"
        if role == SORT_ROLE:
            return (
                r.sort_name,
                int(r.b2c),
                r.outstanding_cents,
                r.overdue_cents,
                STAGES[r.worst_stage].rank if r.worst_stage else -10,
            )[col]
        if role == ID_ROLE:
            return r.client_id
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.COL_NAME, self.COL_STAGE):
            return r.name if col == self.COL_NAME else stage_name(r.worst_stage) or None
        if role == FILTER_ROLE:
            return r.search
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.COL_OUTSTANDING,
            self.COL_OVERDUE,
        ):
            return RIGHT
        if col == self.COL_STAGE and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            brushes = stage_brushes(r.worst_stage)
            if brushes is not None:
                return brushes[0] if role == Qt.ItemDataRole.BackgroundRole else brushes[1]
        return None


def limit_text(r: StageRow) -> str:
    """The prescription column: its date, 'prescrite le …', or 'en justice' (C. civ. 2242)."""
    if r.prescription_on is None:
        return tr("en justice") if r.stage == "litigation" else "—"
    if r.time_barred:
        day = r.prescription_on + dt.timedelta(days=1)
        return tr("prescrite le {d}").format(d=f"{day:%d/%m/%Y}")
    return f"{r.prescription_on:%d/%m/%Y}"


class ClientInvoicesModel(_TableModel):
    """A client's open invoices (StageRows): number, due date, balance, lateness, stage."""

    COL_NUMBER, COL_DUE, COL_BALANCE, COL_LATE, COL_STAGE, COL_NEXT, COL_LIMIT = range(7)
    headers = ("N°", "Échéance", "Solde", "Retard", "Étape", "Prochaine action", "Prescription")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, raw sort values, the stage colour and the invoice id."""
        if not index.isValid():
            return None
        r: StageRow = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == SORT_ROLE:
            return (
                r.invoice,
                r.due.toordinal(),
                r.balance_cents,
                r.days_late,
                STAGES[r.stage].rank if r.stage in STAGES else 0,
                (r.next_action_on or dt.date.max).toordinal(),
                (r.prescription_on or dt.date.max).toordinal(),
            )[col]
        if role == ID_ROLE:
            return r.invoice_id
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_NUMBER and r.subject:
            return r.subject
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_BALANCE, self.COL_LATE):
            return RIGHT
        if col == self.COL_LIMIT and role == Qt.ItemDataRole.ForegroundRole and r.time_barred:
            return BARRED_BRUSH
        if col == self.COL_STAGE and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            brushes = stage_brushes(r.stage)
            if brushes is not None:
                return brushes[0] if role == Qt.ItemDataRole.BackgroundRole else brushes[1]
        return None

    def _text(self, r: StageRow, col: int) -> str:
        if col == self.COL_NUMBER:
            return r.invoice
        if col == self.COL_DUE:
            return f"{r.due:%d/%m/%Y}"
        if col == self.COL_BALANCE:
            return format_eur(r.balance_cents, cents=True)
        if col == self.COL_LATE:
            return tr("{n} j").format(n=r.days_late) if r.days_late else "—"
        if col == self.COL_STAGE:
            return stage_name(r.stage) + (tr(" · prescrite") if r.time_barred else "")
        if col == self.COL_LIMIT:
            return limit_text(r)
        if r.next_action_label and r.next_action_on:
            return f"{tr(r.next_action_label)} — {r.next_action_on:%d/%m/%Y}"
        return ""


class ContactTableModel(_TableModel):
    """A client's contacts: name, role, phone, e-mail."""

    COL_NAME, COL_ROLE, COL_PHONE, COL_EMAIL = range(4)
    headers = ("Nom", "Fonction", "Téléphone", "E-mail")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The contact's fields as text; its id under ID_ROLE."""
        if not index.isValid():
            return None
        c: Contact = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (c.name, c.role, c.phone, c.email)[index.column()]
        if role == ID_ROLE:
            return c.id
        return None
