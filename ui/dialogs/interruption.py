"""Record what interrupts prescription: a written acknowledgement or a court filing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from models.ids import ClientId
from ui.ops import Ops, tr
from ui.widgets import date_edit, dialog_buttons, from_qdate, to_qdate

# History kinds (models.store.tables.ACTION_KINDS) and what the user reads.
KINDS = (
    ("acknowledgement", "Reconnaissance de dette écrite du client (C. civ. 2240)"),
    ("court_filing", "Demande en justice : injonction de payer, assignation (C. civ. 2241)"),
)
EXPLAIN = (
    "Une reconnaissance de dette ou une demande en justice interrompt la prescription : un "
    "nouveau délai de même durée court à partir de sa date (C. civ. 2231). Un paiement partiel "
    "ou un échéancier accepté l'interrompent aussi et sont pris en compte d'eux-mêmes ; une "
    "mise en demeure, non."
)


class InterruptionDialog(QDialog):
    """Date, kind and invoices of an act that interrupts prescription; saved to the history."""

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoices: Sequence[tuple[int, str]],
        checked: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = ClientId(client_id)
        self.recorded = False
        self.setWindowTitle(tr("Interruption de la prescription"))
        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(tr(label), code)
        self.date = date_edit(ops.today())
        self.invoices = QListWidget()
        wanted = set(checked) or {i for i, _ in invoices}
        for inv_id, number in invoices:
            item = QListWidgetItem(number)
            item.setData(Qt.ItemDataRole.UserRole, inv_id)
            item.setCheckState(
                Qt.CheckState.Checked if inv_id in wanted else Qt.CheckState.Unchecked
            )
            self.invoices.addItem(item)
        self.invoices.setMaximumHeight(110)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(tr("ex. courrier du client reconnaissant devoir la somme"))
        explain = QLabel(tr(EXPLAIN))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        form = QFormLayout(self)
        form.addRow(explain)
        form.addRow(tr("Acte :"), self.kind)
        form.addRow(tr("Date :"), self.date)
        form.addRow(tr("Factures :"), self.invoices)
        form.addRow(tr("Note :"), self.notes)
        form.addRow(dialog_buttons(self, tr("Enregistrer")))
        self.setMinimumWidth(520)

    def set_kind(self, code: str) -> None:
        """Choose the act by its history kind (tests, callers that know it)."""
        self.kind.setCurrentIndex(self.kind.findData(code))

    def set_date(self, day: dt.date) -> None:
        """Type a date."""
        self.date.setDate(to_qdate(day))

    def checked_ids(self) -> list[int]:
        """The invoices ticked."""
        out = []
        for i in range(self.invoices.count()):
            item = self.invoices.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def accept(self) -> None:
        """Write the history entry through ops.run; a refusal keeps the dialog open."""
        kind = str(self.kind.currentData())
        label = dict(KINDS)[kind]
        on, ids = from_qdate(self.date.date()), self.checked_ids()
        notes = self.notes.text().strip() or tr(label.split(" (")[0])

        def work() -> bool:
            self.ops.ledger.record_action(
                self.client_id, on, kind, invoice_ids=ids, channel="other", notes=notes
            )
            return True

        if self.ops.run(self, work, "history"):
            self.recorded = True
            super().accept()
