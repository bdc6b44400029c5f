"""Corrections from the window and Édition > Annuler / Rétablir (issue 14), on the fixed data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from models.ids import ClientId, InvoiceId
from tests.ui.conftest import TODAY
from ui.dialogs.invoice import InvoiceDialog
from ui.dialogs.payment import CORRECT_AMOUNT, KEEP_AS_CREDIT, PaymentDialog
from ui.window.invoices import InvoiceView


@pytest.fixture
def view(qtbot, ops, data) -> InvoiceView:
    """The invoice table on the fixed data, loaded."""
    widget = InvoiceView(ops)
    qtbot.addWidget(widget)
    widget.resize(1280, 600)
    widget.show()
    widget.reload()
    return widget


def pay(view: InvoiceView, number: str, amount: str, answer: str = KEEP_AS_CREDIT) -> PaymentDialog:
    row = next(r for r in view.model.index_data.rows if r.invoice == number)
    assert view.select_invoice(row.invoice_id)
    dialog = view.record_payment()
    assert dialog is not None
    dialog.ask_excess = lambda _parent, _exc: answer
    dialog.amount.setText(amount)
    dialog.save()
    return dialog


def figures(ledger, data) -> tuple[int, Decimal, int]:
    """F-002's balance, the aged balance total and Boulangerie Martin's credit."""
    return (
        ledger.balance_cents(InvoiceId(data["F-002"])),
        ledger.aged_balance(TODAY).total,
        ledger.credit_cents(ClientId(data["martin"])),
    )


def test_undo_and_redo_of_a_payment_restore_the_same_figures(qtbot, view, ops, ledger, data):
    """Rule: an undo is a recorded correction; undo then redo gives back the same figures."""
    before = figures(ledger, data)
    assert pay(view, "F-002", "300,00").saved
    after = figures(ledger, data)
    assert after[0] == before[0] - 30000
    ops.undo_stack.undo()
    assert figures(ledger, data) == before
    ops.undo_stack.redo()
    assert figures(ledger, data) == after
    cancelled = ledger.payments(InvoiceId(data["F-002"]), include_cancelled=True)
    assert [p.cancel_reason for p in cancelled] == ["Édition > Annuler", ""]  # kept, flagged
    assert ops.undo_stack.undoText() == "paiement sur la facture F-002"


def test_overpayment_asks_credit_or_correction(qtbot, view, ops, ledger, data, refusals):
    """Rule: above the balance the user chooses; a balance never goes below zero silently."""
    before = ledger.counts()["payments"]
    dialog = pay(view, "F-002", "850,00", CORRECT_AMOUNT)
    assert not dialog.saved
    assert dialog.isVisible()
    assert ledger.counts()["payments"] == before
    dialog.ask_excess = lambda _parent, _exc: KEEP_AS_CREDIT
    dialog.save()
    assert dialog.saved
    assert figures(ledger, data)[0::2] == (0, 5000)  # F-002 settled, 50 € to the credit
    ops.undo_stack.undo()  # the credit goes with the payment
    assert figures(ledger, data)[0::2] == (80000, 0)
    assert refusals == []


def test_archive_undo_redo_and_the_archived_filter(qtbot, view, ops, ledger, data):
    """Rule: an archived invoice can be seen (greyed) and restored; undo restores too."""
    total = ledger.aged_balance(TODAY).total
    assert view.select_invoice(data["F-012"])
    assert view.archive_selected(lambda *_: True)
    qtbot.waitUntil(lambda: view.model.row_of(data["F-012"]) == -1)
    assert ledger.aged_balance(TODAY).total == total - Decimal("600.00")
    view.archived.setChecked(True)
    assert [view.model.row_at(r).invoice for r in range(view.model.rowCount())] == ["F-012"]
    cell = view.model.index(0, 0)
    assert view.model.data(cell, 9) is not None  # greyed (ForegroundRole)
    assert view.select_invoice(data["F-012"])
    assert view.archive_selected(lambda *_: False)  # archived: restored, no question
    assert not ledger.invoice(InvoiceId(data["F-012"])).archived
    assert ledger.aged_balance(TODAY).total == total
    ops.undo_stack.undo()  # undo the restore: archived again
    assert ledger.invoice(InvoiceId(data["F-012"])).archived
    ops.undo_stack.undo()  # undo the archive: back in the lists
    assert ledger.aged_balance(TODAY).total == total
    notes = [a.notes for a, _ in ledger.history(ClientId(data["kasba"]))][-4:]
    assert notes == [
        "Facture F-012 archivée",
        "Facture F-012 restaurée (désarchivée)",
        "Facture F-012 archivée",
        "Facture F-012 restaurée (désarchivée)",
    ]


def test_correct_and_cancel_a_payment_from_the_invoice(qtbot, ops, ledger, data):
    """Rule: a payment is corrected or cancelled with a reason; the list keeps it struck out."""
    dialog = InvoiceDialog(ops, data["F-012"])
    qtbot.addWidget(dialog)
    assert dialog.payments is not None
    assert not dialog.correct_btn.isEnabled()
    dialog.payments.selectRow(0)
    fix = dialog.correct_payment()
    assert isinstance(fix, PaymentDialog)
    assert fix.amount.text() == "400,00"
    fix.amount.setText("300,00")
    fix.save()
    assert not fix.saved  # no reason: refused
    fix.reason.setText("chèque de 300 €")
    fix.save()
    assert fix.saved
    f012 = InvoiceId(data["F-012"])
    assert ledger.balance_cents(f012) == 70000
    assert dialog.payments.rowCount() == 2
    assert dialog.payments.item(0, 1).font().strikeOut()
    assert "chèque de 300 €" in dialog.payments.item(0, 1).toolTip()
    dialog.ask_text = lambda *_: "virement rejeté"
    dialog.payments.selectRow(1)
    assert dialog.cancel_payment()
    assert ledger.balance_cents(f012) == 100000
    assert dialog.payments_total.text() == "Aucun paiement enregistré."
    ops.undo_stack.undo()  # the cancel undone: 300 € again
    assert ledger.balance_cents(f012) == 70000
    ops.undo_stack.undo()  # the correction undone: the 400 € cheque again
    assert ledger.balance_cents(f012) == 60000
    assert ledger.counts()["payments"] >= 5  # every step a new entry, nothing deleted


def test_invoice_amount_change_is_undone_with_a_history_line(qtbot, ops, ledger, data):
    """Rule: editing an invoice's amount is a history line; undo writes the old value back."""
    dialog = InvoiceDialog(ops, data["F-002"])
    qtbot.addWidget(dialog)
    dialog.ttc.setText("900,00")
    dialog.save()
    assert ledger.invoice(InvoiceId(data["F-002"])).amount_ttc_cents == 90000
    ops.undo_stack.undo()
    assert ledger.invoice(InvoiceId(data["F-002"])).amount_ttc_cents == 80000
    line = ledger.history(ClientId(data["martin"]))[-1][0]
    assert line.kind == "correction"
    assert "Édition > Annuler" in line.notes


def test_credit_is_offered_on_another_invoice_of_the_client(qtbot, view, ops, ledger, data):
    """Rule: a trop-perçu is shown and usable on another invoice of the client (C. civ. 1347)."""
    pay(view, "F-002", "850,00", KEEP_AS_CREDIT)  # Boulangerie Martin: 50 € to the credit
    f001 = data["F-001"]  # paid: no button
    f001_row = view.row_for(f001)
    assert f001_row is not None
    assert not PaymentDialog(ops, f001_row, view).use_credit_btn.isVisibleTo(view)
    f2 = ledger.add_invoice(
        ClientId(data["martin"]), "F-003", TODAY, Decimal("120.00"), TODAY.replace(day=31)
    )
    view.reload()
    qtbot.waitUntil(lambda: view.row_for(f2) is not None)
    row = view.row_for(f2)
    assert row is not None
    dialog = PaymentDialog(ops, row, view)
    assert "50,00" in dialog.use_credit_btn.text()
    dialog.use_credit()
    assert dialog.saved
    assert ledger.balance_cents(InvoiceId(f2)) == 7000  # 120 - 50
    assert ledger.credit_cents(ClientId(data["martin"])) == 0
    ops.undo_stack.undo()
    assert ledger.credit_cents(ClientId(data["martin"])) == 5000


def test_edition_menu_undo_redo_with_ctrl_z(qtbot, ops, ledger, data, tmp_path):
    """Rule: Édition > Annuler (Ctrl+Z) / Rétablir (Ctrl+Shift+Z) name what they undo."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QKeySequence

    from ui.window.main import MainWindow

    win = MainWindow(ops, QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data)
    assert not win.act_undo.isEnabled()
    assert win.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert win.act_redo.shortcut() == QKeySequence("Ctrl+Shift+Z")
    before = figures(ledger, data)
    pay(win.invoices, "F-002", "800,00")
    assert win.act_undo.text() == "Annuler : paiement sur la facture F-002"
    win.act_undo.trigger()
    assert figures(ledger, data) == before
    assert win.act_redo.isEnabled()
    win.act_redo.trigger()
    assert figures(ledger, data)[0] == 0


def test_client_page_shows_the_trop_percu(qtbot, view, ops, ledger, data):
    """Rule: a trop-perçu is shown on the client (issue 14)."""
    from ui.window.client_page import ClientPage

    page = ClientPage(ops)
    qtbot.addWidget(page)
    page.show_client(data["martin"])
    assert page.fields["credit"].text() == "—"
    pay(view, "F-002", "850,00", KEEP_AS_CREDIT)
    page.show_client(data["martin"])
    assert page.fields["credit"].text() == "50,00\u00a0€"


def test_call_note_undone_is_kept_flagged_and_redone(qtbot, ops, ledger, data, refusals):
    """Rule: undoing a call note flags its line cancelled (greyed in the history); redo copies."""
    from ui.dialogs.call import CallDialog
    from ui.tables.history import ID_ROLE, HistoryTableModel

    kasba = ClientId(data["kasba"])
    dialog = CallDialog(ops, kasba, [data["F-010"]])
    qtbot.addWidget(dialog)
    dialog.set_outcome("Facture non reçue — renvoyée")
    dialog.notes.setPlainText("Rappeler lundi")
    dialog.accept()
    assert refusals == []
    note = dialog.action_id
    assert ops.undo_stack.undoText() == "note d'appel"
    ops.undo_stack.undo()
    cancelled = next(a for a, _ in ledger.history(kasba) if a.id == note)
    assert cancelled.cancel_reason == "Édition > Annuler"
    model = HistoryTableModel()
    model.set_rows(ledger.history(kasba))
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0), ID_ROLE) == note)
    assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole).strikeOut()
    ops.undo_stack.redo()
    live = [a for a, _ in ledger.history(kasba) if a.notes.endswith("Rappeler lundi")]
    assert [a.cancelled_on is None for a in live] == [False, True]


def test_dispute_and_write_off_are_undone_and_redone(qtbot, view, ops, ledger, data):
    """Rule: stage actions undo as recorded corrections; the stage comes back."""

    def stage() -> str:
        return next(r.stage for r in ledger.stages(TODAY) if r.invoice == "F-002")

    assert view.select_invoice(data["F-002"])
    assert view.toggle_dispute(lambda *_: "Livraison incomplète", lambda *_: True)
    assert stage() == "disputed"
    ops.undo_stack.undo()
    assert stage() == "overdue"
    ops.undo_stack.redo()
    assert stage() == "disputed"
    ops.undo_stack.undo()
    assert view.write_off(lambda *_: "liquidation judiciaire")
    assert stage() == "written_off"
    ops.undo_stack.undo()
    assert stage() == "overdue"
    ops.undo_stack.redo()
    assert stage() == "written_off"


def test_pause_and_resume_are_undone_and_redone(qtbot, ops, ledger, data):
    """Rule: pausing a client's reminders is undone by Ctrl+Z (the pause as it was) and redone."""
    import datetime as dt

    from ui.dialogs.client import PauseDialog

    martin = ClientId(data["martin"])
    dialog = PauseDialog(ops, martin)
    qtbot.addWidget(dialog)
    dialog.until.setDate(dialog.until.date().addDays(20))
    dialog.reason.setText("Litige sur la livraison")
    dialog.accept()
    paused = ledger.client(martin).paused_until
    assert paused is not None
    assert paused > dt.date(2000, 1, 1)
    ops.undo_stack.undo()
    assert ledger.client(martin).paused_until is None
    ops.undo_stack.redo()
    assert ledger.client(martin).paused_until == paused
    assert ledger.client(martin).pause_reason == "Litige sur la livraison"
