"""A client's history (calls, letters, promises...) as a thin Qt table model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from models.law.policy import CHANNEL_LABELS, DEFAULT_POLICY
from models.law.stages import STAGES
from models.letters.delivery import DELIVERY_OUTCOMES
from models.money import format_eur
from models.store.tables import Action
from ui.ops import tr

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

(
    COL_DATE,
    COL_KIND,
    COL_CHANNEL,
    COL_INVOICES,
    COL_NOTES,
    COL_PROMISE_DATE,
    COL_PROMISE_AMOUNT,
    COL_BY,
) = range(8)
HEADERS = (
    "Date",
    "Type",
    "Canal",
    "Factures",
    "Résultat / notes",
    "Promis pour le",
    "Montant promis",
    "Par",  # who recorded the line (issue 18); empty on lines older than that
)

KIND_LABELS = {
    "call": "Appel",
    "email": "E-mail",
    "letter": "Courrier",
    "registered_letter": "Recommandé",
    "formal_notice": "Mise en demeure",
    "promise": "Promesse de paiement",
    "agreement": "Accord / échéancier",
    "dispute": "Litige",
    "handover": "Transmission recouvrement",
    "legal_step": "Procédure",
    "note": "Note",
    "acknowledgement": "Reconnaissance de dette",
    "court_filing": "Demande en justice",
    "correction": "Correction",  # a payment or an invoice corrected (issue 14)
}
CANCELLED_FOREGROUND = QColor("#8a8a8a")  # a history line cancelled, kept greyed
CHANNEL_NAMES = CHANNEL_LABELS | {"other": "Autre"}
# Steps worth naming next to the kind ("Courrier (Relance 2)"); others repeat the kind.
LADDER_STEPS = frozenset({"preventive", "reminder_1", "reminder_2", "reminder_3", "formal_notice"})

Index = QModelIndex | QPersistentModelIndex


def kind_label(kind: str) -> str:
    """The French name of an action kind ('call' -> 'Appel')."""
    return tr(KIND_LABELS.get(kind, kind))


def step_label(code: str) -> str:
    """The French name of a policy step code ('reminder_2' -> 'Relance 2')."""
    stage = STAGES.get(code)
    if stage is not None:
        return tr(stage.label)
    step = DEFAULT_POLICY.step(code)
    return tr(step.label) if step is not None else code


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One history entry as shown: the action and the numbers of the invoices it concerns."""

    action: Action
    invoices: tuple[str, ...]

    def kind_text(self) -> str:
        """Type, with the policy step it carried out: 'Lettre imprimée (Relance 2)'.

        A letter says what was done with it ("Lettre préparée (PDF)", "Brouillon d'e-mail
        ouvert"...); entries written before Relance said so show their kind ('Courrier').
        """
        a = self.action
        text = tr(a.outcome) if self.is_delivery() else kind_label(a.kind)
        if a.step in LADDER_STEPS and (a.step != a.kind or self.is_delivery()):
            text += f" ({step_label(a.step)})"
        return text

    def is_delivery(self) -> bool:
        """Whether the outcome is what was done with a letter (shown as the type)."""
        return self.action.outcome in DELIVERY_OUTCOMES

    def awaiting_receipt(self) -> bool:
        """A registered formal notice whose acknowledgement of receipt is not noted yet."""
        a = self.action
        registered = a.kind == "formal_notice" or a.channel == "registered_letter"
        return registered and a.acknowledged_on is None

    def notes_text(self) -> str:
        """Outcome, notes, registered-mail number and receipt, on one line."""
        a = self.action
        outcome = "" if self.is_delivery() else a.outcome.strip()
        parts = [p for p in (outcome, a.notes.strip()) if p]
        if a.registered_number:
            parts.append(tr("LRAR n° {n}").format(n=a.registered_number))
        if a.acknowledged_on is not None:
            parts.append(tr("AR reçu le {d}").format(d=f"{a.acknowledged_on:%d/%m/%Y}"))
        return " — ".join(parts)


class HistoryTableModel(QAbstractTableModel):
    """The rows given to `set_rows`, in that order (the client page passes newest first)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_rows(self, rows: list[tuple[Action, list[str]]]) -> None:
        """Replace the rows: (action, invoice numbers) pairs as `Ledger.history` returns them."""
        self.beginResetModel()
        self._rows = [HistoryRow(a, tuple(numbers)) for a, numbers in rows]
        self.endResetModel()

    def row(self, row: int) -> HistoryRow:
        """The entry shown on a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of entries."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """French column headings."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formatted text, raw sort values, the action id, tooltips and alignment."""
        if not index.isValid():
            return None
        r, col = self._rows[index.row()], index.column()
        a = r.action
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == SORT_ROLE:
            return self._raw(r, col)
        if role == ID_ROLE:
            return a.id
        if a.cancelled_on is not None:  # kept, flagged (issue 14): greyed, struck out, why
            if role == Qt.ItemDataRole.ForegroundRole:
                return CANCELLED_FOREGROUND
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setStrikeOut(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return tr("Annulée le {d} — motif : {m}").format(
                    d=f"{a.cancelled_on:%d/%m/%Y}", m=a.cancel_reason
                )
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_NOTES, COL_INVOICES):
            return self._text(r, col) or None
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_BY and a.created_at is not None:
            return tr("Noté par {who} le {when}").format(
                who=a.done_by or "?", when=f"{a.created_at.astimezone():%d/%m/%Y à %H:%M}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_PROMISE_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(r: HistoryRow, col: int) -> str:
        a = r.action
        if col == COL_DATE:
            return f"{a.date:%d/%m/%Y}"
        if col == COL_KIND:
            return r.kind_text()
        if col == COL_CHANNEL:
            return tr(CHANNEL_NAMES.get(a.channel, a.channel))
        if col == COL_INVOICES:
            return ", ".join(r.invoices)
        if col == COL_NOTES:
            return r.notes_text()
        if col == COL_PROMISE_DATE:
            return f"{a.promise_date:%d/%m/%Y}" if a.promise_date else ""
        if col == COL_PROMISE_AMOUNT and a.promise_amount_cents is not None:
            return format_eur(a.promise_amount_cents, cents=True)
        if col == COL_BY:
            return a.done_by or ""
        return ""

    @staticmethod
    def _raw(r: HistoryRow, col: int) -> Any:
        a = r.action
        if col == COL_DATE:
            return a.date.toordinal()
        if col == COL_PROMISE_DATE:
            return a.promise_date.toordinal() if a.promise_date else 0
        if col == COL_PROMISE_AMOUNT:
            return a.promise_amount_cents or 0
        return HistoryTableModel._text(r, col).lower()
