"""The law in the invoice dialog and the client page: payment terms beyond the maximum
(C. com. L441-10 I), prescription shown and interrupted (C. civ. 2240, 2241)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.ids import InvoiceId
from tests.ui.conftest import TODAY
from ui.dialogs.interruption import InterruptionDialog
from ui.dialogs.invoice import InvoiceDialog
from ui.tables.invoice_index import COL_STAGE
from ui.tables.invoices import InvoiceTableModel
from ui.widgets import to_qdate
from ui.window.client_page import ClientPage

D = dt.date


def test_due_date_past_the_legal_maximum_is_flagged_with_the_limit_and_can_count_from_it(
    qtbot, ops, ledger, data
):
    # C. com. L441-10 I: issued 2026-01-05, the latest legal due date is 2026-03-17
    # (end of month + 45 days: 2026-01-31 + 45 = 2026-03-17; 60 days give 2026-03-06, 45 days
    # then end of month 2026-02-28); 2026-04-30 lies beyond it.
    dialog = InvoiceDialog(ops, client_id=data["martin"])
    qtbot.addWidget(dialog)
    dialog.number.setText("F-900")
    dialog.issue.setDate(to_qdate(D(2026, 1, 5)))
    dialog.due.setDate(to_qdate(D(2026, 4, 30)))
    dialog.ttc.setText("1 000,00")
    assert not dialog.warning.isHidden()
    assert "Date limite légale : 17/03/2026" in dialog.warning.text()
    assert not dialog.from_max.isHidden()
    assert "17/03/2026" in dialog.from_max.text()
    dialog.from_max.setChecked(True)
    dialog.save()
    inv = ledger.find_invoice("F-900")
    assert inv.penalties_from_max_term is True
    # Penalties then run from 2026-03-18, the day after the legal maximum: as of 2026-03-31,
    # 14 days at 12,15 % (2026-H1) on 1 000,00: 1 000 x 12,15 % x 14 / 365 = 4,6603 -> 4,66.
    result = ledger.interest("F-900", D(2026, 3, 31))
    assert result.periods[0].start == D(2026, 3, 18)
    assert result.penalties == Decimal("4.66")
    row = next(r for r in ledger.stages(D(2026, 3, 31)) if r.invoice == "F-900")
    assert (row.due, row.stage, row.days_late) == (D(2026, 3, 17), "overdue", 14)


def test_within_the_maximum_no_flag_and_no_choice(qtbot, ops, data):
    dialog = InvoiceDialog(ops, client_id=data["martin"])
    qtbot.addWidget(dialog)
    dialog.issue.setDate(to_qdate(D(2026, 1, 5)))
    dialog.due.setDate(to_qdate(D(2026, 3, 1)))
    assert dialog.warning.isHidden()
    assert dialog.from_max.isHidden()


def test_invoice_dialog_shows_the_expiry_and_records_an_acknowledgement(qtbot, ops, ledger, data):
    # F-020 (B2B, due 2025-12-01, a formal notice sent 2026-01-05, which does not interrupt):
    # prescription on 2030-12-01 (C. com. L110-4, 5 years).
    dialog = InvoiceDialog(ops, data["F-020"])
    qtbot.addWidget(dialog)
    assert dialog.prescription.text().startswith("Prescription le 01/12/2030 (5 ans")
    dialog.record_interruption()
    ack = dialog.interruption_dialog
    assert isinstance(ack, InterruptionDialog)
    ack.set_kind("acknowledgement")
    ack.set_date(D(2026, 3, 10))
    ack.accept()
    assert ack.recorded
    # C. civ. 2240, 2231: a new 5-year period from the acknowledgement: 2031-03-10.
    assert dialog.prescription.text().startswith("Prescription le 10/03/2031")
    assert "reconnaissance de dette" in dialog.prescription.text()
    action, numbers = ledger.history(data["lumen"])[-1]
    assert (action.kind, numbers) == ("acknowledgement", ["F-020"])


def test_time_barred_claim_is_marked_in_the_invoice_list_and_client_page(qtbot, ops, ledger):
    # A consumer invoice due 2023-12-01 with nothing since: barred after 2025-12-01.
    cid = ledger.add_client("M. Vieux", "b2c", city="Rennes")
    ledger.add_invoice(cid, "F-OLD", D(2023, 11, 1), Decimal("250.00"), D(2023, 12, 1))
    rows = ledger.stages(TODAY)
    old = next(r for r in rows if r.invoice == "F-OLD")
    assert old.time_barred
    assert old.prescription_on == D(2025, 12, 1)
    model = InvoiceTableModel()
    model.set_rows(rows, TODAY)
    r = next(i for i in range(model.rowCount()) if model.row_at(i).invoice == "F-OLD")
    assert model.data(model.index(r, COL_STAGE)).endswith("· prescrite")
    assert "prescrite depuis le 02/12/2025" in model.data(
        model.index(r, COL_STAGE), role=3
    )  # tooltip
    page = ClientPage(ops)
    qtbot.addWidget(page)
    page.show_client(cid, rows)
    m = page.invoices_model
    assert m.data(m.index(0, m.COL_LIMIT)) == "prescrite le 02/12/2025"
    # The acknowledgement dialog from the client page: the invoices are listed and ticked.
    dialog = page.record_interruption()
    assert isinstance(dialog, InterruptionDialog)
    assert dialog.checked_ids() == [old.invoice_id]
    dialog.set_kind("court_filing")
    dialog.accept()
    assert dialog.recorded
    # Filed after the expiry: it revives nothing (C. civ. 2219), still barred.
    assert ledger.prescription(old.invoice_id, TODAY).time_barred


def test_acknowledgement_without_invoice_is_refused(qtbot, ops, ledger, refusals, data):
    dialog = InterruptionDialog(ops, data["martin"], [(data["F-002"], "F-002")], [data["F-002"]])
    qtbot.addWidget(dialog)
    dialog.invoices.item(0).setCheckState(dialog.invoices.item(0).checkState().Unchecked)
    before = ledger.counts()["actions"]
    dialog.accept()
    assert not dialog.recorded
    assert "factures concernées" in str(refusals[-1])
    assert ledger.counts()["actions"] == before
    assert ledger.invoice(InvoiceId(data["F-002"])).number == "F-002"
