"""Sending reminders: one message, or today's e-mail steps in one go, never one twice.

For each message: the PDF is written to the data folder (kept as evidence), a "pending" record
is written, the server is asked, then the step and the record are written together (accepted)
or the record says "failed". A batch stops at the first failure that is not the message's own
fault (server down): what was sent is recorded, the rest is sent by the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from email.utils import make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.errors import InputError, StepTakenError, StorageError
from models.files import atomic_write, file_error
from models.ids import ClientId
from models.letters.batch import LetterRequest, iter_letters, letters_due
from models.letters.documents import LetterData
from models.mail.account import MailAccount
from models.mail.kinds import MAIL_KINDS
from models.mail.message import Attachment, Draft, Recipient, attachment_name, build_message
from models.mail.smtp import Connection, SendError

if TYPE_CHECKING:
    from models.store.ledger import Ledger

RenderPdf = Callable[[LetterData], bytes]
Now = Callable[[], dt.datetime]

# Outcomes of one message in a summary.
SENT = "sent"
FAILED = "failed"  # refused or the server unreachable: nothing went out, nothing recorded
NOT_SENT = "not_sent"  # left for the next run (batch stopped or cancelled before it)
NO_ADDRESS = "no_address"  # the client has no e-mail address: the step goes by post
UNKNOWN = "unknown"  # an earlier run stopped between sending and recording: check the mailbox
TAKEN = "taken"  # made meanwhile from another machine (issue 18): not sent a second time
DRY_RUN = "dry_run"


@dataclass(frozen=True)
class Outgoing:
    """One e-mail ready to go: its step, its invoices, and the message as the user sees it."""

    client_id: int
    client: str
    kind: str
    invoice_ids: tuple[int, ...]
    invoices: tuple[str, ...]
    draft: Draft
    steps: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass
class Result:
    """What became of one step: its status, recipients, Message-ID or the French reason."""

    client: str
    kind: str
    invoices: list[str]
    status: str
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    message_id: str = ""
    attachment: str = ""
    error: str = ""


@dataclass
class Summary:
    """A batch's results in order; `stopped` says why it stopped early ("" when it did not)."""

    results: list[Result] = field(default_factory=list)
    stopped: str = ""

    def count(self, status: str) -> int:
        """How many results have this status."""
        return sum(1 for r in self.results if r.status == status)

    def to_json(self) -> dict[str, Any]:
        """The summary the CLI prints: counts, then each message."""
        kinds = (SENT, FAILED, NOT_SENT, NO_ADDRESS, UNKNOWN, TAKEN, DRY_RUN)
        counts = {s: self.count(s) for s in kinds}
        return {
            "counts": {k: v for k, v in counts.items() if v},
            "stopped": self.stopped,
            "messages": [asdict(r) for r in self.results],
        }


def step_kinds(ledger: Ledger) -> dict[str, str]:
    """Policy step code -> letter kind, over the default policy and the clients' own ones."""
    out: dict[str, str] = {}
    for name in [None, *ledger.policy_names()]:
        for step in ledger.policy(name).steps:
            if step.template:
                out.setdefault(step.code, step.template)
    return out


def email_requests(ledger: Ledger, as_of: dt.date) -> list[LetterRequest]:
    """Today's e-mail steps, one message per client at its strongest step (formal notices
    go by registered letter through their own wizard; their copy is sent from there)."""
    items = [i for i in ledger.todo(as_of) if i.channel == "email"]
    kinds = {k: v for k, v in step_kinds(ledger).items() if v in MAIL_KINDS}
    return [r for r in letters_due(items, kinds) if r.kind != "formal_notice"]


def pdf_folder(ledger: Ledger, on: dt.date) -> Path:
    """Where the PDFs sent by e-mail are kept: <data folder>/e-mails/<date>/."""
    return ledger.data_dir() / "e-mails" / on.isoformat()


def prepare(
    ledger: Ledger,
    request: LetterRequest,
    letter: LetterData,
    render: RenderPdf,
    to: Sequence[Recipient] = (),
) -> Outgoing:
    """The message for one step: recipients, subject and body from the e-mail text, the PDF."""
    subject, body = ledger.mail_text(letter)
    recipients = tuple(to) or tuple(ledger.mail_recipients(ClientId(request.client_id)))
    pdf = render(letter)
    attachment = Attachment(attachment_name(request.invoices), pdf)
    return Outgoing(
        request.client_id,
        request.client,
        request.kind,
        request.invoice_ids,
        request.invoices,
        Draft(recipients, subject, body, attachment),
        request.steps,
    )


def _keep_pdf(ledger: Ledger, out: Outgoing, on: dt.date, message_id: str) -> Attachment | None:
    """Write the attached PDF beside the database (evidence); never over an earlier one."""
    att = out.draft.attachment
    if att is None:
        return None
    tag = hashlib.sha256(message_id.encode()).hexdigest()[:8]
    name = f"{out.kind}_{out.client_id}_{att.filename.removesuffix('.pdf')}_{tag}.pdf"
    folder = pdf_folder(ledger, on)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error("de créer le dossier", folder, exc) from exc
    path = atomic_write(folder / name, att.data)
    return Attachment(att.filename, att.data, str(path))


def send_one(
    ledger: Ledger,
    conn: Connection,
    account: MailAccount,
    out: Outgoing,
    now: Now,
    *,
    once: bool = False,
) -> Result:
    """Send one message and record it; a SendError (nothing recorded) when it did not go.

    `once` (the day's batch): a step recorded or on its way from another machine meanwhile
    is a StepTakenError, nothing sent (issue 18).
    """
    result = Result(out.client, out.kind, list(out.invoices), NO_ADDRESS)
    if not out.draft.to:
        result.error = "pas d'adresse e-mail : à envoyer par courrier"
        return result
    when = now()
    domain = account.sender.rpartition("@")[2]
    message_id = make_msgid(domain=domain)
    att = _keep_pdf(ledger, out, when.date(), message_id)
    draft = Draft(out.draft.to, out.draft.subject, out.draft.body, att)
    msg = build_message(account, draft, when, message_id)
    addresses = [r.address for r in out.draft.to]
    try:
        mail_id = ledger.mail_pending(
            ClientId(out.client_id),
            out.kind,
            out.invoice_ids,
            addresses,
            str(msg["Subject"]),
            message_id,
            when,
            att.path if att else "",
            att.sha256 if att else "",
            steps=out.steps,
            once=once,
        )
    except StepTakenError:
        if att is not None and att.path:  # the copy of a message that does not go out
            Path(att.path).unlink(missing_ok=True)
        raise
    try:
        accepted = conn.send(msg)
    except SendError as exc:
        if not exc.unknown:  # it may have gone: the record stays pending ("état inconnu")
            ledger.mail_failed(mail_id, str(exc))
        raise
    ledger.mail_accepted(mail_id, accepted, now(), out.steps)
    result.status = SENT
    result.recipients = accepted
    result.subject = str(msg["Subject"])
    result.message_id = message_id
    result.attachment = att.path if att else ""
    return result


def send_all(
    ledger: Ledger,
    account: MailAccount,
    password: str,
    outgoing: Iterable[Outgoing],
    now: Now,
    *,
    cafile: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[Result], None] = lambda _r: None,
    once: bool = False,
) -> Summary:
    """Send each message over one connection; stop when the server fails or on cancel.

    `once` (the day's batch, issue 18): a step another machine sent meanwhile is "taken".

    A message already pending from an interrupted run is not sent again (status "unknown").
    A refusal of one message (bad address) is noted and the batch goes on.
    """
    summary = Summary()
    pending = iter(outgoing)
    try:
        with Connection(account, password, cafile) as conn:
            for out in pending:
                if cancelled():
                    summary.stopped = "annulé par l'utilisateur"
                    summary.results.append(_left(out))
                    break
                earlier = ledger.mail_unknown(ClientId(out.client_id), out.kind)
                if earlier is not None:
                    summary.results.append(_unknown(out, earlier.message_id))
                    continue
                try:
                    result = send_one(ledger, conn, account, out, now, once=once)
                except StepTakenError as exc:  # sent meanwhile from another machine
                    summary.results.append(
                        Result(out.client, out.kind, list(out.invoices), TAKEN, error=str(exc))
                    )
                    progress(summary.results[-1])
                    continue
                except SendError as exc:
                    status = UNKNOWN if exc.unknown else FAILED
                    summary.results.append(
                        Result(out.client, out.kind, list(out.invoices), status, error=str(exc))
                    )
                    progress(summary.results[-1])
                    if exc.retry:
                        summary.stopped = str(exc)
                        break
                    continue
                except StorageError as exc:  # the PDF or the record could not be written
                    summary.stopped = str(exc)
                    summary.results.append(
                        Result(out.client, out.kind, list(out.invoices), FAILED, error=str(exc))
                    )
                    break
                except InputError as exc:  # a bad address or subject: this one only
                    summary.results.append(
                        Result(out.client, out.kind, list(out.invoices), FAILED, error=str(exc))
                    )
                    progress(summary.results[-1])
                    continue
                summary.results.append(result)
                progress(result)
    except SendError as exc:  # could not connect or log in: nothing sent
        summary.stopped = str(exc)
    summary.results.extend(_left(out) for out in pending)
    return summary


def _left(out: Outgoing) -> Result:
    return Result(out.client, out.kind, list(out.invoices), NOT_SENT)


def _unknown(out: Outgoing, message_id: str) -> Result:
    return Result(
        out.client,
        out.kind,
        list(out.invoices),
        UNKNOWN,
        message_id=message_id,
        error="ce message part en ce moment depuis un autre poste, ou un envoi précédent a été "
        "interrompu avant d'être enregistré : vérifiez dans votre messagerie (éléments envoyés) "
        "si ce message est parti, puis dites-le dans Relances > E-mails en état inconnu ; "
        "d'ici là il n'est pas renvoyé",
    )


def due_outgoing(
    ledger: Ledger, requests: Sequence[LetterRequest], as_of: dt.date, render: RenderPdf
) -> Iterable[Outgoing]:
    """The messages of a batch, built one at a time (one PDF in memory at once)."""
    for request, letter in zip(requests, iter_letters(ledger, requests, as_of), strict=True):
        yield prepare(ledger, request, letter, render)


def send_test(
    account: MailAccount, password: str, when: dt.datetime, cafile: str | None = None
) -> str:
    """Send a test message to the sender (nothing recorded); the French confirmation.

    A SendError carries the server's answer when it fails (wrong password, certificate...).
    """
    draft = Draft(
        (Recipient(account.sender_name, account.sender),),
        "Relance : message de test",
        "Ce message a été envoyé par Relance pour vérifier le compte d'envoi.\n\n"
        f"Serveur : {account.host}:{account.port} ({account.security}).",
    )
    with Connection(account, password, cafile) as conn:
        accepted = conn.send(build_message(account, draft, when))
    return f"message de test accepté par {account.host} pour {', '.join(accepted)}"
