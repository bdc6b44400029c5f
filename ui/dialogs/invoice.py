"""Create or edit an invoice (French amounts, payments listed); archive, dispute, write off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.errors import FieldError, InputError
from models.ids import ClientId, InvoiceId
from models.law.deadlines import beyond_max_term
from models.law.stages import STAGES
from models.money import format_eur, to_cents
from models.todo import StageRow
from models.validation import term_warning
from ui.dialogs.payment import (
    PaymentDialog,
    amount_text,
    cancel_payment,
    method_label,
    read_amount,
)
from ui.dialogs.pieces import install_drop, open_pieces
from ui.ops import Ops, tr
from ui.translations import plural
from ui.undo import DisputeMarked, InvoiceEdited, InvoicesArchived, WrittenOff, done
from ui.widgets import ask_text, date_edit, dialog_buttons, from_qdate, to_qdate

WARNING_STYLE = "background: #fff3b0; color: #4a3b00; border: 1px solid #e0c040; padding: 6px;"
BARRED_STYLE = "color: #a40000; font-weight: bold;"


class InvoiceDialog(QDialog):
    """An invoice's form; saving goes through the Ledger, a refusal keeps the dialog open."""

    def __init__(
        self,
        ops: Ops,
        invoice_id: int | None = None,
        parent: QWidget | None = None,
        *,
        row: StageRow | None = None,
        client_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.invoice_id = invoice_id
        self.saved_id: int | None = None
        led = ops.ledger
        inv = led.invoice(InvoiceId(invoice_id)) if invoice_id is not None else None
        self.original = inv
        # Issue 18: the version read; saving from it is refused if someone changed it since.
        self.version = inv.version if inv is not None else None
        self.row = row
        self.ask_text: Callable[[QWidget | None, str, str], str | None] = ask_text
        self.payment_dialog: PaymentDialog | None = None
        self.setWindowTitle(
            tr("Facture {n}").format(n=inv.number) if inv else tr("Nouvelle facture")
        )

        self.client = QComboBox()
        self.client.setEditable(True)
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in led.clients(include_archived=inv is not None):
            self.client.addItem(c.name, c.id)
        completer = QCompleter(self.client.model(), self.client)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.client.setCompleter(completer)
        wanted = inv.client_id if inv else client_id
        self.client.setCurrentIndex(self.client.findData(wanted) if wanted is not None else -1)

        today = ops.today()
        self.number = QLineEdit(inv.number if inv else "")
        self.number.setPlaceholderText(tr("ex. FA-2026-0042"))
        self.issue = date_edit(inv.issue_date if inv else today)
        self.due = date_edit(inv.due_date if inv else led.default_due(today))
        # A new invoice's due date follows its issue date until the user sets it.
        self._due_given = inv is not None
        self._following = False
        self.issue.dateChanged.connect(self._issue_changed)
        self.due.dateChanged.connect(self._due_changed)
        self.ttc = QLineEdit(amount_text(inv.amount_ttc_cents) if inv else "")
        self.ttc.setPlaceholderText(tr("ex. 1 250,00"))
        self.ht = QLineEdit(amount_text(inv.amount_ht_cents) if inv and inv.amount_ht_cents else "")
        self.ht.setPlaceholderText(tr("facultatif"))
        self.deposit = QLineEdit(
            amount_text(inv.deposit_cents) if inv and inv.deposit_cents else ""
        )
        self.deposit.setPlaceholderText(tr("0,00"))
        self.order = QLineEdit(inv.order_number if inv else "")
        self.subject = QLineEdit(inv.subject if inv else "")
        self.subject.setPlaceholderText(tr("ex. Refonte du site, lot 2"))
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        # C. com. L441-10 I: beyond the legal maximum, the user may count from the maximum.
        self.from_max = QCheckBox()
        self.from_max.setChecked(bool(inv.penalties_from_max_term) if inv else False)
        # Consumer services: prescription runs from the completion (C. conso. L218-2).
        self.completed = QCheckBox(tr("achevée le"))
        self.completed.setToolTip(
            tr(
                "Client particulier : la prescription de deux ans court de la fin de la "
                "prestation (C. consom. L218-2)"
            )
        )
        self.completed_on = date_edit(inv.completed_on if inv and inv.completed_on else today)
        self.completed.setChecked(bool(inv and inv.completed_on))
        self.completed_on.setEnabled(self.completed.isChecked())
        self.completed.toggled.connect(self.completed_on.setEnabled)
        self.prescription = QLabel()
        self.prescription.setWordWrap(True)
        self.interrupt_btn = QPushButton(tr("Noter une reconnaissance de dette…"))
        self.interrupt_btn.setToolTip(
            tr("Reconnaissance de dette ou demande en justice : la prescription repart")
        )
        self.interrupt_btn.clicked.connect(self.record_interruption)
        self.interruption_dialog: QDialog | None = None
        self.pieces_dialog: QDialog | None = None
        self.pieces_btn = QPushButton(tr("Pièces…"))
        self.pieces_btn.setToolTip(tr("Bon de commande, devis signé, bon de livraison…"))
        self.pieces_btn.clicked.connect(self.open_pieces)

        form = QFormLayout()
        form.addRow(tr("Client"), self.client)
        form.addRow(tr("N° de facture"), self.number)
        dates = QHBoxLayout()
        dates.addWidget(self.issue)
        dates.addWidget(QLabel(tr("échéance")))
        dates.addWidget(self.due)
        dates.addStretch(1)
        form.addRow(tr("Date de facture"), dates)
        form.addRow(tr("Montant TTC (€)"), self.ttc)
        form.addRow(tr("Montant HT (€)"), self.ht)
        form.addRow(tr("Acompte reçu (€)"), self.deposit)
        form.addRow(tr("N° de commande"), self.order)
        form.addRow(tr("Objet"), self.subject)
        done = QHBoxLayout()
        done.addWidget(self.completed)
        done.addWidget(self.completed_on)
        done.addStretch(1)
        form.addRow(tr("Prestation"), done)
        if inv is not None:
            limit_row = QHBoxLayout()
            limit_row.addWidget(self.prescription, 1)
            limit_row.addWidget(self.interrupt_btn, 0, Qt.AlignmentFlag.AlignTop)
            form.addRow(tr("Prescription"), limit_row)

        layout = QVBoxLayout(self)
        if row is not None:
            info = STAGES.get(row.stage)
            state = QLabel(
                tr("Étape : <b>{s}</b> — reste dû au {d} : <b>{b}</b>").format(
                    s=tr(info.label) if info else row.stage,
                    d=f"{today:%d/%m/%Y}",
                    b=format_eur(row.balance_cents, cents=True),
                )
            )
            layout.addWidget(state)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.from_max)
        self.payments = self._payments_table() if invoice_id is not None else None
        if self.payments is not None:
            layout.addWidget(QLabel(tr("<b>Paiements reçus</b>")))
            layout.addWidget(self.payments)
            fixes = QHBoxLayout()
            fixes.addWidget(self.payments_total, 1)
            fixes.addWidget(self.correct_btn)
            fixes.addWidget(self.cancel_btn)
            layout.addLayout(fixes)
        self.buttons = dialog_buttons(self, tr("Enregistrer"), self.save)
        if inv is not None:
            self.buttons.addButton(self.pieces_btn, QDialogButtonBox.ButtonRole.ActionRole)
            # Files dropped on the dialog become pieces of this invoice (ui/dialogs/pieces.py).
            self.drop = install_drop(self, ops, lambda: (inv.client_id, inv.id))
        layout.addWidget(self.buttons)
        self._update_warning()
        self._show_prescription()
        self.setMinimumWidth(560)
        (self.number if self.client.currentIndex() >= 0 else self.client).setFocus()

    # -- payments ----------------------------------------------------------------------------
    def _payments_table(self) -> QTableWidget:
        """Payments received, the cancelled ones kept greyed and struck out (issue 14)."""
        table = QTableWidget(0, 4)
        table.setHorizontalHeaderLabels([tr("Date"), tr("Montant"), tr("Moyen"), tr("Référence")])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.payments_total = QLabel()
        self.correct_btn = QPushButton(tr("Corriger le paiement…"))
        self.correct_btn.clicked.connect(self.correct_payment)
        self.cancel_btn = QPushButton(tr("Annuler le paiement…"))
        self.cancel_btn.clicked.connect(self.cancel_payment)
        table.itemSelectionChanged.connect(self._payment_buttons)
        self.payments = table
        self._fill_payments()
        return table

    def _fill_payments(self) -> None:
        assert self.invoice_id is not None
        assert self.payments is not None
        table = self.payments
        self.payment_records = self.ops.ledger.payments(
            InvoiceId(self.invoice_id), include_cancelled=True
        )
        pays = self.payment_records
        table.setRowCount(len(pays))
        grey = QBrush(QColor("#8a8a8a"))
        for r, p in enumerate(pays):
            amount = QTableWidgetItem(format_eur(p.amount_cents, cents=True))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells = (
                QTableWidgetItem(f"{p.date:%d/%m/%Y}"),
                amount,
                QTableWidgetItem(method_label(p.method)),
                QTableWidgetItem(p.reference),
            )
            for c, cell in enumerate(cells):
                if p.cancelled_on is not None:  # kept, flagged: a record says what happened
                    font = cell.font()
                    font.setStrikeOut(True)
                    cell.setFont(font)
                    cell.setForeground(grey)
                    what = tr("Remplacé le {d}") if p.replaced_by else tr("Annulé le {d}")
                    cell.setToolTip(
                        what.format(d=f"{p.cancelled_on:%d/%m/%Y}")
                        + tr(" — motif : {m}").format(m=p.cancel_reason)
                    )
                table.setItem(r, c, cell)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        rows_shown = min(max(len(pays), 1), 4)
        table.setFixedHeight(
            header.sizeHint().height()
            + rows_shown * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        live = [p for p in pays if p.cancelled_on is None]
        received = sum(p.amount_cents for p in live)
        self.payments_total.setText(
            tr("Aucun paiement enregistré.")
            if not live
            else tr("Total reçu : {t}").format(t=format_eur(received, cents=True))
        )
        self._payment_buttons()

    def selected_payment(self) -> Any:
        """The payment selected in the list, if it still counts (not cancelled)."""
        if self.payments is None:
            return None
        rows = {i.row() for i in self.payments.selectedIndexes()}
        if len(rows) != 1:
            return None
        pay = self.payment_records[rows.pop()]
        return pay if pay.cancelled_on is None else None

    def _payment_buttons(self) -> None:
        live = self.selected_payment() is not None
        self.correct_btn.setEnabled(live)
        self.cancel_btn.setEnabled(live)

    def correct_payment(self) -> PaymentDialog | None:
        """Open the selected payment in the payment dialog, to correct it with a reason."""
        pay = self.selected_payment()
        row = self.row or self._stage_row()
        if pay is None or row is None:
            return None
        dialog = PaymentDialog(self.ops, row, self, payment=pay)
        dialog.accepted.connect(self._payments_changed)
        self.payment_dialog = dialog
        dialog.open()
        return dialog

    def cancel_payment(self) -> bool:
        """Cancel the selected payment with a reason; it stays in the list, struck out."""
        pay = self.selected_payment()
        if pay is None:
            return False
        if cancel_payment(self, self.ops, pay, self.ask_text, reload=self._fill_payments):
            self._payments_changed()
            return True
        return False

    def _payments_changed(self) -> None:
        """A payment corrected or cancelled from this dialog moved the invoice's version: the
        form goes on from the new one (its own change is no conflict)."""
        if self.invoice_id is not None:
            self.version = self.ops.ledger.invoice(InvoiceId(self.invoice_id)).version
        self._fill_payments()

    def _stage_row(self) -> StageRow | None:
        """This invoice's stage row today (opened without one, e.g. from the client page)."""
        rows = [
            r for r in self.ops.ledger.stages(self.ops.today()) if r.invoice_id == self.invoice_id
        ]
        return rows[0] if rows else None

    # -- dates -------------------------------------------------------------------------------
    def _issue_changed(self) -> None:
        if not self._due_given:
            default = self.ops.ledger.default_due(from_qdate(self.issue.date()))
            self._following = True
            self.due.setDate(to_qdate(default))
            self._following = False
        self._update_warning()

    def _due_changed(self) -> None:
        if not self._following:
            self._due_given = True
        self._update_warning()

    def _update_warning(self) -> None:
        """C. com. L441-10 I: a due date past the legal maximum is flagged with the limit date."""
        issue, due = from_qdate(self.issue.date()), from_qdate(self.due.date())
        text = term_warning(issue, due) if due >= issue else None
        limit = beyond_max_term(issue, due) if due >= issue else None
        if text and limit is not None:
            text += " " + tr("Date limite légale : {d}.").format(d=f"{limit:%d/%m/%Y}")
        self.warning.setText(f"⚠ {text}" if text else "")
        self.warning.setVisible(bool(text))
        if limit is not None:
            self.from_max.setText(
                tr("Compter les pénalités dès le maximum légal ({d})").format(d=f"{limit:%d/%m/%Y}")
            )
            self.from_max.setToolTip(
                tr(
                    "Entre professionnels : pénalités et relances partent du {d} plutôt que de "
                    "l'échéance indiquée (C. com. L441-10). Sinon, simple avertissement."
                ).format(d=f"{limit:%d/%m/%Y}")
            )
        self.from_max.setVisible(limit is not None)

    def _show_prescription(self) -> None:
        """The expiry date computed from the facts (models.law.prescription), for a saved one."""
        if self.invoice_id is None:
            return
        try:
            claim = self.ops.ledger.prescription(self.invoice_id, self.ops.today())
        except InputError:  # archived: out of the lists, nothing to watch
            self.prescription.setText(tr("Facture archivée"))
            return
        self.prescription.setText(claim.text())
        self.prescription.setStyleSheet(BARRED_STYLE if claim.time_barred else "")

    def open_pieces(self) -> None:
        """This invoice's pieces and its client's (ui/dialogs/pieces.py)."""
        inv = self.original
        if inv is not None and inv.id is not None:
            self.pieces_dialog = open_pieces(self, self.ops, inv.client_id, inv.id)

    def record_interruption(self) -> None:
        """Open the dialog that records an acknowledgement or a court filing for this invoice."""
        from ui.dialogs.interruption import InterruptionDialog

        inv = self.original
        if inv is None or inv.id is None:
            return
        dialog = InterruptionDialog(self.ops, inv.client_id, [(inv.id, inv.number)], [], self)
        dialog.accepted.connect(self._show_prescription)
        self.interruption_dialog = dialog
        dialog.open()

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> None:
        """Validate and write through the Ledger; the dialog closes only when accepted.

        Changed meanwhile by someone else: the conflict is said, and the user may reload.
        """
        if self.ops.run(self, self._write, "invoices", reload=self.reload) is not None:
            self.accept()

    def reload(self) -> None:
        """Show the invoice as it is now in the ledger (after a conflict), at its version."""
        if self.invoice_id is None:
            return
        inv = self.ops.ledger.invoice(InvoiceId(self.invoice_id))
        self.original, self.version = inv, inv.version
        self.client.setCurrentIndex(self.client.findData(inv.client_id))
        self.number.setText(inv.number)
        self.issue.setDate(to_qdate(inv.issue_date))
        self.due.setDate(to_qdate(inv.due_date))
        self.ttc.setText(amount_text(inv.amount_ttc_cents))
        self.ht.setText(amount_text(inv.amount_ht_cents) if inv.amount_ht_cents else "")
        self.deposit.setText(amount_text(inv.deposit_cents) if inv.deposit_cents else "")
        self.order.setText(inv.order_number)
        self.subject.setText(inv.subject)
        self.from_max.setChecked(bool(inv.penalties_from_max_term))
        self.completed.setChecked(inv.completed_on is not None)
        if inv.completed_on is not None:
            self.completed_on.setDate(to_qdate(inv.completed_on))
        if self.payments is not None:
            self._fill_payments()
        self._update_warning()

    def _client_id(self) -> int:
        index = self.client.currentIndex()
        if index >= 0 and self.client.itemText(index) == self.client.currentText():
            return int(self.client.itemData(index))
        found = self.client.findText(self.client.currentText().strip())
        if found >= 0:
            return int(self.client.itemData(found))
        message = (
            tr("choisissez un client de la liste")
            if self.client.count()
            else tr("créez d'abord le client (Fichier > Nouveau client)")
        )
        raise InputError([FieldError(tr("client"), message)])

    def _values(self) -> dict[str, Any]:
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        for key, edit, field, required in (
            ("ttc", self.ttc, tr("montant TTC"), True),
            ("ht", self.ht, tr("montant HT"), False),
            ("deposit", self.deposit, tr("acompte"), False),
        ):
            try:
                values[key] = read_amount(edit.text(), field, required)
            except InputError as exc:
                errors.extend(exc.errors)
        try:
            values["client_id"] = self._client_id()
        except InputError as exc:
            errors.extend(exc.errors)
        if errors:
            raise InputError(errors)
        return values

    def _completed(self) -> dt.date | None:
        return from_qdate(self.completed_on.date()) if self.completed.isChecked() else None

    def _from_max(self, issue: dt.date, due: dt.date) -> bool:
        """The choice counts only while the due date lies beyond the legal maximum."""
        return self.from_max.isChecked() and beyond_max_term(issue, due) is not None

    def _write(self) -> int:
        v = self._values()
        issue, due = from_qdate(self.issue.date()), from_qdate(self.due.date())
        deposit: Decimal = v["deposit"] or Decimal(0)
        led = self.ops.ledger
        if self.invoice_id is None:
            self.saved_id = led.add_invoice(
                ClientId(v["client_id"]),
                self.number.text(),
                issue,
                v["ttc"],
                due_date=due if self._due_given else None,
                amount_ht=v["ht"],
                deposit=deposit,
                order_number=self.order.text().strip(),
                subject=self.subject.text().strip(),
                completed_on=self._completed(),
                penalties_from_max_term=self._from_max(issue, due),
            )
            return self.saved_id
        ht_cents = to_cents(v["ht"]) if v["ht"] is not None else 0
        ttc_cents = to_cents(v["ttc"])
        wanted = {
            "client_id": v["client_id"],
            "number": self.number.text().strip(),
            "issue_date": issue,
            "due_date": due,
            "amount_ttc_cents": ttc_cents,
            "amount_ht_cents": ht_cents,
            "vat_cents": ttc_cents - ht_cents if ht_cents else 0,
            "deposit_cents": to_cents(deposit),
            "order_number": self.order.text().strip(),
            "subject": self.subject.text().strip(),
            "completed_on": self._completed(),
            "penalties_from_max_term": self._from_max(issue, due),
        }
        inv = self.original
        changes = {k: val for k, val in wanted.items() if getattr(inv, k) != val}
        if changes:
            before = {k: getattr(inv, k) for k in changes}
            # Issue 14: each change of amount, due date or client is a history line.
            led.update_invoice(
                InvoiceId(self.invoice_id),
                on=self.ops.today(),
                expected_version=self.version,
                **changes,
            )
            done(self.ops, InvoiceEdited(self.ops, self.invoice_id, before, changes))
        self.saved_id = self.invoice_id
        return self.invoice_id


Ask = Callable[[QWidget | None, str, str], bool]  # (parent, title, question) -> yes
AskText = Callable[[QWidget | None, str, str], str | None]  # (parent, title, label) -> text


def archive_invoices(parent: QWidget, ops: Ops, rows: Sequence[StageRow], confirm: Ask) -> bool:
    """Hide invoices after confirmation; their history stays."""
    if not rows:
        return False
    names = ", ".join(r.invoice for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    question = plural(
        len(rows),
        tr(
            "Archiver {n} facture : {names} ?\n\nElle disparaît des listes et de la balance "
            "âgée ; son historique est conservé (filtre « Archivées » pour la restaurer)."
        ),
        tr(
            "Archiver {n} factures : {names} ?\n\nElles disparaissent des listes et de la "
            "balance âgée ; leur historique est conservé (filtre « Archivées » pour les restaurer)."
        ),
    ).format(n=len(rows), names=names)
    if not confirm(parent, tr("Archiver"), question):
        return False
    led = ops.ledger

    def work() -> None:
        for r in rows:
            led.archive_invoice(InvoiceId(r.invoice_id), on=ops.today())
        done(ops, InvoicesArchived(ops, [r.invoice_id for r in rows], True))

    return _apply(parent, ops, work)


def restore_invoices(parent: QWidget, ops: Ops, rows: Sequence[StageRow]) -> bool:
    """Show archived invoices in the lists again; a history line says so (issue 14)."""
    if not rows:
        return False
    led = ops.ledger

    def work() -> None:
        for r in rows:
            led.archive_invoice(InvoiceId(r.invoice_id), False, on=ops.today())
        done(ops, InvoicesArchived(ops, [r.invoice_id for r in rows], False))

    return _apply(parent, ops, work)


def toggle_dispute(
    parent: QWidget, ops: Ops, row: StageRow, ask_text: AskText, confirm: Ask
) -> bool:
    """Mark an invoice disputed with the client's reason, or settle its dispute."""
    led, today, inv = ops.ledger, ops.today(), InvoiceId(row.invoice_id)
    if row.stage == "disputed":
        question = tr("Le litige sur la facture {n} est-il réglé ? Les relances reprennent.")
        if not confirm(parent, tr("Lever le litige"), question.format(n=row.invoice)):
            return False
        return _apply(parent, ops, lambda: led.resolve_dispute(inv, today))
    label = tr("Que conteste le client (facture {n}) ?").format(n=row.invoice)
    reason = ask_text(parent, tr("Marquer en litige"), label)
    if reason is None:
        return False

    def work() -> None:
        led.mark_disputed(inv, today, reason)
        done(ops, DisputeMarked(ops, inv, reason))

    return _apply(parent, ops, work)


def write_off(parent: QWidget, ops: Ops, row: StageRow, ask_text: AskText) -> bool:
    """Declare an invoice unrecoverable (passée en perte), with the reason kept."""
    led, today, inv = ops.ledger, ops.today(), InvoiceId(row.invoice_id)
    label = tr("Pourquoi la facture {n} ({b}) est-elle perdue ?").format(
        n=row.invoice, b=format_eur(row.balance_cents, cents=True)
    )
    reason = ask_text(parent, tr("Passer en perte"), label)
    if reason is None:
        return False

    def work() -> None:
        led.write_off(inv, today, reason)
        done(ops, WrittenOff(ops, inv, reason))

    return _apply(parent, ops, work)


def _apply(parent: QWidget, ops: Ops, work: Callable[[], object]) -> bool:
    """Run a Ledger write through `ops` (refusals shown there); True when it was accepted."""

    def step() -> bool:
        work()
        return True

    return ops.run(parent, step, "invoices") is not None
