"""The message itself: header injection neutralised, HTML escaped, names of attachments."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.parser import BytesParser

import pytest

from models.errors import InputError
from models.mail.account import MailAccount
from models.mail.message import Attachment, Draft, Recipient, attachment_name, build_message

ACCOUNT = MailAccount("127.0.0.1", 2525, "none", "", "factures@testard.fr", "Menuiserie Testard")
WHEN = dt.datetime(2026, 11, 23, 9, 30).astimezone()


def wire(draft: Draft, account: MailAccount = ACCOUNT):
    """The message as bytes on the wire, parsed back."""
    raw = build_message(account, draft, WHEN).as_bytes()
    return raw, BytesParser(policy=policy.default).parsebytes(raw)


def test_header_injection_in_a_contact_name_or_subject_is_neutralised():
    """Issue 15 tests: "X\\r\\nBcc: a@b" stays text in one header, never a new header."""
    draft = Draft(
        (Recipient("X\r\nBcc: a@b", "compta@client.fr"),),
        "Rappel\r\nBcc: pirate@exemple.fr",
        "Bonjour",
    )
    raw, msg = wire(draft)
    assert msg["Bcc"] is None
    assert b"\nBcc:" not in raw
    assert msg["Subject"] == "Rappel Bcc: pirate@exemple.fr"
    assert [a.addr_spec for a in msg["To"].addresses] == ["compta@client.fr"]
    assert msg["To"].addresses[0].display_name == "X Bcc: a@b"


def test_an_address_with_a_line_break_is_refused():
    """An address is never cleaned up: one with a control character is refused in French."""
    draft = Draft((Recipient("", "a@b.fr\r\nBcc: c@d.fr"),), "Objet", "Bonjour")
    with pytest.raises(InputError, match="caractère de contrôle interdit"):
        build_message(ACCOUNT, draft, WHEN)


def test_html_alternative_escapes_every_user_field():
    """Issue 15 item 2: a client named with markup is shown as text in the HTML part."""
    body = "Bonjour <script>alert('x')</script> & Fils,\n\nMerci."
    _raw, msg = wire(Draft((Recipient("A", "a@b.fr"),), "Objet", body))
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Fils," in html
    assert msg.get_body(("plain",)).get_content().startswith("Bonjour <script>")


def test_no_recipient_or_empty_subject_refused():
    """A message with nowhere to go or no subject is refused, nothing built."""
    with pytest.raises(InputError, match="aucune adresse"):
        build_message(ACCOUNT, Draft((), "Objet", "Bonjour"), WHEN)
    with pytest.raises(InputError, match="objet"):
        build_message(ACCOUNT, Draft((Recipient("", "a@b.fr"),), " \n ", "Bonjour"), WHEN)


def test_attachment_named_after_the_invoice():
    """Issue 15 item 5: the PDF is attached as Relance-FA-2025-0002.pdf."""
    assert attachment_name(["FA-2025-0002", "FA-2025-0003"]) == "Relance-FA-2025-0002.pdf"
    assert attachment_name(["FA 2025/07"]) == "Relance-FA-2025-07.pdf"
    att = Attachment(attachment_name(["FA-2025-0002"]), b"%PDF-1.4 test")
    _raw, msg = wire(Draft((Recipient("", "a@b.fr"),), "Objet", "Bonjour", att))
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == "Relance-FA-2025-0002.pdf"
    assert part.get_content() == b"%PDF-1.4 test"


def test_read_receipt_off_by_default_and_copy_to_self_in_cc():
    """Issue 15 item 5: no Disposition-Notification-To unless asked; Cc copy is visible."""
    acc = MailAccount(**(ACCOUNT.to_json() | {"copy_to_self": "cc"}))
    _raw, msg = wire(Draft((Recipient("", "a@b.fr"),), "Objet", "Bonjour"), acc)
    assert msg["Disposition-Notification-To"] is None
    assert msg["Cc"].addresses[0].addr_spec == "factures@testard.fr"
