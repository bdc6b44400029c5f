"""Note a phone call to a client: who was reached, about which invoices, what came of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import FieldError, InputError
from models.ids import ClientId
from models.money import format_eur, parse_amount
from ui.ops import Ops, tr
from ui.undo import ActionRecorded, done
from ui.widgets import OK, date_edit, dialog_buttons, from_qdate

PROMISE = "Promesse de paiement"
OUTCOMES = (
    PROMISE,
    "Litige signalé",
    "Pas de réponse / message laissé",
    "Facture non reçue — renvoyée",
    "Autre",
)
DEFAULT_PROMISE_DAYS = 7


class CallDialog(QDialog):
    """One form for a call; a promise adds its date and amount and shows in the to-do then."""

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoice_ids: Iterable[int] = (),
        parent: QWidget | None = None,
        step: str = "",
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        # The policy call step this call carries out ("courtesy_call"...): the to-do drops it.
        self.step = step
        self.action_id: int | None = None
        led = ops.ledger
        today = ops.today()
        client = led.client(ClientId(client_id))
        self.setWindowTitle(tr("Noter un appel — {client}").format(client=client.name))

        self.date = date_edit(today)
        self.contact = QComboBox()
        self.contact.setEditable(True)
        self.contact.addItem("")
        for c in led.contacts(ClientId(client_id)):
            self.contact.addItem(f"{c.name} ({c.role})" if c.role else c.name)
        line = self.contact.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("Nom de la personne jointe"))
        if self.contact.count() > 1:
            self.contact.setCurrentIndex(1)

        self.invoices = QListWidget()
        wanted = set(invoice_ids)
        for f in led.facts(client_id=client_id):
            balance = f.balance_cents(today)
            if balance <= 0 or f.written_off_on is not None:
                continue
            text = tr("{n} — échéance {d} — solde {b}").format(
                n=f.number, d=f"{f.due_date:%d/%m/%Y}", b=format_eur(balance, cents=True)
            )
            item = QListWidgetItem(text, self.invoices)
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if f.id in wanted else Qt.CheckState.Unchecked)
        self.invoices.setMinimumHeight(110)
        self.invoices.setMaximumHeight(200)

        self.outcome = QComboBox()
        for text in OUTCOMES:
            self.outcome.addItem(tr(text), text)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(tr("Ce qui a été dit, ce qui est convenu…"))
        self.notes.setMaximumHeight(80)
        self.promise_date = date_edit(today + dt.timedelta(days=DEFAULT_PROMISE_DAYS))
        self.promise_amount = QLineEdit()
        self.promise_amount.setPlaceholderText(tr("ex. 1 200,00"))

        form = self._form = QFormLayout()
        form.addRow(tr("Date de l'appel :"), self.date)
        form.addRow(tr("Personne jointe :"), self.contact)
        form.addRow(tr("Factures concernées :"), self.invoices)
        form.addRow(tr("Résultat :"), self.outcome)
        form.addRow(tr("Paiement promis pour le :"), self.promise_date)
        form.addRow(tr("Montant promis (€) :"), self.promise_amount)
        form.addRow(tr("Notes :"), self.notes)
        buttons = dialog_buttons(self, tr("Enregistrer l'appel"))
        self.save_button = buttons.button(OK)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self._outcome_changed()
        self.setMinimumWidth(520)

    def is_promise(self) -> bool:
        """Whether the outcome chosen is a promise to pay."""
        return bool(self.outcome.currentData() == PROMISE)

    def set_outcome(self, outcome: str) -> None:
        """Choose an outcome by its French text (OUTCOMES)."""
        self.outcome.setCurrentIndex(self.outcome.findData(outcome))

    def checked_ids(self) -> list[int]:
        """The invoices ticked, in list order."""
        out = []
        for i in range(self.invoices.count()):
            item = self.invoices.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _outcome_changed(self) -> None:
        promise = self.is_promise()
        self._form.setRowVisible(self.promise_date, promise)
        self._form.setRowVisible(self.promise_amount, promise)

    def accept(self) -> None:
        """Record the call (or promise) through ops.run; on refusal the dialog stays open."""
        action_id = self.ops.run(self, self._save, "history")
        if action_id is not None:
            self.action_id = action_id
            super().accept()

    def _save(self) -> int:
        on = from_qdate(self.date.date())
        promise = self.is_promise()
        promise_date: dt.date | None = None
        amount: Decimal | None = None
        if promise:
            promise_date = from_qdate(self.promise_date.date())
            try:
                amount = parse_amount(self.promise_amount.text())
            except ValueError as exc:
                raise InputError([FieldError(tr("montant promis"), str(exc))]) from exc
        contact = self.contact.currentText().strip()
        notes = self.notes.toPlainText().strip()
        if contact:
            notes = tr("Interlocuteur : {c}").format(c=contact) + (f"\n{notes}" if notes else "")
        action_id = self.ops.ledger.record_action(
            ClientId(self.client_id),
            on,
            "promise" if promise else "call",
            channel="call",
            step=self.step,
            invoice_ids=self.checked_ids(),
            outcome=self.outcome.currentData(),
            notes=notes,
            promise_date=promise_date,
            promise_amount=amount,
        )
        done(self.ops, ActionRecorded(self.ops, action_id, tr("note d'appel")))
        return action_id
