"""Note a phone call to a client: who was reached, about which invoices, what came of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import FieldError, InputError
from models.ids import ClientId
from models.mail import outbox
from models.mail.account import check_address
from models.mail.message import Draft, Recipient
from models.mail.promise import KIND as PROMISE_MAIL
from models.mail.promise import Promise, promise_text
from models.money import format_eur, parse_amount
from ui import mail
from ui.ops import Ops, tr
from ui.undo import ActionRecorded, done
from ui.widgets import OK, date_edit, dialog_buttons, from_qdate, inform

PROMISE = "Promesse de paiement"
OUTCOMES = (
    PROMISE,
    "Litige signalé",
    "Pas de réponse / message laissé",
    "Facture non reçue — renvoyée",
    "Autre",
)
DEFAULT_PROMISE_DAYS = 7
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # the invoice number of an item of the list


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
            item.setData(NUMBER_ROLE, f.number)
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
        self.mail_box = self._mail_box(client.name)
        buttons = dialog_buttons(self, tr("Enregistrer l'appel"))
        self.save_button = buttons.button(OK)
        # The confirmation beside the call, not under it: the dialog fits a 1280x720 screen.
        row = QHBoxLayout()
        row.addLayout(form, 5)
        row.addWidget(self.mail_box, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        for signal in (
            self.promise_date.dateChanged,
            self.promise_amount.textChanged,
            self.invoices.itemChanged,
            self.date.dateChanged,
        ):
            signal.connect(self.fill_mail)
        self._outcome_changed()
        self.setMinimumWidth(520)

    # -- the confirmation by e-mail (issue 15) -----------------------------------------------
    def _mail_box(self, client_name: str) -> QGroupBox:
        """A promise is confirmed by e-mail: the message shown, editable, sent on saving."""
        led = self.ops.ledger
        # Replaced in tests (a modal box would block them).
        self.warn: Callable[[QWidget | None, str, str], None] = inform
        self.mail_result: outbox.Summary | None = None
        self._filling = False
        self._mail_edited = False
        try:
            account = led.mail_account()
        except InputError:
            account = None
        recipients = led.mail_recipients(ClientId(self.client_id))
        self._names = {r.address: r.name for r in recipients}
        self.confirm_mail = QCheckBox(tr("Confirmer par e-mail"))
        self.mail_to = QLineEdit(", ".join(r.address for r in recipients))
        self.mail_to.setPlaceholderText(tr("adresses séparées par des virgules"))
        self.mail_subject = QLineEdit()
        self.mail_body = QPlainTextEdit()
        self.mail_body.setMinimumHeight(140)
        self.mail_body.setMinimumWidth(420)
        self.mail_note = QLabel()
        self.mail_note.setWordWrap(True)
        self.mail_note.setStyleSheet("color: #555;")
        box = QGroupBox(tr("Confirmation de la promesse"))
        form = QFormLayout(box)
        form.addRow(self.confirm_mail)
        form.addRow(self.mail_note)
        form.addRow(tr("Destinataires :"), self.mail_to)
        form.addRow(tr("Objet :"), self.mail_subject)
        form.addRow(tr("Message :"), self.mail_body)
        if account is None:
            self.mail_note.setText(
                tr(
                    "Aucun compte d'envoi : réglez-le dans Paramètres > E-mail pour confirmer "
                    "les promesses par e-mail."
                )
            )
        elif not recipients:
            self.mail_note.setText(
                tr(
                    "{client} n'a pas d'adresse e-mail : complétez sa fiche pour confirmer "
                    "par e-mail."
                ).format(client=client_name)
            )
        else:
            self.mail_note.setText(
                tr(
                    "Envoyé par {sender} à l'enregistrement de l'appel, sans pièce jointe ; "
                    "noté dans l'historique une fois accepté par le serveur."
                ).format(sender=account.sender)
            )
        usable = account is not None and bool(recipients)
        self.confirm_mail.setEnabled(usable)
        self.confirm_mail.setChecked(usable)
        self.confirm_mail.toggled.connect(self._mail_toggled)
        self.mail_subject.textEdited.connect(self._edited)
        self.mail_body.textChanged.connect(self._edited)
        self._mail_toggled()
        return box

    def _edited(self) -> None:
        if not self._filling:
            self._mail_edited = True  # the user's text is kept when the promise changes

    def _mail_toggled(self) -> None:
        on = self.confirm_mail.isChecked()
        for widget in (self.mail_to, self.mail_subject, self.mail_body):
            widget.setEnabled(on)
        self.fill_mail()

    def promise(self) -> Promise:
        """The promise as typed (the amount left out when it cannot be read yet)."""
        try:
            amount: Decimal | None = parse_amount(self.promise_amount.text())
        except ValueError:
            amount = None
        return Promise(
            self.client_id,
            from_qdate(self.date.date()),
            from_qdate(self.promise_date.date()),
            amount,
            tuple(self.checked_ids()),
        )

    def fill_mail(self) -> None:
        """The confirmation's text from the e-mail template, unless the user edited it."""
        if not (self.is_promise() and self.confirm_mail.isChecked()) or self._mail_edited:
            return
        try:
            subject, body = promise_text(self.ops.ledger, self.promise())
        except InputError as exc:
            subject, body = "", tr("Le message ne peut pas encore être rédigé : {e}").format(e=exc)
        self._filling = True
        self.mail_subject.setText(subject)
        self.mail_body.setPlainText(body)
        self._filling = False

    def mail_draft(self) -> Draft:
        """The confirmation as edited; InputError naming what is wrong."""
        addresses = [
            a.strip() for a in self.mail_to.text().replace(";", ",").split(",") if a.strip()
        ]
        errors = [e for a in addresses for e in check_address(a, tr("destinataire"))]
        if not addresses:
            errors.append(FieldError(tr("destinataires"), tr("aucune adresse e-mail")))
        if not self.mail_subject.text().strip():
            errors.append(FieldError(tr("objet"), tr("l'objet du message est vide")))
        if errors:
            raise InputError(errors)
        promise_text(self.ops.ledger, self.promise())  # the promise must allow the text
        return Draft(
            tuple(Recipient(self._names.get(a, ""), a) for a in addresses),
            self.mail_subject.text(),
            self.body_text(),
        )

    def body_text(self) -> str:
        """The message typed, no-break spaces kept (toPlainText would make them spaces)."""
        return self.mail_body.document().toRawText().replace("\u2029", "\n")

    def send_confirmation(self, draft: Draft) -> bool:
        """Send it through the outbox (recorded once accepted); the user told when it failed."""
        numbers = tuple(
            str(self.invoices.item(i).data(NUMBER_ROLE))
            for i in range(self.invoices.count())
            if self.invoices.item(i).checkState() == Qt.CheckState.Checked
        )
        name = self.ops.ledger.client(ClientId(self.client_id)).name
        out = outbox.Outgoing(
            self.client_id, name, PROMISE_MAIL, tuple(self.checked_ids()), numbers, draft
        )
        title = tr("Confirmation de la promesse")
        self.mail_result = mail.send_with_progress(self, self.ops, [out], 1, title)
        if self.mail_result is not None and self.mail_result.count(outbox.SENT) == 1:
            return True
        why = mail.summary_text(self.mail_result) if self.mail_result else tr("non envoyé")
        self.warn(
            self,
            title,
            tr("L'appel est noté ; la confirmation n'est pas partie.\n{why}").format(why=why),
        )
        return False

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
        self.mail_box.setVisible(promise)
        self.fill_mail()
        self.adjustSize()  # narrow again without the confirmation

    def accept(self) -> None:
        """Record the call (or promise) through ops.run; on refusal the dialog stays open.

        A promise confirmed by e-mail: the message is checked first (a bad address records
        nothing), sent once the call is recorded, and noted when the server accepted it.
        """
        draft = None
        if self.is_promise() and self.confirm_mail.isChecked():
            try:
                draft = self.mail_draft()
            except InputError as exc:
                self.ops.show_refusal(self, exc)
                return
        action_id = self.ops.run(self, self._save, "history")
        if action_id is not None:
            self.action_id = action_id
            if draft is not None:
                self.send_confirmation(draft)
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
