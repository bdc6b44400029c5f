"""Noting a call, and a promise to pay that comes back in the to-do (ui/dialogs/call.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from models.errors import InputError
from tests.mail_server import COMPANY, account, smtp_server
from tests.ui.window.test_clients import fixed_clients
from ui.dialogs.call import OUTCOMES, PROMISE, CallDialog
from ui.ops import Ops
from ui.tables.history import COL_KIND, COL_PROMISE_AMOUNT, COL_PROMISE_DATE
from ui.widgets import to_qdate
from ui.window.client_page import ClientPage
from ui.window.todo import TodoPanel

TODAY = dt.date(2026, 3, 15)
__all__ = ["smtp_server"]


@pytest.fixture
def call_refusals() -> list[InputError]:
    """The refusals shown (instead of a modal message box)."""
    return []


@pytest.fixture
def call_ops(ledger, call_refusals) -> Ops:
    """Ops on the fixed data set, today 2026-03-15, refusals recorded."""
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: call_refusals.append(exc)
    ops.ids = fixed_clients(ledger)
    return ops


def open_dialog(qtbot, ops: Ops, client: str, invoices: list[str]) -> CallDialog:
    """The call dialog for a client with some invoices pre-checked, shown."""
    dialog = CallDialog(ops, ops.ids[client], [ops.ids[n] for n in invoices])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill_promise(qtbot, dialog: CallDialog, on: dt.date, amount: str) -> None:
    """Choose 'Promesse de paiement' and type its date and amount."""
    dialog.set_outcome(PROMISE)
    dialog.promise_date.setDate(to_qdate(on))
    dialog.promise_amount.clear()
    qtbot.keyClicks(dialog.promise_amount, amount)


def test_form_is_prefilled(qtbot, call_ops):
    dialog = open_dialog(qtbot, call_ops, "martin", ["F-001"])
    assert dialog.date.date() == to_qdate(TODAY)
    assert [dialog.contact.itemText(i) for i in range(dialog.contact.count())] == [
        "",
        "Bruno Martin (Gérant)",
        "Nathalie Roux (Comptabilité fournisseurs)",
    ]
    texts = [dialog.invoices.item(i).text() for i in range(dialog.invoices.count())]
    assert texts == [
        "F-001 — échéance 31/01/2026 — solde 1\u00a0000,00\u00a0€",
        "F-002 — échéance 31/03/2026 — solde 500,00\u00a0€",
    ]  # F-003 is paid
    assert dialog.checked_ids() == [call_ops.ids["F-001"]]
    assert [dialog.outcome.itemText(i) for i in range(dialog.outcome.count())] == list(OUTCOMES)
    dialog.set_outcome("Pas de réponse / message laissé")
    assert not dialog.promise_amount.isVisible()
    dialog.set_outcome(PROMISE)
    assert dialog.promise_amount.isVisible()


def test_promise_goes_to_history_and_to_the_todo_on_its_date(qtbot, call_ops, call_refusals):
    led, ids = call_ops.ledger, call_ops.ids
    dialog = open_dialog(qtbot, call_ops, "kasba", ["F-010"])
    dialog.contact.setEditText("Mme Haddad, gérante")
    fill_promise(qtbot, dialog, dt.date(2026, 3, 20), "1 200,00")
    dialog.notes.setPlainText("Virement annoncé")  # QTest types ASCII only
    with qtbot.waitSignal(call_ops.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert call_refusals == []
    assert not dialog.isVisible()
    ((action, numbers),) = led.history(ids["kasba"])
    assert (action.kind, action.channel, action.outcome) == ("promise", "call", PROMISE)
    assert (action.date, action.promise_date) == (TODAY, dt.date(2026, 3, 20))
    assert action.promise_amount_cents == 120000
    assert action.notes == "Interlocuteur : Mme Haddad, gérante\nVirement annoncé"
    assert numbers == ["F-010"]

    page = ClientPage(call_ops)
    qtbot.addWidget(page)
    page.show_client(ids["kasba"])
    h = page.history_model
    assert h.index(0, COL_KIND).data() == "Promesse de paiement"
    assert h.index(0, COL_PROMISE_DATE).data() == "20/03/2026"
    assert h.index(0, COL_PROMISE_AMOUNT).data() == "1\u00a0200,00\u00a0€"

    panel = TodoPanel(call_ops)
    qtbot.addWidget(panel)
    call_ops.set_today(dt.date(2026, 3, 19))
    panel.refresh()
    assert not [i for i in panel.items if i.step == "promise"]
    call_ops.set_today(dt.date(2026, 3, 20))
    panel.refresh()
    promises = [i for i in panel.sections["calls"] if i.step == "promise"]
    assert [(i.client, i.on, i.invoice_ids) for i in promises] == [
        ("Studio Kasba", dt.date(2026, 3, 20), [ids["F-010"]])
    ]
    line = panel.line_index("calls", panel.sections["calls"].index(promises[0]), 3)
    assert line.data().startswith("Promesse")


@pytest.mark.parametrize(
    ("on", "amount", "why"),
    [
        (dt.date(2026, 3, 10), "1 200,00", "précède l'appel"),
        (dt.date(2026, 3, 20), "", "montant vide"),
        (dt.date(2026, 3, 20), "-50", "positif"),
        (dt.date(2026, 3, 20), "douze", "illisible"),
    ],
)
def test_bad_promise_is_refused_and_nothing_written(
    qtbot, call_ops, call_refusals, on, amount, why
):
    before = call_ops.ledger.counts()
    dialog = open_dialog(qtbot, call_ops, "kasba", ["F-010"])
    fill_promise(qtbot, dialog, on, amount)
    dialog.accept()
    assert why in str(call_refusals[-1])
    assert dialog.isVisible()  # the user can correct and save again
    assert dialog.action_id is None
    assert call_ops.ledger.counts() == before


def test_plain_call_without_promise(qtbot, call_ops):
    dialog = open_dialog(qtbot, call_ops, "fontaine", ["F-020"])
    dialog.set_outcome("Facture non reçue — renvoyée")
    dialog.accept()
    ((action, numbers),) = call_ops.ledger.history(call_ops.ids["fontaine"])
    assert (action.kind, action.outcome, action.promise_date) == (
        "call",
        "Facture non reçue — renvoyée",
        None,
    )
    assert numbers == ["F-020"]


def test_call_from_client_page_carries_out_the_due_call_step(qtbot, call_ops):
    ids = call_ops.ids
    page = ClientPage(call_ops)
    qtbot.addWidget(page)
    page.show_client(ids["fontaine"], call_ops.ledger.stages(TODAY))
    page.call_btn.click()
    dialog = page.dialog
    assert isinstance(dialog, CallDialog)
    assert (dialog.checked_ids(), dialog.step) == ([ids["F-020"]], "courtesy_call")
    dialog.set_outcome("Pas de réponse / message laissé")
    dialog.accept()
    assert [t.step for t in call_ops.ledger.todo(TODAY) if t.client_id == ids["fontaine"]] == []


def promise_with_mail(qtbot, call_ops, port: int | None) -> CallDialog:
    """Martin reachable by e-mail (an account on `port` when given), a promise being typed."""
    led = call_ops.ledger
    led.set_company(COMPANY)
    led.update_client(call_ops.ids["martin"], email="compta@martin.fr")
    if port is not None:
        led.set_mail_account(account(port))
    dialog = open_dialog(qtbot, call_ops, "martin", ["F-001"])
    fill_promise(qtbot, dialog, TODAY + dt.timedelta(days=10), "250,00")
    return dialog


def test_promise_confirmed_by_email_previewed_edited_and_sent(
    qtbot, call_ops, call_refusals, smtp_server
):
    """Issue 15: a promise recorded, its confirmation previewed from the template, edited,
    sent through the account, and noted once the server accepted it."""
    server = smtp_server()
    dialog = promise_with_mail(qtbot, call_ops, server.port)
    assert dialog.mail_box.isVisible()
    assert dialog.confirm_mail.isEnabled()
    assert dialog.confirm_mail.isChecked()
    assert dialog.mail_to.text() == "compta@martin.fr"
    body = dialog.body_text()
    assert "250,00\u00a0€ au plus tard le 25 mars 2026" in body
    assert "F-001" in dialog.mail_subject.text()
    dialog.mail_subject.clear()
    qtbot.keyClicks(dialog.mail_subject, "Notre appel de ce jour")
    fill_promise(qtbot, dialog, TODAY + dt.timedelta(days=12), "300,00")
    assert dialog.mail_subject.text() == "Notre appel de ce jour"  # the user's text is kept
    dialog.accept()
    assert call_refusals == []
    assert dialog.result() == CallDialog.DialogCode.Accepted
    (msg,) = server.inbox.messages
    assert msg["Subject"] == "Notre appel de ce jour"
    assert list(msg.iter_attachments()) == []
    history = call_ops.ledger.history(call_ops.ids["martin"])
    kinds = [(a.kind, a.outcome) for a, _ in history[-2:]]
    assert kinds == [("promise", PROMISE), ("email", "Envoyée par e-mail")]
    assert history[-1][0].notes.startswith("Confirmation de la promesse de paiement")


def test_promise_confirmation_needs_an_account_and_a_valid_address(
    qtbot, call_ops, call_refusals, smtp_server
):
    """No account: the box says where to set one and nothing is sent; a bad address typed
    is refused before anything is recorded."""
    dialog = promise_with_mail(qtbot, call_ops, None)
    assert not dialog.confirm_mail.isEnabled()
    assert "Paramètres > E-mail" in dialog.mail_note.text()
    server = smtp_server()
    call_ops.ledger.set_mail_account(account(server.port))
    dialog = open_dialog(qtbot, call_ops, "martin", ["F-001"])
    fill_promise(qtbot, dialog, TODAY + dt.timedelta(days=10), "250,00")
    dialog.mail_to.setText("pas-une-adresse")
    before = call_ops.ledger.counts()["actions"]
    dialog.accept()
    assert "n'est pas une adresse e-mail valide" in str(call_refusals[-1])
    assert call_ops.ledger.counts()["actions"] == before
    assert dialog.isVisible()
    assert server.inbox.messages == []


def test_promise_recorded_even_when_the_confirmation_fails(qtbot, call_ops, smtp_server):
    """The call happened: it is noted; the e-mail that did not go is said, and not noted."""
    server = smtp_server()
    dialog = promise_with_mail(qtbot, call_ops, server.port)
    server.stop()
    said: list[str] = []
    dialog.warn = lambda _parent, _title, text: said.append(text)
    dialog.accept()
    assert dialog.result() == CallDialog.DialogCode.Accepted
    assert "la confirmation n'est pas partie" in said[0]
    assert "refuse la connexion" in said[0]
    history = call_ops.ledger.history(call_ops.ids["martin"])
    assert history[-1][0].kind == "promise"
