"""Screenshots at 1280×720 of what issue 14 changed: corrections, archives, clients, printing.

Usage: `python -m ui.screenshots.corrections docs/screenshots` (offscreen, or `xvfb-run -a`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from models.errors import OverpaymentError
from models.ids import InvoiceId
from ui.dialogs.payment import CORRECT_AMOUNT, PaymentDialog, excess_box
from ui.ops import tr
from ui.screenshots import demo, run, settle, shoot
from ui.settings.dialog import SettingsDialog, unsaved_box
from ui.window.main import TAB_CLIENTS, TAB_INVOICES, MainWindow

DAY = dt.date(2026, 3, 15)  # the demo is dated relative to this day: reproducible shots
WIDTH, HEIGHT = 1280, 720


def main(argv: list[str]) -> int:
    """Build the demo in memory and save the PNGs (a QApplication must be running)."""
    out, ledger, ops = demo(argv, DAY)
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "relance.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ops, settings)
        window.resize(WIDTH, HEIGHT)
        window.show()
        window.load()
        settle(0.2)
        view = window.invoices
        shoot(window, out / "invoices_1280.png")

        # A payment corrected then another cancelled: both kept, struck out, with the reason.
        paid = [r for r in view.model.index_data.rows if 0 < r.balance_cents < r.total_cents]
        row = paid[0]
        pays = ledger.payments(InvoiceId(row.invoice_id))
        if pays and pays[0].id is not None:
            first = ledger.correct_payment(
                pays[0].id, DAY, "montant mal saisi", amount=Decimal(pays[0].amount_cents) / 200
            )
            ledger.cancel_payment(first, DAY, "chèque rejeté par la banque")
            ledger.record_payment(InvoiceId(row.invoice_id), DAY, Decimal("100.00"), "cheque")
        view.reload()
        settle(0.2)
        dialog = view.open_invoice(row.invoice_id)
        dialog.resize(640, dialog.sizeHint().height())
        if dialog.payments is not None:
            dialog.payments.selectRow(dialog.payments.rowCount() - 1)
        shoot(dialog, out / "invoice_payment_corrections.png")
        fix = dialog.correct_payment()
        if fix is not None:
            fix.reason.setText("chèque de 150 € et non 100 €")
            fix.amount.setText("150,00")
            shoot(fix, out / "payment_correction.png", 520, fix.sizeHint().height())
            fix.reject()
        dialog.reject()

        # An overpayment asks what to do with the excess.
        due = next(r for r in view.model.index_data.rows if r.balance_cents > 0)
        pay = PaymentDialog(ops, due, window)
        asked: list[QMessageBox] = []

        def ask(parent: QWidget | None, exc: OverpaymentError) -> str:
            asked.append(excess_box(parent, exc)[0])
            return CORRECT_AMOUNT

        pay.ask_excess = ask
        pay.amount.setText(f"{(due.balance_cents + 5000) / 100:.2f}".replace(".", ","))
        pay.save()
        for question in asked:
            shoot(question, out / "overpayment_question.png", 620, question.sizeHint().height())
            question.close()
        pay.reject()

        # Archived invoices: the filter shows them greyed, ready to restore.
        for r in view.model.index_data.rows[:3]:
            ledger.archive_invoice(InvoiceId(r.invoice_id), on=DAY)
        view.reload()
        settle(0.2)
        view.archived.setChecked(True)
        shoot(window, out / "invoices_archived_1280.png")
        view.archived.setChecked(False)

        window.show_tab(TAB_CLIENTS)
        settle(0.3)
        clients = window.clients_view
        clients.table.selectRow(0)
        settle(0.2)
        shoot(window, out / "clients_1280.png")

        window.show_tab(TAB_INVOICES)
        preview = window.print_view()
        shoot(preview, out / "print_preview_invoices.png", WIDTH, HEIGHT, wait=0.5)
        preview.close()

        settings_dialog = SettingsDialog(ops, window)
        settings_dialog.pages["company"].edits["name"].setText("Atelier Éric Dupont")  # type: ignore[attr-defined]
        box = unsaved_box(settings_dialog, [tr("Entreprise")])[0]
        shoot(box, out / "settings_unsaved_question.png", 560, box.sizeHint().height())
        box.close()
        settings_dialog.close()
        window.close()
        for widget in (window, settings_dialog):
            widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    ledger.close()
    return 0


if __name__ == "__main__":
    run(main)
