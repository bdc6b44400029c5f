"""The confirmation of a promise to pay: its text, sent through a real server, recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError
from models.ids import ClientId
from models.mail import outbox
from models.mail.promise import Promise, last_promise, promise_outgoing, promise_text
from tests.mail_server import DAY, account, add_clients

WHEN = dt.datetime(2026, 11, 23, 10, 0).astimezone()


def _promise(ledger, amount: Decimal | None = Decimal("600.00")) -> Promise:
    client = ledger.clients()[0]
    (fact,) = ledger.facts(client_id=client.id)
    return Promise(client.id, DAY, DAY + dt.timedelta(days=7), amount, (fact.id,))


def test_text_states_the_date_and_amount_promised(mail_ledger):
    """Issue 15 item 2: the promise's own fields beside the letters' ones."""
    (number,) = add_clients(mail_ledger, 1)
    subject, body = promise_text(mail_ledger, _promise(mail_ledger))
    assert number in subject
    assert "600,00\u00a0€ au plus tard le 30 novembre 2026" in body
    assert "reste dû : 1\u00a0235,56\u00a0€" in body
    assert "Hélène Testard, gérante" in body
    # No amount typed: the whole balance is what was promised.
    _subject, whole = promise_text(mail_ledger, _promise(mail_ledger, None))
    assert "1\u00a0235,56\u00a0€ au plus tard le 30 novembre 2026" in whole
    with pytest.raises(InputError, match="positif"):
        promise_text(mail_ledger, _promise(mail_ledger, Decimal(0)))


def test_sent_without_pdf_and_recorded_as_a_confirmation(mail_ledger, smtp_server):
    """Sent through the same outbox as the reminders; the history says what it was, and no
    invoice changes step (the call recorded the promise)."""
    server = smtp_server()
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port))
    out = promise_outgoing(mail_ledger, _promise(mail_ledger))
    assert out.draft.attachment is None
    summary = outbox.send_all(mail_ledger, mail_ledger.mail_account(), "", [out], lambda: WHEN)
    assert summary.count(outbox.SENT) == 1, summary.to_json()
    (msg,) = server.inbox.messages
    assert list(msg.iter_attachments()) == []
    assert "au plus tard le 30 novembre 2026" in msg.get_body(("plain",)).get_content()
    client = mail_ledger.clients()[0]
    ((action, numbers),) = mail_ledger.history(ClientId(client.id))
    assert (action.kind, action.step, action.outcome) == ("email", "", "Envoyée par e-mail")
    assert action.notes.startswith("Confirmation de la promesse de paiement — à compta1@")
    assert numbers == ["FA-2026-0001"]
    (row,) = mail_ledger.mails()
    assert (row.kind, row.attachment_path, row.attachment_sha256) == ("promise", "", "")


def test_last_promise_of_an_invoice_read_from_the_history(mail_ledger):
    """The CLI confirms the latest promise recorded for the invoice."""
    (number,) = add_clients(mail_ledger, 1)
    client = mail_ledger.clients()[0]
    assert last_promise(mail_ledger, ClientId(client.id), number) is None
    (fact,) = mail_ledger.facts(client_id=client.id)
    for days, amount in ((5, Decimal(100)), (9, Decimal(250))):
        mail_ledger.record_action(
            ClientId(client.id),
            DAY,
            "promise",
            channel="call",
            invoice_ids=[fact.id],
            promise_date=DAY + dt.timedelta(days=days),
            promise_amount=amount,
        )
    found = last_promise(mail_ledger, ClientId(client.id), number)
    assert found == Promise(client.id, DAY, DAY + dt.timedelta(days=9), Decimal(250), (fact.id,))
