"""Sending through a real SMTP server (aiosmtpd): the message received, recorded once, resumed."""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest

from models.errors import InputError
from models.mail import outbox
from models.mail.account import Passwords
from models.store.codes import MAIL_FAILED, MAIL_SENT
from reports.letters import render_letter
from tests.mail_server import DAY, PASSWORD, USER, account, add_clients

WHEN = dt.datetime(2026, 11, 23, 9, 30).astimezone()


def now() -> dt.datetime:
    """A fixed local time of sending."""
    return WHEN


def send_due(ledger, password: str = "", cafile=None, **kw):
    """Today's e-mail steps sent the way `main.py send-due` sends them."""
    requests = outbox.email_requests(ledger, DAY)
    messages = outbox.due_outgoing(ledger, requests, DAY, render_letter)
    return outbox.send_all(
        ledger, ledger.mail_account(), password, messages, now, cafile=cafile, **kw
    )


def sent_steps(ledger) -> list[tuple[str, str, str]]:
    """(client, step, outcome) of every history entry."""
    out = []
    for client in ledger.clients():
        for action, _numbers in ledger.history(client.id):
            out.append((client.name, action.step, action.outcome))
    return out


def test_message_received_with_accents_amounts_and_the_pdf(mail_ledger, smtp_server):
    """Issue 15 items 4-5: a real, well-formed e-mail; the PDF holds the invoice and total."""
    server = smtp_server()
    (number,) = add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port, read_receipt=True, copy_to_self="bcc"))
    summary = send_due(mail_ledger)
    assert summary.count("sent") == 1, summary.to_json()
    (msg,) = server.inbox.messages
    # Headers: UTF-8 encoded words on the wire, read back with their accents.
    assert msg["Subject"] == f"Rappel de paiement – n°\u00a0{number}"
    assert msg["From"].addresses[0].display_name == "Menuiserie Testard — Hélène"
    assert msg["To"].addresses[0].addr_spec == "compta1@client1.fr"
    assert msg["To"].addresses[0].display_name == "Société n°1 Éléments & Cie"
    assert msg["Reply-To"].addresses[0].addr_spec == "compta@testard.fr"
    assert msg["Disposition-Notification-To"] == "factures@testard.fr"
    assert msg["Message-ID"].endswith("@testard.fr>")
    assert msg["Date"].datetime == WHEN
    # On the wire the headers are ASCII: the accents travel as RFC 2047 encoded words.
    head = server.inbox.raw[0].split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert re.search(rb"\r\nSubject: [^\r]*=\?utf-8\?", head)
    assert re.search(rb"^From: [^\r]*=\?utf-8\?", head)
    # Bcc to self: in the envelope, never in the headers.
    assert server.inbox.envelopes[0] == (
        "factures@testard.fr",
        ["compta1@client1.fr", "factures@testard.fr"],
    )
    assert msg["Bcc"] is None
    text = msg.get_body(("plain",)).get_content()
    assert "1\u00a0235,56\u00a0€" in text  # 1 234,56 + 1 (add_clients): the body's amount
    assert "1\u00a0235,56\u00a0€" in msg.get_body(("html",)).get_content()
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == f"Relance-{number}.pdf"
    assert att.get_content_type() == "application/pdf"
    with pdfplumber.open(io.BytesIO(att.get_content())) as pdf:
        pdf_text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert number in pdf_text
    assert "1 235,56" in pdf_text.replace("\u00a0", " ")


def test_the_record_holds_recipients_subject_message_id_and_sha256(mail_ledger, smtp_server):
    """Issue 15 item 4: each send recorded with the step, in one transaction."""
    import hashlib
    from pathlib import Path

    server = smtp_server()
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port))
    send_due(mail_ledger)
    (row,) = mail_ledger.mails()
    assert row.status == MAIL_SENT
    assert row.recipients == "compta1@client1.fr"
    assert row.subject.startswith("Rappel de paiement")
    assert row.message_id == server.inbox.messages[0]["Message-ID"]
    sent_pdf = next(server.inbox.messages[0].iter_attachments()).get_content()
    assert Path(row.attachment_path).read_bytes() == sent_pdf
    assert row.attachment_sha256 == hashlib.sha256(sent_pdf).hexdigest()
    ((_client, step, outcome),) = sent_steps(mail_ledger)
    assert (step, outcome) == ("reminder_1", "Envoyée par e-mail")
    (action, _numbers) = mail_ledger.history(row.client_id)[0]
    assert action.id == row.action_id
    assert row.message_id in action.notes
    assert action.document_path == row.attachment_path


def test_server_down_after_3_of_10_then_resume_sends_exactly_the_7_others(mail_ledger, smtp_server):
    """Issue 15 item 4: a batch interrupted half-way resumes without sending anything twice."""
    first = smtp_server()
    add_clients(mail_ledger, 10)
    mail_ledger.set_mail_account(account(first.port))

    def stop_after_three(result: outbox.Result) -> None:
        if len(first.inbox.messages) == 3:
            first.stop()

    summary = send_due(mail_ledger, progress=stop_after_three)
    assert summary.count("sent") == 3
    assert summary.stopped  # the French reason the batch stopped
    assert len([s for s in sent_steps(mail_ledger) if s[2] == "Envoyée par e-mail"]) == 3
    assert {m.status for m in mail_ledger.mails()} == {MAIL_SENT, MAIL_FAILED}
    got_first = {m["To"].addresses[0].addr_spec for m in first.inbox.messages}

    second = smtp_server()
    mail_ledger.set_mail_account(account(second.port))
    again = send_due(mail_ledger)
    assert again.count("sent") == 7
    got_second = {m["To"].addresses[0].addr_spec for m in second.inbox.messages}
    assert len(got_second) == 7
    assert not got_first & got_second
    assert len(got_first | got_second) == 10
    assert len([s for s in sent_steps(mail_ledger) if s[2] == "Envoyée par e-mail"]) == 10
    # A third run finds nothing left to send.
    assert send_due(mail_ledger).results == []


def test_a_pending_message_of_unknown_fate_is_never_sent_again(mail_ledger, smtp_server):
    """A message written pending (Relance stopped before the record) is shown, not resent."""
    server = smtp_server()
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port))
    client = mail_ledger.clients()[0]
    mail_ledger.mail_pending(
        client.id, "reminder_1", [1], ["compta1@client1.fr"], "x", "<a@b>", WHEN
    )
    summary = send_due(mail_ledger)
    assert [r.status for r in summary.results] == ["unknown"]
    assert "vérifiez dans votre messagerie" in summary.results[0].error
    assert server.inbox.messages == []


def test_a_client_without_address_falls_back_to_post(mail_ledger, smtp_server):
    """Issue 15 item 3: no address is reported ("no_address"), never silently skipped."""
    server = smtp_server()
    add_clients(mail_ledger, 1, with_email=False)
    mail_ledger.set_mail_account(account(server.port))
    (item,) = [i for i in mail_ledger.todo(DAY) if i.channel == "email"]
    assert item.missing == "pas d'adresse e-mail"
    summary = send_due(mail_ledger)
    assert [r.status for r in summary.results] == ["no_address"]
    assert "courrier" in summary.results[0].error
    assert server.inbox.messages == []
    assert sent_steps(mail_ledger) == []


def test_accounts_payable_contact_comes_first_with_several_addresses(mail_ledger):
    """Issue 15 item 3: the contact flagged accounts payable, else the main address."""
    add_clients(mail_ledger, 1)
    client = mail_ledger.clients()[0]
    assert [r.address for r in mail_ledger.mail_recipients(client.id)] == ["compta1@client1.fr"]
    mail_ledger.add_contact(client.id, "Jean Achat", email="achats@client1.fr")
    mail_ledger.add_contact(
        client.id,
        "Zoé Compta",
        email="zoe@client1.fr; fournisseurs@client1.fr",
        accounts_payable=True,
    )
    got = mail_ledger.mail_recipients(client.id)
    assert [(r.name, r.address) for r in got] == [
        ("Zoé Compta", "zoe@client1.fr"),
        ("Zoé Compta", "fournisseurs@client1.fr"),
    ]


def test_auth_and_starttls_with_a_self_signed_certificate(mail_ledger, smtp_server, certificate):
    """Issue 15 tests: AUTH over STARTTLS against the real server; the PDF arrives."""
    server = smtp_server(auth=True, tls=certificate)
    add_clients(mail_ledger, 2)
    mail_ledger.set_mail_account(account(server.port, security="starttls", user=USER))
    summary = send_due(mail_ledger, PASSWORD, cafile=str(certificate[0]))
    assert summary.count("sent") == 2, summary.to_json()
    assert len(server.inbox.messages) == 2


def test_wrong_password_gives_the_french_message_and_records_nothing(
    mail_ledger, smtp_server, certificate
):
    """Issue 15 tests: a refused login is told in French with the server's answer."""
    server = smtp_server(auth=True, tls=certificate)
    add_clients(mail_ledger, 2)
    mail_ledger.set_mail_account(account(server.port, security="starttls", user=USER))
    summary = send_due(mail_ledger, "mauvais", cafile=str(certificate[0]))
    assert summary.count("sent") == 0
    assert summary.stopped.startswith("le serveur 127.0.0.1:")
    assert "refuse l'identifiant ou le mot de passe" in summary.stopped
    assert "535" in summary.stopped  # the server's own answer is quoted
    assert [r.status for r in summary.results] == ["not_sent", "not_sent"]
    assert sent_steps(mail_ledger) == []
    assert mail_ledger.mails() == []
    assert server.inbox.messages == []


def test_an_unknown_certificate_is_refused_in_french(mail_ledger, smtp_server, certificate):
    """The server's certificate is checked: a self-signed one not trusted is refused."""
    server = smtp_server(tls=certificate)
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port, security="starttls"))
    summary = send_due(mail_ledger)
    assert "certificat du serveur" in summary.stopped
    assert sent_steps(mail_ledger) == []


def test_a_stopped_server_is_told_in_french(mail_ledger, smtp_server):
    """Nothing listening: "refuse la connexion", nothing recorded."""
    server = smtp_server()
    server.stop()
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port))
    summary = send_due(mail_ledger)
    assert "refuse la connexion" in summary.stopped
    assert mail_ledger.mails() == []


def test_cancel_stops_before_the_next_message(mail_ledger, smtp_server):
    """The progress dialog's cancel: what was sent is recorded, the rest is left."""
    server = smtp_server()
    add_clients(mail_ledger, 4)
    mail_ledger.set_mail_account(account(server.port))
    summary = send_due(mail_ledger, cancelled=lambda: len(server.inbox.messages) >= 2)
    assert summary.count("sent") == 2
    assert summary.count("not_sent") == 2
    assert summary.stopped == "annulé par l'utilisateur"


def test_password_never_in_the_database_file(mail_ledger, smtp_server, memory_keyring, tmp_path):
    """Issue 15 item 1: the password is in the keyring, never in the SQLite file's bytes."""
    server = smtp_server(auth=True)
    add_clients(mail_ledger, 1)
    mail_ledger.set_mail_account(account(server.port, user=USER))
    acc = mail_ledger.mail_account()
    passwords = Passwords()
    assert passwords.set(acc, PASSWORD) is True  # went to the keyring
    assert Passwords().require(acc) == PASSWORD  # a new session reads it back
    summary = send_due(mail_ledger, Passwords().require(acc))
    assert summary.count("sent") == 1
    with pytest.raises(InputError, match="jamais enregistré dans la base"):
        mail_ledger.set_mail_account(account(server.port, user=USER, password=PASSWORD))
    mail_ledger.close()
    data = b"".join(p.read_bytes() for p in tmp_path.glob("relance.sqlite*"))
    assert b"testard.fr" in data  # the account is there...
    assert PASSWORD.encode() not in data  # ...its password is not
    assert PASSWORD.encode("utf-16-le") not in data
