"""The Ledger's e-mail part: the account, the texts, who receives, and what was sent.

A message is written "pending" before the server is contacted and becomes "sent" in the same
transaction as the history entry (the step), or "failed": so a batch that stops half-way is
resumed without sending twice, and a message whose fate is unknown (Relance stopped between
the server's answer and the record) is shown, never sent again on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.errors import FieldError, InputError, StepTakenError
from models.ids import ActionId, ClientId
from models.mail.kinds import MAIL_TEMPLATE_PREFIX
from models.store import changes
from models.store.codes import MAIL_FAILED, MAIL_PENDING, MAIL_SENT
from models.store.ledger_history import LedgerHistory
from models.store.todo_reads import PendingMail, pending_mails

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.letters.documents import LetterData
    from models.mail.account import MailAccount
    from models.mail.message import Recipient
    from models.store.tables import MailSent

_SPLIT = re.compile(r"[;,\s]+")


def split_addresses(text: str) -> list[str]:
    """The addresses in a field that may hold several ("a@b.fr; c@d.fr")."""
    return [a for a in _SPLIT.split(text.strip()) if a]


class LedgerMail(LedgerHistory):
    """E-mail settings, recipients and the record of each message (one transaction each)."""

    # -- account -----------------------------------------------------------------------------
    def mail_account(self) -> MailAccount | None:
        """The sending account, None when none is set (e-mails are then drafts)."""
        from models.mail.account import account_from

        return account_from(self.setting("email"))

    def set_mail_account(self, value: dict[str, object]) -> None:
        """Store the account (checked; a password in it is refused, it goes to the keyring)."""
        from models.mail.account import check_account

        errors = check_account(value)
        if errors:
            raise InputError(errors)
        self.set_setting("email", value)

    # -- texts -------------------------------------------------------------------------------
    def mail_template(self, kind: str) -> str:
        """The user's e-mail text for a step, else the shipped one."""
        from models.mail.templates import check_kind

        check_kind(kind)
        return str(self.setting(MAIL_TEMPLATE_PREFIX + kind))

    def set_mail_template(self, kind: str, text: str) -> None:
        """Store the user's e-mail text for a step; an unknown {field} is refused."""
        from models.mail.templates import check_kind

        check_kind(kind)
        self.set_setting(MAIL_TEMPLATE_PREFIX + kind, text)

    def reset_mail_template(self, kind: str) -> None:
        """Go back to the shipped e-mail text for a step."""
        from models.mail.templates import check_kind

        check_kind(kind)
        self._delete_setting(MAIL_TEMPLATE_PREFIX + kind)

    def mail_template_is_custom(self, kind: str) -> bool:
        """Whether the user changed this step's e-mail text."""
        from models.mail.templates import check_kind

        check_kind(kind)
        return self._stored(MAIL_TEMPLATE_PREFIX + kind) is not None

    def mail_text(self, letter: LetterData) -> tuple[str, str]:
        """Subject and body of the e-mail that carries a letter, from the same {fields}."""
        from models.mail.templates import render_mail

        return render_mail(self.mail_template(letter.kind), dict(letter.values), letter.b2c)

    # -- recipients --------------------------------------------------------------------------
    def mail_recipients(self, client_id: ClientId) -> list[Recipient]:
        """Who receives the client's reminders: the accounts-payable contacts with an address,
        else the client's own address (main contact), else any contact with an address."""
        from sqlmodel import Session, col, select

        from models.mail.message import Recipient, one_line
        from models.store.tables import Client, Contact

        with Session(self.engine) as s:
            client = self._get(s, Client, client_id, "client")
            contacts = list(
                s.exec(
                    select(Contact)
                    .where(Contact.client_id == client_id, Contact.email != "")
                    .order_by(col(Contact.id))
                )
            )
        chosen = [(c.name, c.email) for c in contacts if c.accounts_payable]
        if not chosen and client.email.strip():
            name = client.attention or client.name
            chosen = [(name, client.email)]
        if not chosen:
            chosen = [(c.name, c.email) for c in contacts]
        out: list[Recipient] = []
        for name, field in chosen:
            for address in split_addresses(field):
                out.append(Recipient(one_line(name), address))
        return list({r.address.lower(): r for r in out}.values())

    # -- what was sent -----------------------------------------------------------------------
    def mail_pending(
        self,
        client_id: ClientId,
        kind: str,
        invoice_ids: Sequence[int],
        recipients: Sequence[str],
        subject: str,
        message_id: str,
        at: dt.datetime,
        attachment_path: str = "",
        attachment_sha256: str = "",
        steps: Sequence[tuple[str, Sequence[int]]] = (),
        once: bool = False,
    ) -> int:
        """Write that a message is about to be handed to the server; its record id.

        `once` (the day's batch): refused (StepTakenError, nothing written) when a step it
        carries is already recorded or another message for it is on its way (`steps` as in
        mail_accepted). A step sent again on purpose (a wizard, `email`) is not checked.
        """
        from models.mail.templates import check_kind
        from models.store.tables import Client, MailSent

        check_kind(kind)
        if not invoice_ids:
            raise InputError([FieldError("factures", "aucune facture concernée")])
        with self._write() as s:
            self._get(s, Client, client_id, "client")
            # Issue 18: another machine may be sending the same step right now; the check and
            # the record are one transaction under the client's lock: it goes out once.
            if once:
                changes.lock_client_steps(s.connection(), client_id)
                taken = self._step_taken(s, steps or ((kind, invoice_ids),))
                if taken is None:
                    taken = self._mail_in_flight(s, client_id, kind, invoice_ids)
                if taken is not None:
                    raise StepTakenError(taken)
            row = MailSent(
                client_id=client_id,
                kind=kind,
                invoice_ids=",".join(str(i) for i in invoice_ids),
                status=MAIL_PENDING,
                created_at=at,
                recipients=", ".join(recipients),
                subject=subject,
                message_id=message_id,
                attachment_path=attachment_path,
                attachment_sha256=attachment_sha256,
            )
            s.add(row)
            s.flush()
            return int(row.id)  # type: ignore[arg-type]

    def mail_accepted(
        self,
        mail_id: int,
        accepted: Sequence[str],
        at: dt.datetime,
        steps: Sequence[tuple[str, Sequence[int]]] = (),
    ) -> ActionId:
        """The server accepted the message: the step(s) and the record, in one transaction.

        `steps`: (letter kind, invoice ids) to record, by default the message's own kind for
        all its invoices (a stronger letter may also remind invoices not due yet).
        """
        from models.store.tables import MailSent

        with self._write() as s:
            row: MailSent = self._get(s, MailSent, mail_id, "e-mail")
            first = self._record_sent(s, row, accepted, at, steps)
        self._changed()
        return first

    def _record_sent(
        self,
        s: Session,
        row: MailSent,
        accepted: Sequence[str],
        at: dt.datetime,
        steps: Sequence[tuple[str, Sequence[int]]] = (),
        how: str = "",
    ) -> ActionId:
        """Write the history entries of a message that went, and mark its record sent."""
        from models.letters.delivery import mail_record

        if row.status != MAIL_PENDING:
            raise InputError(f"e-mail déjà enregistré ({row.status}) : {row.message_id}")
        ids = [int(i) for i in row.invoice_ids.split(",") if i]
        first: ActionId | None = None
        for kind, invoice_ids in steps or ((row.kind, ids),):
            entry, step = mail_record(kind)
            notes = (
                f"{entry.notes} — à {', '.join(accepted)} — objet « {row.subject} » — "
                f"Message-ID {row.message_id}" + (f" — {how}" if how else "")
            )
            action_id = self._add_action(
                s,
                row.client_id,
                at.date(),
                entry.action_kind,
                entry.channel,
                step,
                notes,
                invoice_ids,
                outcome=entry.outcome,
                document_path=row.attachment_path,
                created_at=at,
            )
            first = first or action_id
        row.status = MAIL_SENT
        row.sent_at = at
        row.action_id = first
        row.recipients = ", ".join(accepted)
        assert first is not None  # at least one step is always recorded
        return first

    def pending_mails(self) -> list[PendingMail]:
        """The messages in "état inconnu" (written pending, the server's answer never
        recorded), oldest first, with their client's name and invoice numbers."""
        with self._read() as conn:
            return pending_mails(conn)

    def settle_mail(self, mail_id: int, sent: bool, at: dt.datetime) -> ActionId:
        """The user checked their mailbox for a message in "état inconnu" and says whether it
        went; a new history entry either way, nothing deleted.

        Sent: the step is recorded as for a message the server accepted (the to-do drops it).
        Not sent: the record becomes failed, so the next sending sends it again, and the
        history notes that it did not go (the invoices keep their step).
        """
        from models.letters.delivery import mail_record
        from models.store.tables import MailSent

        with self._write() as s:
            row: MailSent = self._get(s, MailSent, mail_id, "e-mail")
            if row.status != MAIL_PENDING:
                raise InputError(
                    f"cet e-mail n'est plus en état inconnu ({row.status}) : {row.message_id}"
                )
            day = f"{at:%d/%m/%Y}"
            if sent:
                found = split_addresses(row.recipients)
                action_id = self._record_sent(
                    s, row, found, at, how=f"envoi confirmé par l'utilisateur le {day}"
                )
            else:
                entry, _step = mail_record(row.kind)
                row.status = MAIL_FAILED
                row.error = f"non parti, d'après l'utilisateur le {day} (état inconnu réglé)"
                ids = [int(i) for i in row.invoice_ids.split(",") if i]
                action_id = self._add_action(
                    s,
                    row.client_id,
                    at.date(),
                    "note",
                    "",
                    "",
                    f"E-mail non parti (état inconnu réglé) : {entry.notes} — objet "
                    f"« {row.subject} » — Message-ID {row.message_id} — à renvoyer",
                    ids,
                    created_at=at,
                )
        self._changed()
        return action_id

    def mail_failed(self, mail_id: int, reason: str) -> None:
        """The message did not go out: kept as failed with the reason (it may be sent again)."""
        from models.store.tables import MailSent

        with self._write() as s:
            row: MailSent = self._get(s, MailSent, mail_id, "e-mail")
            if row.status == MAIL_PENDING:
                row.status = MAIL_FAILED
                row.error = reason

    def mails(self, client_id: ClientId | None = None, status: str | None = None) -> list[MailSent]:
        """The messages recorded, oldest first, for one client and/or one status."""
        from sqlmodel import Session, col, select

        from models.store.tables import MailSent

        q = select(MailSent).order_by(col(MailSent.id))
        if client_id is not None:
            q = q.where(MailSent.client_id == client_id)
        if status is not None:
            q = q.where(MailSent.status == status)
        with Session(self.engine) as s:
            return list(s.exec(q))

    def mail_unknown(self, client_id: ClientId, kind: str) -> MailSent | None:
        """A message for this client and step whose fate is unknown (pending), if any."""
        from sqlmodel import Session, select

        from models.store.tables import MailSent

        with Session(self.engine) as s:
            return s.exec(
                select(MailSent).where(
                    MailSent.client_id == client_id,
                    MailSent.kind == kind,
                    MailSent.status == MAIL_PENDING,
                )
            ).first()

    # -- one step, once (issue 18) -------------------------------------------------------------
    def _step_taken(self, s: Session, steps: Sequence[tuple[str, Sequence[int]]]) -> str | None:
        """Why one of these steps is already done (a live history line), or None.

        Runs inside the write transaction that would record them, under the client's lock.
        """
        from sqlmodel import col, select

        from models.law.policy import ESCALATION_LEVELS
        from models.store.tables import Action, ActionInvoice, Invoice

        for kind, invoice_ids in steps:
            if not invoice_ids or not (kind in ESCALATION_LEVELS or kind == "preventive"):
                continue
            found = s.exec(
                select(Action, Invoice.number)
                .join(ActionInvoice, col(ActionInvoice.action_id) == col(Action.id))
                .join(Invoice, col(Invoice.id) == col(ActionInvoice.invoice_id))
                .where(col(ActionInvoice.invoice_id).in_(list(invoice_ids)))
                .where(Action.step == kind)
                .where(col(Action.cancelled_on).is_(None))
                .order_by(col(Action.id))
            ).first()
            if found is not None:
                action, number = found
                return _taken_text(kind, number, action.date, action.done_by, action.outcome)
        return None

    def _mail_in_flight(
        self, s: Session, client_id: int, kind: str, invoice_ids: Sequence[int]
    ) -> str | None:
        """Why a message for this step is already on its way (pending from another run)."""
        from sqlmodel import select

        from models.store.tables import MailSent

        wanted = {int(i) for i in invoice_ids}
        for row in s.exec(
            select(MailSent).where(
                MailSent.client_id == client_id,
                MailSent.kind == kind,
                MailSent.status == MAIL_PENDING,
            )
        ):
            if wanted & {int(i) for i in row.invoice_ids.split(",") if i}:
                return (
                    f"un e-mail « {row.subject} » pour cette étape est déjà en cours d'envoi "
                    f"depuis le {row.created_at.astimezone():%d/%m/%Y à %H:%M} : il n'est pas "
                    "envoyé une seconde fois"
                )
        return None


def step_name(kind: str) -> str:
    """'relance 1': a dunning step as a sentence names it."""
    from models.law.policy import DEFAULT_POLICY

    step = DEFAULT_POLICY.step(kind)
    return step.label.lower() if step is not None else kind


def _taken_text(kind: str, number: str, on: dt.date, who: str | None, outcome: str) -> str:
    """'la relance 1 de la facture FA-1 est déjà faite (le 23/11/2026 par Marie, …)'."""
    details = ", ".join(p for p in (f"le {on:%d/%m/%Y}", f"par {who}" if who else "", outcome) if p)
    return (
        f"l'étape « {step_name(kind)} » de la facture {number} est déjà faite ({details}) : "
        "elle n'est pas faite une seconde fois"
    )
