"""A reminder as a real e-mail: EmailMessage, UTF-8 headers, text + escaped HTML, the PDF.

Every value that comes from the database or the user (client and contact names, subject) is
cleaned before it reaches a header: a line break would let it add headers of its own
("X\\r\\nBcc: a@b", header injection), so control characters become spaces; an address with
one is refused outright.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from models.errors import FieldError, InputError
from models.mail.account import MailAccount, check_address

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# A file name safe on every system and in a MIME parameter: letters, digits, - _ .
_UNSAFE_NAME = re.compile(r"[^0-9A-Za-z._-]+")


@dataclass(frozen=True)
class Recipient:
    """One addressee: a display name (may be empty) and an address."""

    name: str
    address: str


@dataclass(frozen=True)
class Attachment:
    """A file joined to the message: its name in the message, its bytes, its path on disk."""

    filename: str
    data: bytes
    path: str = ""

    @property
    def sha256(self) -> str:
        """The SHA-256 of the bytes sent, in hex (the history keeps it as evidence)."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Draft:
    """What the user sees and may edit before sending: recipients, subject, body, the PDF."""

    to: tuple[Recipient, ...]
    subject: str
    body: str
    attachment: Attachment | None = None


def one_line(text: str) -> str:
    """A header value with every line break and control character turned into one space."""
    return _CONTROL.sub(" ", text).strip()


def attachment_name(invoice_numbers: Sequence[str]) -> str:
    """The PDF's name in the message: "Relance-FA-2025-0002.pdf" (first invoice's number)."""
    first = invoice_numbers[0] if invoice_numbers else "document"
    safe = _UNSAFE_NAME.sub("-", first).strip("-.") or "document"
    return f"Relance-{safe}.pdf"


def _address(name: str, address: str, field: str) -> Address:
    errors = check_address(address, field)
    if errors:
        raise InputError(errors)
    local, _, domain = address.strip().rpartition("@")
    return Address(display_name=one_line(name), username=local, domain=domain)


def html_body(body: str) -> str:
    """The HTML alternative: each paragraph escaped (no user text is ever read as markup)."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", body.strip()) if p.strip()]
    parts = [
        "<p>" + "<br>\n".join(html.escape(line, quote=True) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    ]
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"></head>'
        '<body style="font-family: sans-serif">\n' + "\n".join(parts) + "\n</body></html>\n"
    )


def build_message(
    account: MailAccount,
    draft: Draft,
    when: dt.datetime,
    message_id: str | None = None,
) -> EmailMessage:
    """The message as it will be sent; InputError when there is no valid recipient.

    `when` is the Date header (aware datetime, the local time of sending); `message_id` is
    made from the sender's domain unless given (a resumed batch never reuses one).
    """
    if not draft.to:
        raise InputError([FieldError("destinataires", "aucune adresse e-mail")])
    subject = one_line(draft.subject)
    if not subject:
        raise InputError([FieldError("objet", "l'objet du message est vide")])
    if not draft.body.strip():
        raise InputError([FieldError("message", "le texte du message est vide")])
    msg = EmailMessage()
    sender = _address(account.sender_name, account.sender, "expéditeur")
    msg["From"] = sender
    msg["To"] = [_address(r.name, r.address, "destinataire") for r in draft.to]
    if account.copy_to_self == "cc":
        msg["Cc"] = sender
    if account.reply_to:
        msg["Reply-To"] = _address(account.sender_name, account.reply_to, "répondre à")
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
    msg["Message-ID"] = message_id or make_msgid(domain=sender.domain)
    if account.read_receipt:
        # RFC 8098: a read receipt is asked, never required; off by default.
        msg["Disposition-Notification-To"] = sender.addr_spec
    msg.set_content(draft.body.strip() + "\n", subtype="plain", charset="utf-8")
    msg.add_alternative(html_body(draft.body), subtype="html", charset="utf-8")
    if draft.attachment is not None:
        msg.add_attachment(
            draft.attachment.data,
            maintype="application",
            subtype="pdf",
            filename=draft.attachment.filename,
        )
    return msg


def envelope(account: MailAccount, msg: EmailMessage) -> tuple[str, list[str]]:
    """The SMTP envelope: the sender, and every To and Cc address plus the Bcc copy to self."""
    to = [a.addr_spec for h in ("To", "Cc") for a in (msg[h].addresses if msg[h] else ())]
    if account.copy_to_self == "bcc":
        to.append(account.sender)
    return account.sender, list(dict.fromkeys(to))


def draft_eml(draft: Draft, when: dt.datetime, sender: str = "", sender_name: str = "") -> bytes:
    """An unsent draft (.eml, "X-Unsent: 1") for the user's own mail program to send.

    Outlook opens such a file as a message to send; Thunderbird as a draft ("Modifier en tant
    que nouveau"). Without a valid sender address the From header is left to the program.
    """
    valid = bool(sender) and not check_address(sender, "expéditeur")
    account = MailAccount("localhost", 25, "none", "", sender if valid else "draft@localhost")
    account = MailAccount(**(account.to_json() | {"sender_name": sender_name}))
    msg = build_message(account, draft, when)
    if not valid:
        del msg["From"]
    msg["X-Unsent"] = "1"
    return msg.as_bytes()
