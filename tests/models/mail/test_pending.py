"""Messages in "état inconnu": the server's answer lost, never resent, settled by the user."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from models.errors import InputError
from models.ids import ClientId
from models.mail import outbox
from models.store.codes import MAIL_FAILED, MAIL_PENDING, MAIL_SENT
from reports.letters import render_letter
from tests.mail_server import DAY, account, add_clients

WHEN = dt.datetime(2026, 11, 23, 9, 30).astimezone()


def send_due(ledger):
    """Today's e-mail steps, sent the way `main.py send-due` sends them."""
    requests = outbox.email_requests(ledger, DAY)
    messages = outbox.due_outgoing(ledger, requests, DAY, render_letter)
    return outbox.send_all(ledger, ledger.mail_account(), "", messages, lambda: WHEN)


def test_answer_lost_after_the_whole_message_is_unknown_then_settled_sent(mail_ledger, smtp_server):
    """A server that takes the message and never answers: the message may have gone, so it
    stays pending ("état inconnu"), is not sent again, and shows in the to-do; the user says
    it went: the step is recorded, the to-do drops it."""
    gate = threading.Event()  # never opened while the client waits: the answer is lost
    server = smtp_server(gate=gate)
    (number,) = add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port, timeout_s=1))
    try:
        summary = send_due(mail_ledger)
        assert [r.status for r in summary.results] == [outbox.UNKNOWN]
        assert "état inconnu" in summary.results[0].error
        (row,) = mail_ledger.mails()
        assert row.status == MAIL_PENDING
        (item,) = [i for i in mail_ledger.todo(DAY) if i.channel == "email"]
        assert "état inconnu" in item.unknown_mail
        assert "Relances > E-mails en état inconnu" in item.unknown_mail
        # A second run does not send it again.
        again = send_due(mail_ledger)
        assert [r.status for r in again.results] == [outbox.UNKNOWN]
    finally:
        gate.set()
    (pending,) = mail_ledger.pending_mails()
    assert (pending.client, pending.invoices) == ("Société n°1 Éléments & Cie", (number,))
    assert pending.recipients == "compta1@client1.fr"
    assert pending.subject == row.subject
    client = ClientId(mail_ledger.clients()[0].id)
    mail_ledger.settle_mail(pending.id, True, WHEN)
    (action, numbers) = mail_ledger.history(client)[-1]
    assert (action.step, action.outcome) == ("reminder_1", "Envoyée par e-mail")
    assert "envoi confirmé par l'utilisateur le 23/11/2026" in action.notes
    assert numbers == [number]
    assert mail_ledger.mails()[0].status == MAIL_SENT
    assert mail_ledger.pending_mails() == []
    assert [i for i in mail_ledger.todo(DAY) if i.channel == "email"] == []
    with pytest.raises(InputError, match="plus en état inconnu"):
        mail_ledger.settle_mail(pending.id, False, WHEN)


def test_settled_not_sent_is_noted_and_sent_by_the_next_run(mail_ledger, smtp_server):
    """The user says it did not go: a history line says so (nothing deleted), the invoices
    keep their step, and the next run sends it."""
    server = smtp_server()
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port))
    client = mail_ledger.clients()[0]
    mail_id = mail_ledger.mail_pending(
        client.id, "reminder_1", [1], ["compta1@client1.fr"], "Rappel", "<x@testard.fr>", WHEN
    )
    assert [r.status for r in send_due(mail_ledger).results] == [outbox.UNKNOWN]
    mail_ledger.settle_mail(mail_id, False, WHEN)
    ((action, numbers),) = mail_ledger.history(ClientId(client.id))
    assert (action.kind, action.step) == ("note", "")
    assert action.notes.startswith("E-mail non parti (état inconnu réglé) : Relance 1")
    assert numbers == ["FA-2026-0001"]
    (row,) = mail_ledger.mails()
    assert (row.status, row.message_id) == (MAIL_FAILED, "<x@testard.fr>")
    assert "d'après l'utilisateur" in row.error
    summary = send_due(mail_ledger)
    assert summary.count(outbox.SENT) == 1
    assert len(server.inbox.messages) == 1
    assert [m.status for m in mail_ledger.mails()] == [MAIL_FAILED, MAIL_SENT]
