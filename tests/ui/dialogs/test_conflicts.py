"""Two screens edit the same record (issue 18): the second save is a conflict, said in
French with who and when, nothing overwritten; reloading shows the record as it is now."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.errors import ConflictError
from models.ids import ClientId, InvoiceId
from models.store.ledger import Ledger
from tests.ui.conftest import TODAY, fixed_data
from ui.dialogs.client import ClientDialog
from ui.dialogs.invoice import InvoiceDialog
from ui.dialogs.payment import PaymentDialog
from ui.ops import Ops, conflict_box


@pytest.fixture
def screens(tmp_path):
    """Marie's and Paul's Ops on one ledger file; conflicts recorded, answered "reload"."""
    path = str(tmp_path / "partagee.sqlite")
    marie, paul = Ledger.open(path), Ledger.open(path)
    marie.user, paul.user = "Marie", "Paul"
    ids = fixed_data(marie)
    seen: list[ConflictError] = []
    made = []
    for led in (marie, paul):
        ops = Ops(led, today=lambda: TODAY)
        ops.show_refusal = lambda _p, exc: pytest.fail(f"refus inattendu : {exc}")
        ops.show_conflict = lambda _p, exc: seen.append(exc) or True
        made.append(ops)
    yield made[0], made[1], ids, seen
    marie.close()
    paul.close()


def test_invoice_edited_on_two_screens_second_is_told_and_reloads(qtbot, screens):
    marie, paul, ids, seen = screens
    mine = InvoiceDialog(marie, ids["F-002"])
    theirs = InvoiceDialog(paul, ids["F-002"])
    qtbot.addWidget(mine)
    qtbot.addWidget(theirs)
    mine.ttc.setText("850,00")
    mine.save()
    assert mine.result() == InvoiceDialog.DialogCode.Accepted
    theirs.subject.setText("Croissants")
    theirs.save()
    (conflict,) = seen
    assert str(conflict).startswith("La facture F-002 a été modifiée par Marie le ")
    assert "montant TTC" in str(conflict)
    assert theirs.result() != InvoiceDialog.DialogCode.Accepted  # still open
    inv = paul.ledger.invoice(InvoiceId(ids["F-002"]))
    assert (inv.amount_ttc_cents, inv.subject) == (85000, "Viennoiseries")  # nothing lost
    # Reloaded: Marie's amount shown, at the current version; saving again goes through.
    assert theirs.ttc.text().replace("\u202f", " ").replace("\xa0", " ") == "850,00"
    assert theirs.version == inv.version
    theirs.subject.setText("Croissants")
    theirs.save()
    assert theirs.result() == InvoiceDialog.DialogCode.Accepted
    inv = marie.ledger.invoice(InvoiceId(ids["F-002"]))
    assert (inv.amount_ttc_cents, inv.subject, inv.changed_by) == (85000, "Croissants", "Paul")


def test_same_payment_from_two_stale_payment_dialogs_is_recorded_once(qtbot, screens):
    marie, paul, ids, seen = screens
    row_m = next(r for r in marie.ledger.stages(TODAY) if r.invoice == "F-030")
    row_p = next(r for r in paul.ledger.stages(TODAY) if r.invoice == "F-030")
    mine, theirs = PaymentDialog(marie, row_m), PaymentDialog(paul, row_p)
    qtbot.addWidget(mine)
    qtbot.addWidget(theirs)
    mine.save()
    theirs.save()
    assert mine.saved
    assert not theirs.saved
    (conflict,) = seen
    assert "paiement de 300,00" in str(conflict).replace("\xa0", " ").replace("\u202f", " ")
    assert "par Marie" in str(conflict)
    assert len(paul.ledger.payments(InvoiceId(ids["F-030"]))) == 1
    # Reloaded: the balance shown is now nothing left to pay.
    assert "reste dû <b>0,00" in theirs.what.text().replace("\xa0", " ")


def test_client_edited_on_two_screens(qtbot, screens):
    marie, paul, ids, seen = screens
    mine, theirs = ClientDialog(marie, ids["martin"]), ClientDialog(paul, ids["martin"])
    qtbot.addWidget(mine)
    qtbot.addWidget(theirs)
    mine.edits["city"].setText("Villeurbanne")
    mine.accept()
    theirs.edits["phone"].setText("04 00 00 00 00")
    theirs.accept()
    (conflict,) = seen
    assert "champs modifiés : ville" in str(conflict)
    assert paul.ledger.client(ClientId(ids["martin"])).phone == ""
    assert theirs.edits["city"].text() == "Villeurbanne"  # reloaded


def test_conflict_message_box_offers_to_reload(qtbot, screens, tmp_path):
    marie, paul, ids, _seen = screens
    seen_by_paul = paul.ledger.invoice(InvoiceId(ids["F-012"]))
    marie.ledger.record_payment(InvoiceId(ids["F-012"]), TODAY, Decimal("600"), "transfer")
    with pytest.raises(ConflictError) as refused:
        paul.ledger.record_payment(
            InvoiceId(ids["F-012"]),
            TODAY,
            Decimal("600"),
            "transfer",
            expected_version=seen_by_paul.version,
        )
    box = conflict_box(None, refused.value)
    qtbot.addWidget(box)
    assert box.windowTitle() == "Modifié par quelqu'un d'autre"
    assert [b.text() for b in box.buttons()] == ["Recharger", "Fermer"]
    assert "par Marie" in box.informativeText()
    box.show()
    box.grab().save(str(tmp_path / "conflit.png"))


def test_a_payment_cancelled_from_the_invoice_dialog_is_no_conflict_for_it(qtbot, screens):
    marie, _paul, ids, seen = screens
    dialog = InvoiceDialog(marie, ids["F-012"])
    qtbot.addWidget(dialog)
    dialog.ask_text = lambda _p, _t, _l: "chèque rejeté"
    dialog.payments.selectRow(0)
    assert dialog.cancel_payment()
    dialog.subject.setText("Photos du catalogue")
    dialog.save()
    assert seen == []
    assert dialog.result() == InvoiceDialog.DialogCode.Accepted
    assert marie.ledger.invoice(InvoiceId(ids["F-012"])).subject == "Photos du catalogue"
