"""Record a payment against one invoice, or correct or cancel one with a reason (issue 14).

A new payment's amount is prefilled with the balance and dated today. Above the balance the
user is asked whether to keep the excess as the client's trop-perçu or to correct the amount.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.errors import FieldError, InputError, OverpaymentError
from models.ids import ClientId, InvoiceId, PaymentId
from models.money import format_eur, parse_amount, to_cents
from models.store.codes import CREDIT_METHOD
from models.store.ledger_payments import EXCESS_CREDIT
from models.store.tables import Payment
from models.todo import StageRow
from ui.ops import Ops, tr
from ui.undo import PaymentCancelled, PaymentCorrected, PaymentRecorded, done
from ui.widgets import date_edit, dialog_buttons, from_qdate

# Payment methods as stored (models.store.tables.PAYMENT_METHODS) and as shown.
METHOD_LABELS = {
    "transfer": "Virement",
    "card": "Carte",
    "cheque": "Chèque",
    "cash": "Espèces",
    "direct_debit": "Prélèvement",
    "other": "Autre",
}
# A payment drawn from the client's credit (shown in the lists, never typed in the form).
CREDIT_LABEL = "Trop-perçu"
# The user's answer to an overpayment: keep the excess as a credit, or correct the amount.
KEEP_AS_CREDIT, CORRECT_AMOUNT = "credit", "correct"
AskExcess = Callable[[QWidget | None, OverpaymentError], str]


def method_label(code: str) -> str:
    """A payment method as the user reads it ('Chèque', 'Trop-perçu')."""
    return tr(CREDIT_LABEL) if code == CREDIT_METHOD else tr(METHOD_LABELS.get(code, code))


def ask_excess(parent: QWidget | None, exc: OverpaymentError) -> str:
    """Above the balance: keep the excess to the client's credit, or correct the amount."""
    box, keep = excess_box(parent, exc)
    box.exec()
    return KEEP_AS_CREDIT if box.clickedButton() is keep else CORRECT_AMOUNT


def excess_box(parent: QWidget | None, exc: OverpaymentError) -> tuple[QMessageBox, object]:
    """The overpayment question (not shown yet) and its button "Garder en trop-perçu"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Montant supérieur au solde"))
    box.setText(
        tr("Le paiement dépasse de {e} le solde de la facture {n} ({b}).").format(
            e=format_eur(exc.excess_cents, cents=True),
            n=exc.number,
            b=format_eur(exc.balance_cents, cents=True),
        )
    )
    box.setInformativeText(
        tr(
            "Garder l'excédent en trop-perçu : la facture est soldée et l'excédent reste au "
            "crédit du client, utilisable sur une autre de ses factures."
        )
    )
    keep = box.addButton(tr("Garder en trop-perçu"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Corriger le montant"), QMessageBox.ButtonRole.RejectRole)
    return box, keep


def amount_text(cents: int) -> str:
    """An amount ready to edit: '1 234,56' (no currency sign)."""
    return format_eur(cents, cents=True, symbol="")


def read_amount(text: str, field: str, required: bool = True) -> Decimal | None:
    """Parse a French amount typed by the user; InputError names the field."""
    if not text.strip() and not required:
        return None
    try:
        return parse_amount(text)
    except ValueError as exc:
        raise InputError([FieldError(field, str(exc))]) from None


class PaymentDialog(QDialog):
    """Money received for an invoice; Enter saves, a refusal keeps the dialog open."""

    def __init__(
        self,
        ops: Ops,
        row: StageRow,
        parent: QWidget | None = None,
        *,
        payment: Payment | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.row = row
        self.saved = False
        self.saved_id: int | None = None
        # Correcting: the payment being replaced (its amount is back in the balance shown).
        self.payment = payment
        # Issue 18: the versions read; a payment recorded (or corrected) meanwhile from another
        # screen makes the save a conflict instead of a second payment.
        self.invoice_version = ops.ledger.invoice(InvoiceId(row.invoice_id)).version
        self.payment_version = payment.version if payment is not None else None
        self.balance_cents = row.balance_cents + (payment.amount_cents if payment else 0)
        self.ask_excess: AskExcess = ask_excess  # tests answer without a modal box
        self.setWindowTitle(
            tr("Corriger le paiement") if payment else tr("Enregistrer un paiement")
        )
        what = self.what = QLabel(self._what_text())
        first = payment.amount_cents if payment else row.balance_cents
        self.amount = QLineEdit(amount_text(first) if first > 0 else "")
        self.amount.setPlaceholderText(tr("ex. 1 250,00"))
        self.amount.textChanged.connect(self._hint)
        self.date = date_edit(payment.date if payment else ops.today())
        self.method = QComboBox()
        for code, label in METHOD_LABELS.items():
            self.method.addItem(tr(label), code)
        if payment is not None and payment.method == CREDIT_METHOD:
            self.method.addItem(tr(CREDIT_LABEL), CREDIT_METHOD)
        self.reference = QLineEdit(payment.reference if payment else "")
        self.reference.setPlaceholderText(tr("n° de chèque, libellé du virement…"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Montant reçu (€)"), self.amount)
        form.addRow(tr("Date"), self.date)
        form.addRow(tr("Moyen de paiement"), self.method)
        form.addRow(tr("Référence"), self.reference)
        self.invoice = QComboBox()
        self.reason = QLineEdit()
        if payment is not None:
            self.set_method(payment.method)
            # A payment put on the wrong invoice moves to another of the client's invoices.
            for f in ops.ledger.facts(client_id=row.client_id):
                self.invoice.addItem(f.number, f.id)
            if self.invoice.findData(row.invoice_id) < 0:
                self.invoice.insertItem(0, row.invoice, row.invoice_id)
            self.invoice.setCurrentIndex(self.invoice.findData(row.invoice_id))
            self.reason.setPlaceholderText(tr("ex. montant mal saisi, mauvaise facture"))
            form.addRow(tr("Facture"), self.invoice)
            form.addRow(tr("Motif de la correction"), self.reason)
        # The client's trop-perçu, usable on this invoice (C. civ. 1347: set-off).
        self.credit_cents = ops.ledger.credit_cents(ClientId(row.client_id))
        self.use_credit_btn = QPushButton(
            tr("Régler avec le trop-perçu du client ({c})").format(
                c=format_eur(self.credit_cents, cents=True)
            )
        )
        self.use_credit_btn.clicked.connect(self.use_credit)
        self.use_credit_btn.setVisible(
            payment is None and self.credit_cents > 0 and row.balance_cents > 0
        )
        form.addRow("", self.use_credit_btn)
        self.buttons = dialog_buttons(self, tr("Enregistrer"), self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.amount.selectAll()
        self.amount.setFocus()
        self._hint()
        self.setMinimumWidth(420)

    def _what_text(self) -> str:
        return tr("Facture <b>{n}</b> — {c}<br>Montant TTC {t}, reste dû <b>{b}</b>").format(
            n=_html(self.row.invoice),
            c=_html(self.row.client),
            t=format_eur(self.row.total_cents, cents=True),
            b=format_eur(self.balance_cents, cents=True),
        )

    def reload(self) -> None:
        """After a conflict: the balance and versions as they are now in the ledger."""
        led = self.ops.ledger
        self.invoice_version = led.invoice(InvoiceId(self.row.invoice_id)).version
        balance = led.balance_cents(InvoiceId(self.row.invoice_id))
        if self.payment is not None and self.payment.id is not None:
            self.payment = led.payment(PaymentId(self.payment.id))
            self.payment_version = self.payment.version
            if self.payment.cancelled_on is None:
                balance += self.payment.amount_cents
        self.balance_cents = balance
        self.what.setText(self._what_text())
        self._hint()

    def use_credit(self) -> None:
        """Settle the invoice from the client's credit, up to the balance (a new payment)."""

        def work() -> int:
            led, inv = self.ops.ledger, InvoiceId(self.row.invoice_id)
            new = led.use_credit(inv, from_qdate(self.date.date()))
            done(self.ops, PaymentRecorded(self.ops, new, self.row.invoice))
            self.saved_id = new
            return new

        if self.ops.run(self, work, "invoices") is not None:
            self.saved = True
            self.accept()

    def set_method(self, code: str) -> None:
        """Choose a payment method by its code ('cheque', ...)."""
        self.method.setCurrentIndex(max(0, self.method.findData(code)))

    def _hint(self) -> None:
        try:
            cents = to_cents(parse_amount(self.amount.text()))
        except ValueError:
            self.hint.setText("")
            return
        rest = self.balance_cents - cents
        if cents <= 0 or self.balance_cents <= 0:
            text = ""
        elif rest == 0:
            text = tr("La facture sera soldée.")
        elif rest > 0:
            text = tr("Paiement partiel : il restera {r} à payer.").format(
                r=format_eur(rest, cents=True)
            )
        else:
            text = tr(
                "Trop-perçu de {r} : vous choisirez de le garder au crédit du client."
            ).format(r=format_eur(-rest, cents=True))
        self.hint.setText(text)

    def save(self) -> None:
        """Record (or correct) through the Ledger; close only when it was accepted."""
        if self.ops.run(self, self._record, "invoices", reload=self.reload) is not None:
            self.saved = True
            self.accept()

    def _record(self) -> int | None:
        """One write; above the balance, ask and write again with the answer (None: correct)."""
        amount = read_amount(self.amount.text(), tr("montant"))
        assert amount is not None
        try:
            return self._write(amount, None)
        except OverpaymentError as exc:
            if self.ask_excess(self, exc) != KEEP_AS_CREDIT:
                self.amount.setFocus()
                self.amount.selectAll()
                return None
        return self._write(amount, EXCESS_CREDIT)

    def _write(self, amount: Decimal, excess: str | None) -> int:
        led, when = self.ops.ledger, from_qdate(self.date.date())
        method, reference = str(self.method.currentData()), self.reference.text().strip()
        if self.payment is None:
            inv = InvoiceId(self.row.invoice_id)
            new = led.record_payment(
                inv,
                when,
                amount,
                method,
                reference,
                excess=excess,
                expected_version=self.invoice_version,
            )
            done(self.ops, PaymentRecorded(self.ops, new, self.row.invoice))
        else:
            assert self.payment.id is not None
            new = led.correct_payment(
                PaymentId(self.payment.id),
                self.ops.today(),
                self.reason.text(),
                amount=amount,
                date=when,
                invoice_id=InvoiceId(int(self.invoice.currentData())),
                method=method,
                reference=reference,
                excess=excess,
                expected_version=self.payment_version,
            )
            done(self.ops, PaymentCorrected(self.ops, self.payment.id, new))
        self.saved_id = new
        return new


AskText = Callable[[QWidget | None, str, str], str | None]


def cancel_payment(
    parent: QWidget | None,
    ops: Ops,
    payment: Payment,
    ask: AskText,
    reload: Callable[[], object] | None = None,
) -> bool:
    """Cancel a payment with the user's reason; it stays in the list, flagged (issue 14).

    Refused (issue 18) when the payment changed since it was read: `reload` shows it anew.
    """
    label = tr("Pourquoi annuler le paiement de {a} du {d} ?").format(
        a=format_eur(payment.amount_cents, cents=True), d=f"{payment.date:%d/%m/%Y}"
    )
    reason = ask(parent, tr("Annuler le paiement"), label)
    if reason is None or payment.id is None:
        return False
    pay_id = payment.id

    def work() -> bool:
        ops.ledger.cancel_payment(
            PaymentId(pay_id), ops.today(), reason, expected_version=payment.version
        )
        done(ops, PaymentCancelled(ops, pay_id, reason))
        return True

    return ops.run(parent, work, "invoices", reload=reload) is not None


def _html(text: str) -> str:
    """Escape user text shown in a rich-text label (a client called 'Dupont & Fils <SARL>')."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
