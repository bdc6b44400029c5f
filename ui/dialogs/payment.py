"""Record a payment against one invoice: amount prefilled with the balance, today's date."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import FieldError, InputError
from models.ids import InvoiceId
from models.money import format_eur, parse_amount, to_cents
from models.todo import StageRow
from ui.ops import Ops, tr
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

    def __init__(self, ops: Ops, row: StageRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.row = row
        self.saved = False
        self.setWindowTitle(tr("Enregistrer un paiement"))
        what = QLabel(
            tr("Facture <b>{n}</b> — {c}<br>Montant TTC {t}, reste dû <b>{b}</b>").format(
                n=_html(row.invoice),
                c=_html(row.client),
                t=format_eur(row.total_cents, cents=True),
                b=format_eur(row.balance_cents, cents=True),
            )
        )
        self.amount = QLineEdit(amount_text(row.balance_cents) if row.balance_cents > 0 else "")
        self.amount.setPlaceholderText(tr("ex. 1 250,00"))
        self.amount.textChanged.connect(self._hint)
        self.date = date_edit(ops.today())
        self.method = QComboBox()
        for code, label in METHOD_LABELS.items():
            self.method.addItem(tr(label), code)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(tr("n° de chèque, libellé du virement…"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Montant reçu (€)"), self.amount)
        form.addRow(tr("Date"), self.date)
        form.addRow(tr("Moyen de paiement"), self.method)
        form.addRow(tr("Référence"), self.reference)
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

    def set_method(self, code: str) -> None:
        """Choose a payment method by its code ('cheque', ...)."""
        self.method.setCurrentIndex(max(0, self.method.findData(code)))

    def _hint(self) -> None:
        try:
            cents = to_cents(parse_amount(self.amount.text()))
        except ValueError:
            self.hint.setText("")
            return
        rest = self.row.balance_cents - cents
        if cents <= 0 or self.row.balance_cents <= 0:
            text = ""
        elif rest == 0:
            text = tr("La facture sera soldée.")
        elif rest > 0:
            text = tr("Paiement partiel : il restera {r} à payer.").format(
                r=format_eur(rest, cents=True)
            )
        else:
            text = tr("Trop-perçu de {r} : il restera au crédit du client.").format(
                r=format_eur(-rest, cents=True)
            )
        self.hint.setText(text)

    def save(self) -> None:
        """Record through the Ledger; close only when it was accepted."""
        if self.ops.run(self, self._record, "invoices") is not None:
            self.saved = True
            self.accept()

    def _record(self) -> int:
        amount = read_amount(self.amount.text(), tr("montant"))
        assert amount is not None
        return self.ops.ledger.record_payment(
            InvoiceId(self.row.invoice_id),
            from_qdate(self.date.date()),
            amount,
            str(self.method.currentData()),
            self.reference.text().strip(),
        )


def _html(text: str) -> str:
    """Escape user text shown in a rich-text label (a client called 'Dupont & Fils <SARL>')."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
