"""Invoice and payment dialogs, dispute, write-off and archive from the invoice table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from models.ids import InvoiceId
from tests.ui.conftest import TODAY
from ui.dialogs.invoice import InvoiceDialog
from ui.dialogs.payment import METHOD_LABELS, PaymentDialog
from ui.tables.invoice_index import COL_BALANCE, COL_STAGE
from ui.window.invoices import InvoiceView

NBSP = "\u00a0"


@pytest.fixture
def view(qtbot, ops, data) -> InvoiceView:
    """The invoice table on the fixed data, shown and loaded."""
    widget = InvoiceView(ops)
    qtbot.addWidget(widget)
    widget.resize(1300, 600)
    widget.show()
    widget.reload()  # an in-memory database loads at once
    assert widget.has_data
    return widget


def select(view: InvoiceView, number: str) -> None:
    """Put the cursor on an invoice and give the table the focus."""
    row = next(r for r in view.model.index_data.rows if r.invoice == number)
    assert view.select_invoice(row.invoice_id)
    view.table.setFocus()


def shown(view: InvoiceView, number: str, col: int) -> str:
    m = view.model
    r = next(i for i in range(m.rowCount()) if m.row_at(i).invoice == number)
    return m.data(m.index(r, col))


# -- payments ------------------------------------------------------------------------------
def test_p_then_enter_records_the_full_balance_and_the_invoice_is_paid(qtbot, view, ledger):
    select(view, "F-002")
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    dialog = view.dialog
    assert isinstance(dialog, PaymentDialog)
    assert dialog.amount.text() == "800,00"
    assert dialog.date.date() == QDate(2026, 3, 15)
    assert dialog.method.currentText() == "Virement"
    assert [dialog.method.itemText(i) for i in range(dialog.method.count())] == list(
        METHOD_LABELS.values()
    )
    assert "soldée" in dialog.hint.text()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.saved
    pays = ledger.payments(InvoiceId(view.row_for(dialog.row.invoice_id).invoice_id))
    assert [(p.date, p.amount_cents, p.method) for p in pays] == [(TODAY, 80000, "transfer")]
    assert shown(view, "F-002", COL_STAGE) == "Payée"
    assert shown(view, "F-002", COL_BALANCE) == f"0,00{NBSP}€"


def test_partial_payment_by_cheque_keeps_the_stage(qtbot, view, ledger, data):
    select(view, "F-010")
    dialog = view.record_payment()
    assert dialog.amount.text() == f"2{NBSP}400,00"
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "1 000,50")
    assert "il restera 1" in dialog.hint.text()
    dialog.set_method("cheque")
    dialog.reference.setText("Chq 1234567")
    dialog.date.setDate(QDate(2026, 3, 14))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    (pay,) = ledger.payments(InvoiceId(data["F-010"]))
    assert (pay.amount_cents, pay.method, pay.reference, pay.date) == (
        100050,
        "cheque",
        "Chq 1234567",
        dt.date(2026, 3, 14),
    )
    assert shown(view, "F-010", COL_STAGE) == "Relance 1"
    assert shown(view, "F-010", COL_BALANCE) == f"1{NBSP}399,50{NBSP}€"


@pytest.mark.parametrize("amount", ["-50", "0", "douze euros", "12,345", ""])
def test_bad_payment_amount_is_refused_and_nothing_written(qtbot, view, ledger, refusals, amount):
    before = ledger.counts()
    select(view, "F-002")
    dialog = view.record_payment()
    dialog.amount.setText(amount)
    dialog.save()
    assert len(refusals) == 1
    assert "montant" in str(refusals[0])
    assert not dialog.saved
    assert dialog.isVisible()  # stays open for a correction
    assert ledger.counts() == before


def test_p_without_a_selection_does_nothing(qtbot, view):
    view.table.clearSelection()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    assert view.dialog is None


# -- invoice dialog ------------------------------------------------------------------------
def new_dialog(qtbot, ops, client: str) -> InvoiceDialog:
    dialog = InvoiceDialog(ops)
    qtbot.addWidget(dialog)
    dialog.client.setCurrentIndex(dialog.client.findText(client))
    return dialog


def test_new_invoice_with_french_amounts(qtbot, ops, ledger, data, refusals):
    dialog = new_dialog(qtbot, ops, "Studio Kasba")
    qtbot.keyClicks(dialog.number, "F-100")
    dialog.issue.setDate(QDate(2026, 3, 10))
    assert dialog.due.date() == QDate(2026, 4, 9)  # follows the issue date: 30 days
    qtbot.keyClicks(dialog.ttc, "1 234,56")
    dialog.ttc.insert(" €")  # QTest cannot type the euro sign
    qtbot.keyClicks(dialog.ht, "1 028,80")
    qtbot.keyClicks(dialog.deposit, "200")
    qtbot.keyClicks(dialog.order, "BC-77")
    qtbot.keyClicks(dialog.subject, "Clip <promo> & co")
    dialog.save()
    assert refusals == []
    inv = ledger.find_invoice("F-100")
    assert (inv.amount_ttc_cents, inv.amount_ht_cents, inv.vat_cents, inv.deposit_cents) == (
        123456,
        102880,
        20576,
        20000,
    )
    assert (inv.issue_date, inv.due_date, inv.due_date_given) == (
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 9),
        False,  # the legal default, not typed
    )
    assert (inv.client_id, inv.order_number, inv.subject) == (
        data["kasba"],
        "BC-77",
        "Clip <promo> & co",
    )
    assert dialog.saved_id == inv.id


@pytest.mark.parametrize(
    ("number", "ttc", "issue", "due", "word"),
    [
        ("F-200", "-10,00", QDate(2026, 3, 1), QDate(2026, 3, 31), "négatif"),
        ("F-200", "100,00", QDate(2026, 3, 1), QDate(2026, 2, 1), "précède"),
        ("F-001", "100,00", QDate(2026, 3, 1), QDate(2026, 3, 31), "existe déjà"),
        ("", "100,00", QDate(2026, 3, 1), QDate(2026, 3, 31), "obligatoire"),
        ("F-200", "cent", QDate(2026, 3, 1), QDate(2026, 3, 31), "illisible"),
    ],
)
def test_invalid_invoice_is_refused_and_dialog_stays_open(
    qtbot, ops, ledger, data, refusals, number, ttc, issue, due, word
):
    before = ledger.counts()
    dialog = new_dialog(qtbot, ops, "Agence Lumen")
    dialog.show()
    dialog.number.setText(number)
    dialog.issue.setDate(issue)
    dialog.due.setDate(due)
    dialog.ttc.setText(ttc)
    dialog.save()
    assert len(refusals) == 1
    assert word in str(refusals[0])
    assert dialog.isVisible()
    assert dialog.result() == 0
    assert ledger.counts() == before


def test_unknown_client_is_refused(qtbot, ops, ledger, data, refusals):
    dialog = new_dialog(qtbot, ops, "Agence Lumen")
    dialog.client.setEditText("Personne")
    dialog.number.setText("F-300")
    dialog.ttc.setText("10")
    dialog.save()
    assert "client" in str(refusals[0])
    assert ledger.counts()["invoices"] == 8


def test_legal_term_warning(qtbot, ops, data):
    dialog = new_dialog(qtbot, ops, "Agence Lumen")
    dialog.show()
    dialog.issue.setDate(QDate(2026, 3, 1))
    assert dialog.warning.isHidden()
    dialog.due.setDate(QDate(2026, 6, 30))
    assert dialog.warning.isVisible()
    assert "L441-10" in dialog.warning.text()


def test_edit_invoice_lists_payments_and_saves_changes(qtbot, view, ledger, data, refusals):
    select(view, "F-012")
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert isinstance(dialog, InvoiceDialog)
    assert dialog.number.text() == "F-012"
    assert dialog.ttc.text() == f"1{NBSP}000,00"
    assert dialog.payments.rowCount() == 1
    assert dialog.payments.item(0, 0).text() == "01/03/2026"
    assert dialog.payments.item(0, 2).text() == "Chèque"
    assert "400,00" in dialog.payments_total.text()
    dialog.subject.setText("Photos du catalogue")
    dialog.ttc.setText("1 100")
    dialog.save()
    assert refusals == []
    inv = ledger.invoice(InvoiceId(data["F-012"]))
    assert (inv.subject, inv.amount_ttc_cents, inv.due_date_given) == (
        "Photos du catalogue",
        110000,
        True,
    )
    assert shown(view, "F-012", COL_BALANCE) == f"700,00{NBSP}€"


# -- dispute, write-off, archive -----------------------------------------------------------
def test_dispute_then_settle(qtbot, view, ledger, refusals):
    select(view, "F-002")
    assert view.toggle_dispute(lambda *_: "Livraison incomplète", lambda *_: True)
    assert shown(view, "F-002", COL_STAGE) == "Litige client"
    select(view, "F-002")
    assert view.toggle_dispute(lambda *_: pytest.fail("no reason asked"), lambda *_: True)
    assert shown(view, "F-002", COL_STAGE) == "En retard"
    select(view, "F-002")
    assert not view.toggle_dispute(lambda *_: "   ", lambda *_: True)
    assert "motif" in str(refusals[0])


def test_write_off_asks_a_reason(qtbot, view, ledger, refusals):
    select(view, "F-020")
    assert not view.write_off(lambda *_: None)  # cancelled
    assert shown(view, "F-020", COL_STAGE) == "Mise en demeure"
    assert view.write_off(lambda *_: "Liquidation judiciaire")
    assert shown(view, "F-020", COL_STAGE) == "Passée en perte"


def test_archive_after_confirmation(qtbot, view, ledger, data):
    select(view, "F-011")
    asked: list[str] = []
    assert not view.archive_selected(lambda _p, _t, text: asked.append(text) or False)
    assert "F-011" in asked[0]
    assert view.model.row_of(data["F-011"]) >= 0
    assert view.archive_selected(lambda *_: True)
    assert ledger.invoice(InvoiceId(data["F-011"])).archived
    assert view.model.row_of(data["F-011"]) == -1
    assert view.model.total_count() == 7


def test_amount_is_decimal_never_float(qtbot, view, ledger, data, monkeypatch):
    seen: list[object] = []
    original = ledger.record_payment

    def spy(invoice_id, on, amount, *args, **kwargs):
        seen.append(amount)
        return original(invoice_id, on, amount, *args, **kwargs)

    monkeypatch.setattr(ledger, "record_payment", spy)
    select(view, "F-030")
    dialog = view.record_payment()
    dialog.amount.setText("0,10")
    dialog.save()
    assert seen == [Decimal("0.10")]
    assert isinstance(seen[0], Decimal)


def test_double_click_opens_the_invoice(qtbot, view):
    select(view, "F-021")
    rect = view.table.visualRect(view.table.currentIndex())
    # A real double click: press and release, then the second press reported as a double click.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(view.dialog, InvoiceDialog)
    assert view.dialog.number.text() == "F-021"


def test_a_failed_read_is_shown_not_raised(qtbot, view, ledger, monkeypatch):
    def broken(*_args):  # iter_stage_tuple_batches(as_of, True)
        raise RuntimeError("disque plein")

    monkeypatch.setattr(ledger, "iter_stage_tuple_batches", broken)
    view.reload()
    assert "disque plein" in view.count.text()
    assert view.model.rowCount() == 8  # the last good data stay
