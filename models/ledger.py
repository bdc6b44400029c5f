"""The Ledger: the one service object ui/ and main.py call; each write is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, func, select

from models import db
from models.aging import AgedBalance, Buckets, compute_aged_balance
from models.documents import LETTER_KINDS, LetterData
from models.errors import FieldError, InputError, NotFoundError
from models.facts import load_facts
from models.ids import ActionId, ClientId, ContactId, InvoiceId, PaymentId, PlanId
from models.import_apply import ImportAbortedError, ImportReport, apply_import
from models.importing import ParsedFile, parse_file
from models.interest import InterestResult, compute_interest
from models.ledger_settings import SettingsMixin
from models.letters_data import build_letter, invoices_for_letter
from models.money import to_cents
from models.plans import split_instalments
from models.policy import ESCALATION_LEVELS, Policy
from models.rates import RateTable
from models.stages import InvoiceFacts
from models.tables import (
    ACTION_KINDS,
    Action,
    ActionInvoice,
    Client,
    Contact,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    PlanInvoice,
)
from models.todo import StageRow, TodoItem, stage_rows, todo_items
from models.validation import check_client, check_invoice, check_payment

# How each letter kind enters the history: (action kind, default channel).
SENT_AS = {
    "preventive": ("email", "email"),
    "reminder_1": ("email", "email"),
    "reminder_2": ("letter", "letter"),
    "reminder_3": ("letter", "letter"),
    "formal_notice": ("formal_notice", "registered_letter"),
    "payment_plan": ("letter", "letter"),
    "penalty_statement": ("letter", "letter"),
}
LETTER_NOTES = {
    "preventive": "Rappel préventif envoyé",
    "reminder_1": "Relance 1 envoyée",
    "reminder_2": "Relance 2 envoyée",
    "reminder_3": "Relance 3 envoyée",
    "formal_notice": "Mise en demeure envoyée (LRAR)",
    "payment_plan": "Proposition d'échéancier envoyée",
    "penalty_statement": "Relevé de pénalités envoyé",
}
CLIENT_FIELDS = set(Client.model_fields) - {"id", "archived", "created_at"}
INVOICE_EDITABLE = {
    "number",
    "client_id",
    "order_number",
    "subject",
    "issue_date",
    "sent_date",
    "due_date",
    "amount_ht_cents",
    "vat_cents",
    "amount_ttc_cents",
    "deposit_cents",
}


class Ledger(SettingsMixin):
    """Front of the domain: the queries and writes on one database (Fava's ledger)."""

    def __init__(self, engine: Engine, url: str = "") -> None:
        self.engine = engine
        self.url = url or engine.url.render_as_string(hide_password=False)
        self._rates: RateTable | None = None
        self._policies: dict[str | None, Policy] | None = None

    @classmethod
    def open(cls, db_arg: str | None = None, now: dt.datetime | None = None) -> Ledger:
        """Open (creating or migrating) the database; with `now`, make the daily backup."""
        url = db.resolve_url(db_arg)
        engine = db.make_engine(url)
        ledger = cls(engine, url)
        backups = ledger.backup_dir()
        db.migrate(engine, backups, now)
        if now is not None and backups is not None:
            db.daily_backup(engine, backups, now, int(ledger.setting("backups_kept")))
        return ledger

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- sessions ----------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction: everything inside is committed together or not at all."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _changed(self) -> None:
        self._policies = None

    # -- clients -----------------------------------------------------------------------------
    def add_client(self, name: str, kind: str = "b2b", **fields: Any) -> ClientId:
        """Create a client; refused (InputError) on a missing name, bad SIRET, bad e-mail."""
        self._check_client_fields(fields)
        errors = check_client(
            name, kind, **_pick(fields, "siren", "siret", "email", "postal_code", "country")
        )
        if errors:
            raise InputError(errors)
        with self._write() as s:
            client = Client(name=" ".join(name.split()), kind=kind, **fields)
            s.add(client)
            s.flush()
            return ClientId(client.id)  # type: ignore[arg-type]

    def update_client(self, client_id: ClientId, **changes: Any) -> None:
        """Change a client's fields, validated like a new one."""
        self._check_client_fields(changes)
        with self._write() as s:
            client = self._get(s, Client, client_id, "client")
            merged = client.model_dump() | changes
            errors = check_client(
                merged["name"],
                merged["kind"],
                **_pick(merged, "siren", "siret", "email", "postal_code", "country"),
            )
            if errors:
                raise InputError(errors)
            for k, v in changes.items():
                setattr(client, k, v)
        self._changed()

    def archive_client(self, client_id: ClientId, archived: bool = True) -> None:
        """Hide a client and its invoices from the lists; nothing is deleted."""
        with self._write() as s:
            self._get(s, Client, client_id, "client").archived = archived

    def client(self, client_id: ClientId) -> Client:
        """One client record."""
        with Session(self.engine) as s:
            found: Client = self._get(s, Client, client_id, "client")
            return found

    def clients(self, include_archived: bool = False) -> list[Client]:
        """All clients by name."""
        with Session(self.engine) as s:
            q = select(Client).order_by(func.lower(Client.name))
            if not include_archived:
                q = q.where(col(Client.archived).is_(False))
            return list(s.exec(q))

    def find_client(self, name: str) -> Client | None:
        """The client with this name, ignoring case and surrounding spaces."""
        key = " ".join(name.split()).lower()
        with Session(self.engine) as s:
            return s.exec(select(Client).where(func.lower(Client.name) == key)).first()

    def _check_client_fields(self, fields: dict[str, Any]) -> None:
        unknown = set(fields) - CLIENT_FIELDS
        if unknown:
            raise InputError(f"champs client inconnus : {', '.join(sorted(unknown))}")

    # -- contacts ----------------------------------------------------------------------------
    def add_contact(
        self, client_id: ClientId, name: str, role: str = "", phone: str = "", email: str = ""
    ) -> ContactId:
        """Add a person at the client (accounts payable, usually)."""
        if not name.strip():
            raise InputError([FieldError("nom", "le nom du contact est obligatoire")])
        with self._write() as s:
            self._get(s, Client, client_id, "client")
            contact = Contact(
                client_id=client_id, name=name.strip(), role=role, phone=phone, email=email
            )
            s.add(contact)
            s.flush()
            return ContactId(contact.id)  # type: ignore[arg-type]

    def update_contact(self, contact_id: ContactId, **changes: Any) -> None:
        """Change a contact's name, role, phone or e-mail."""
        with self._write() as s:
            contact = self._get(s, Contact, contact_id, "contact")
            for k, v in changes.items():
                if k not in ("name", "role", "phone", "email"):
                    raise InputError(f"champ de contact inconnu : {k}")
                setattr(contact, k, v)

    def delete_contact(self, contact_id: ContactId) -> None:
        """Remove a contact (contacts carry no history)."""
        with self._write() as s:
            s.delete(self._get(s, Contact, contact_id, "contact"))

    def contacts(self, client_id: ClientId) -> list[Contact]:
        """The client's contacts by name."""
        with Session(self.engine) as s:
            q = select(Contact).where(Contact.client_id == client_id).order_by(Contact.name)
            return list(s.exec(q))

    # -- invoices ----------------------------------------------------------------------------
    def add_invoice(
        self,
        client_id: ClientId,
        number: str,
        issue_date: dt.date,
        amount_ttc: Decimal,
        due_date: dt.date | None = None,
        amount_ht: Decimal | None = None,
        deposit: Decimal = Decimal(0),
        sent_date: dt.date | None = None,
        order_number: str = "",
        subject: str = "",
    ) -> InvoiceId:
        """Record an invoice; no due date means issue date + 30 days (C. com. L441-10)."""
        number = number.strip()
        errors = check_invoice(number, issue_date, due_date, amount_ttc, amount_ht, deposit)
        due = due_date or self.default_due(issue_date)  # read before the write transaction
        with self._write() as s:
            self._get(s, Client, client_id, "client")
            if number and s.exec(select(Invoice.id).where(Invoice.number == number)).first():
                errors.append(FieldError("numéro", f"la facture {number} existe déjà"))
            if errors:
                raise InputError(errors)
            inv = Invoice(
                number=number,
                client_id=client_id,
                issue_date=issue_date,
                due_date=due,
                due_date_given=bool(due_date),
                amount_ttc_cents=to_cents(amount_ttc),
                amount_ht_cents=to_cents(amount_ht) if amount_ht is not None else 0,
                vat_cents=to_cents(amount_ttc - amount_ht) if amount_ht is not None else 0,
                deposit_cents=to_cents(deposit),
                sent_date=sent_date,
                order_number=order_number,
                subject=subject,
            )
            s.add(inv)
            s.flush()
            return InvoiceId(inv.id)  # type: ignore[arg-type]

    def default_due(self, issue_date: dt.date) -> dt.date:
        """Issue date plus the default payment term (30 days unless set otherwise)."""
        return issue_date + dt.timedelta(days=int(self.setting("payment_terms_days")))

    def update_invoice(self, invoice_id: InvoiceId, **changes: Any) -> None:
        """Change an invoice's fields (amounts in cents), validated like a new one."""
        unknown = set(changes) - INVOICE_EDITABLE
        if unknown:
            raise InputError(f"champs de facture non modifiables : {', '.join(sorted(unknown))}")
        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            m = inv.model_dump() | changes
            errors = check_invoice(
                m["number"],
                m["issue_date"],
                m["due_date"],
                Decimal(m["amount_ttc_cents"]) / 100,
                Decimal(m["amount_ht_cents"]) / 100 if m["amount_ht_cents"] else None,
                Decimal(m["deposit_cents"]) / 100,
            )
            if (
                m["number"] != inv.number
                and s.exec(select(Invoice.id).where(Invoice.number == m["number"])).first()
            ):
                errors.append(FieldError("numéro", f"la facture {m['number']} existe déjà"))
            if errors:
                raise InputError(errors)
            for k, v in changes.items():
                setattr(inv, k, v)
            if "due_date" in changes:
                inv.due_date_given = True

    def invoice(self, invoice_id: InvoiceId) -> Invoice:
        """One invoice record."""
        with Session(self.engine) as s:
            found: Invoice = self._get(s, Invoice, invoice_id, "facture")
            return found

    def find_invoice(self, number: str) -> Invoice:
        """The invoice with this number; NotFoundError names it otherwise."""
        with Session(self.engine) as s:
            inv = s.exec(select(Invoice).where(Invoice.number == number.strip())).first()
        if inv is None:
            raise NotFoundError(f"facture inconnue : {number}")
        return inv

    def archive_invoice(self, invoice_id: InvoiceId, archived: bool = True) -> None:
        """Hide an invoice from the lists; its history stays."""
        with self._write() as s:
            self._get(s, Invoice, invoice_id, "facture").archived = archived

    def delete_invoice(self, invoice_id: InvoiceId) -> None:
        """Delete an invoice entered by mistake; refused once it has payments or history."""
        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            paid = s.exec(select(Payment.id).where(Payment.invoice_id == invoice_id)).first()
            acted = s.exec(
                select(ActionInvoice.action_id).where(ActionInvoice.invoice_id == invoice_id)
            ).first()
            has_history = paid is not None or acted is not None
            if has_history:
                raise InputError(f"la facture {inv.number} a un historique : archivez-la plutôt")
            s.delete(inv)

    def mark_disputed(self, invoice_id: InvoiceId, on: dt.date, reason: str) -> None:
        """The client contests the invoice: dunning stops, the dispute enters the history."""
        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez le motif du litige")])
        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            inv.disputed, inv.disputed_on, inv.dispute_reason = True, on, reason
            self._add_action(s, inv.client_id, on, "dispute", "", "", reason, [invoice_id])

    def resolve_dispute(self, invoice_id: InvoiceId, on: dt.date, notes: str = "") -> None:
        """The dispute is settled: dunning resumes where it was."""
        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            inv.disputed, inv.disputed_on = False, None
            self._add_action(
                s, inv.client_id, on, "note", "", "", notes or "Litige réglé", [invoice_id]
            )

    def write_off(self, invoice_id: InvoiceId, on: dt.date, reason: str) -> None:
        """Declare an invoice unrecoverable (passée en perte), with the reason kept."""
        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez pourquoi la créance est perdue")])
        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            inv.written_off, inv.written_off_on, inv.written_off_reason = True, on, reason
            self._add_action(
                s, inv.client_id, on, "note", "", "", f"Passée en perte : {reason}", [invoice_id]
            )

    def pause(
        self,
        until: dt.date | None,
        reason: str = "",
        *,
        invoice_id: InvoiceId | None = None,
        client_id: ClientId | None = None,
    ) -> None:
        """Pause reminders for one invoice or one client until a date (None lifts the pause)."""
        if until is not None and not reason.strip():
            raise InputError([FieldError("motif", "indiquez pourquoi suspendre les relances")])
        with self._write() as s:
            target: Invoice | Client
            if invoice_id is not None:
                target = self._get(s, Invoice, invoice_id, "facture")
            elif client_id is not None:
                target = self._get(s, Client, client_id, "client")
            else:
                raise InputError("pause : une facture ou un client est nécessaire")
            target.paused_until, target.pause_reason = until, reason if until else ""

    # -- payments ----------------------------------------------------------------------------
    def record_payment(
        self,
        invoice_id: InvoiceId,
        on: dt.date,
        amount: Decimal,
        method: str = "transfer",
        reference: str = "",
    ) -> PaymentId:
        """Money received; an overpayment is kept and shows as a credit."""
        errors = check_payment(on, amount, method)
        if errors:
            raise InputError(errors)
        with self._write() as s:
            self._get(s, Invoice, invoice_id, "facture")
            pay = Payment(
                invoice_id=invoice_id,
                date=on,
                amount_cents=to_cents(amount),
                method=method,
                reference=reference,
            )
            s.add(pay)
            s.flush()
            return PaymentId(pay.id)  # type: ignore[arg-type]

    def payments(self, invoice_id: InvoiceId) -> list[Payment]:
        """An invoice's payments by date."""
        with Session(self.engine) as s:
            q = select(Payment).where(Payment.invoice_id == invoice_id).order_by(col(Payment.date))
            return list(s.exec(q))

    # -- history -----------------------------------------------------------------------------
    def record_action(
        self,
        client_id: ClientId,
        on: dt.date,
        kind: str,
        *,
        invoice_ids: Sequence[int] = (),
        channel: str = "",
        step: str = "",
        outcome: str = "",
        notes: str = "",
        document_path: str = "",
        registered_number: str = "",
        promise_date: dt.date | None = None,
        promise_amount: Decimal | None = None,
    ) -> ActionId:
        """Add an entry to the client's history (a call, a letter sent, a promise...)."""
        errors = []
        if kind not in ACTION_KINDS:
            errors.append(FieldError("type", f"type d'action inconnu « {kind} »"))
        if kind == "promise" and promise_date is None:
            errors.append(FieldError("date promise", "une promesse de paiement a une date"))
        if promise_date is not None and promise_date < on:
            errors.append(FieldError("date promise", "la date promise précède l'appel"))
        if promise_amount is not None and promise_amount <= 0:
            errors.append(FieldError("montant promis", "le montant promis doit être positif"))
        if errors:
            raise InputError(errors)
        with self._write() as s:
            self._get(s, Client, client_id, "client")
            for inv_id in invoice_ids:
                inv = self._get(s, Invoice, inv_id, "facture")
                if inv.client_id != client_id:
                    raise InputError(f"la facture {inv.number} n'est pas à ce client")
            return self._add_action(
                s,
                client_id,
                on,
                kind,
                channel,
                step,
                notes,
                invoice_ids,
                outcome=outcome,
                document_path=document_path,
                registered_number=registered_number,
                promise_date=promise_date,
                promise_amount_cents=to_cents(promise_amount) if promise_amount else None,
            )

    def _add_action(
        self,
        s: Session,
        client_id: int,
        on: dt.date,
        kind: str,
        channel: str,
        step: str,
        notes: str,
        invoice_ids: Sequence[int],
        **extra: Any,
    ) -> ActionId:
        action = Action(
            client_id=client_id,
            date=on,
            kind=kind,
            channel=channel,
            step=step,
            notes=notes,
            **extra,
        )
        s.add(action)
        s.flush()
        for inv_id in dict.fromkeys(invoice_ids):
            s.add(ActionInvoice(action_id=action.id, invoice_id=inv_id))  # type: ignore[arg-type]
        return ActionId(action.id)  # type: ignore[arg-type]

    def acknowledge(self, action_id: ActionId, on: dt.date) -> None:
        """Record the date the registered letter's acknowledgement of receipt came back."""
        with self._write() as s:
            action = self._get(s, Action, action_id, "action")
            if on < action.date:
                raise InputError([FieldError("date AR", "l'accusé de réception précède l'envoi")])
            action.acknowledged_on = on

    def history(self, client_id: ClientId) -> list[tuple[Action, list[str]]]:
        """The client's history by date, each entry with the invoice numbers it concerns."""
        with Session(self.engine) as s:
            actions = list(
                s.exec(
                    select(Action)
                    .where(Action.client_id == client_id)
                    .order_by(col(Action.date), col(Action.id))
                )
            )
            links = s.exec(
                select(ActionInvoice.action_id, Invoice.number)
                .join(Invoice, col(Invoice.id) == col(ActionInvoice.invoice_id))
                .where(Invoice.client_id == client_id)
            ).all()
        numbers: dict[int, list[str]] = {}
        for action_id, number in links:
            numbers.setdefault(action_id, []).append(number)
        return [(a, sorted(numbers.get(a.id or 0, []))) for a in actions]

    # -- payment plans -----------------------------------------------------------------------
    def create_plan(
        self,
        client_id: ClientId,
        invoice_ids: Sequence[int],
        agreed_on: dt.date,
        instalments: Sequence[tuple[dt.date, Decimal]],
        notes: str = "",
        *,
        channel: str = "",
        document_path: str = "",
    ) -> PlanId:
        """Agree an instalment plan; the instalments must add up to the balance of the invoices.

        The agreement enters the history in the same transaction, with the letter sent if any.
        """
        facts = self.facts(invoice_ids=invoice_ids)
        errors = []
        if not facts or len(facts) != len(set(invoice_ids)):
            errors.append(FieldError("factures", "choisissez des factures existantes"))
        if any(f.client_id != client_id for f in facts):
            errors.append(FieldError("factures", "toutes les factures doivent être du même client"))
        if not instalments:
            errors.append(FieldError("échéances", "au moins une échéance"))
        balance = sum(f.balance_cents(agreed_on) for f in facts)
        planned = sum(to_cents(a) for _, a in instalments)
        if any(a <= 0 for _, a in instalments):
            errors.append(FieldError("échéances", "chaque échéance doit être positive"))
        if planned != balance:
            errors.append(
                FieldError(
                    "échéances",
                    f"le total des échéances ({planned / 100:.2f}) "
                    f"diffère du solde dû ({balance / 100:.2f})",
                )
            )
        if any(d < agreed_on for d, _ in instalments):
            errors.append(FieldError("échéances", "une échéance précède la date de l'accord"))
        if errors:
            raise InputError(errors)
        with self._write() as s:
            plan = PaymentPlan(client_id=client_id, agreed_on=agreed_on, notes=notes)
            s.add(plan)
            s.flush()
            for inv_id in invoice_ids:
                s.add(PlanInvoice(plan_id=plan.id, invoice_id=inv_id))  # type: ignore[arg-type]
            for d, a in sorted(instalments):
                s.add(Instalment(plan_id=plan.id, due_date=d, amount_cents=to_cents(a)))  # type: ignore[arg-type]
            self._add_action(
                s,
                client_id,
                agreed_on,
                "agreement",
                channel,
                "payment_plan",
                notes or f"Échéancier en {len(instalments)} versements",
                invoice_ids,
                document_path=document_path,
            )
            return PlanId(plan.id)  # type: ignore[arg-type]

    def cancel_plan(self, plan_id: PlanId, on: dt.date) -> None:
        """End a plan: the invoices go back to the stage the plan interrupted."""
        with self._write() as s:
            self._get(s, PaymentPlan, plan_id, "échéancier").cancelled_on = on

    # -- queries -----------------------------------------------------------------------------
    def facts(
        self,
        invoice_ids: Sequence[int] | None = None,
        client_id: int | None = None,
        settled_as_of: dt.date | None = None,
        open_only: bool = False,
        settled_rows: list[StageRow] | None = None,
    ) -> list[InvoiceFacts]:
        """Invoice facts (payments, history, plan) for stages, penalties and letters.

        `settled_as_of` skips the history of invoices paid by that date (stages, to-do);
        `open_only` leaves them out altogether.
        """
        with self._read() as conn:
            return load_facts(
                conn,
                invoice_ids,
                client_id,
                settled_as_of=settled_as_of,
                open_only=open_only,
                settled_rows=settled_rows,
            )

    def policy_for(self, facts: InvoiceFacts) -> Policy:
        """The policy that applies to an invoice: its client's own, else the default."""
        return self.policy(facts.policy_name)

    def stages(self, as_of: dt.date, open_only: bool = False) -> list[StageRow]:
        """Stage, balance and next step of every live invoice as of a date.

        `open_only`: only the invoices with a balance still due on that date (client list).
        """
        settled: list[StageRow] = []
        facts = self.facts(settled_as_of=as_of, open_only=open_only, settled_rows=settled)
        rows = stage_rows(facts, as_of, self.policy_for)
        if settled:  # both lists are by due date then number: one order again
            rows = sorted(rows + settled, key=lambda r: (r.due, r.invoice))
        return rows

    def todo(self, as_of: dt.date) -> list[TodoItem]:
        """The steps due on or before `as_of` and not done, grouped per client."""
        # Nothing is to do for an invoice settled by then: it is not read at all.
        facts = self.facts(settled_as_of=as_of, open_only=True)
        return todo_items(facts, as_of, self.policy_for)

    def interest(self, number: str, as_of: dt.date) -> InterestResult:
        """Penalties, indemnity and their breakdown for one invoice as of a date."""
        inv = self.find_invoice(number)
        facts = self.facts(invoice_ids=[inv.id])  # type: ignore[list-item]
        if not facts:
            raise NotFoundError(f"facture archivée : {number}")
        if facts[0].issue_date > as_of:
            raise InputError(f"la facture {number} n'est pas encore émise au {as_of:%d/%m/%Y}")
        return compute_interest(facts[0], as_of, self.rates(), self.contractual_rate())

    def aged_balance(self, as_of: dt.date, buckets: Buckets | None = None) -> AgedBalance:
        """The aged balance by client as of a date (SQL aggregates)."""
        with self._read() as conn:
            return compute_aged_balance(conn, as_of, buckets or self.buckets())

    def letter(
        self,
        client_id: ClientId,
        kind: str,
        as_of: dt.date,
        invoice_ids: Sequence[int] = (),
        registered_number: str = "",
        instalments: Sequence[tuple[dt.date, int]] = (),
        deadline_days: int | None = None,
    ) -> LetterData:
        """One letter for a client: the invoices chosen, else all those at that step.

        A formal notice's deadline is the client's policy's unless `deadline_days` is given.
        """
        if kind not in LETTER_KINDS:
            raise InputError(f"type de lettre inconnu « {kind} »")
        if deadline_days is not None and not 1 <= deadline_days <= 90:
            raise InputError([FieldError("délai", "entre 1 et 90 jours")])
        client = self.client(client_id)
        chosen = invoices_for_letter(self.facts(client_id=client_id), kind, as_of, invoice_ids)
        template = self.template(kind)
        policy = self.policy(client.policy_name)
        return build_letter(
            kind=kind,
            company=self.company(),
            client=client,
            facts=chosen,
            as_of=as_of,
            template=template,
            rates=self.rates(),
            contractual=self.contractual_rate(),
            deadline_days=deadline_days or policy.notice_deadline_days,
            registered_number=registered_number,
            instalments=instalments,
        )

    def record_letter_sent(
        self,
        client_id: ClientId,
        kind: str,
        invoice_ids: Sequence[int],
        on: dt.date,
        *,
        channel: str = "",
        document_path: str = "",
        registered_number: str = "",
        notes: str = "",
    ) -> ActionId:
        """Record in the history that a letter was sent: the invoices move to that step."""
        if kind not in LETTER_KINDS:
            raise InputError(f"type de lettre inconnu « {kind} »")
        if not invoice_ids:
            raise InputError([FieldError("factures", "aucune facture concernée")])
        action_kind, default_channel = SENT_AS[kind]
        step = kind if kind in ESCALATION_LEVELS or kind == "preventive" else ""
        return self.record_action(
            client_id,
            on,
            action_kind,
            invoice_ids=invoice_ids,
            channel=channel or default_channel,
            step=step,
            notes=notes or LETTER_NOTES[kind],
            document_path=document_path,
            registered_number=registered_number,
        )

    def letter_for_invoice(self, number: str, kind: str, as_of: dt.date) -> LetterData:
        """The letter of this kind for the invoice's client, grouping the client's invoices."""
        inv = self.find_invoice(number)
        facts = self.facts(client_id=inv.client_id)
        chosen = invoices_for_letter(facts, kind, as_of)
        if inv.id not in {f.id for f in chosen}:
            chosen = [f for f in facts if f.id == inv.id] + chosen
        instalments: list[tuple[dt.date, int]] = []
        if kind == "payment_plan":
            total = sum(max(0, f.balance_cents(as_of)) for f in chosen)
            instalments = split_instalments(total, 3, as_of + dt.timedelta(days=15))
        return self.letter(
            ClientId(inv.client_id), kind, as_of, [f.id for f in chosen], instalments=instalments
        )

    def import_file(self, path: Path, skip_invalid: bool = False) -> ImportReport:
        """Import a CSV or XLSX file in one transaction; any error and no skip: nothing written."""
        return self.import_parsed(parse_file(path), skip_invalid)

    def import_parsed(self, parsed: ParsedFile, skip_invalid: bool = False) -> ImportReport:
        """Write rows already parsed (the UI shows them first); all or nothing unless skipping."""
        terms = int(self.setting("payment_terms_days"))
        try:
            with self._write() as s:
                return apply_import(s, parsed, skip_invalid, terms)
        except ImportAbortedError as aborted:  # the transaction was rolled back: nothing written
            return ImportReport(rows=aborted.report.rows, errors=aborted.report.errors)

    def counts(self) -> dict[str, int]:
        """How many clients and invoices the database holds (for status lines and tests)."""
        with Session(self.engine) as s:
            return {
                "clients": s.exec(select(func.count()).select_from(Client)).one(),
                "invoices": s.exec(select(func.count()).select_from(Invoice)).one(),
                "payments": s.exec(select(func.count()).select_from(Payment)).one(),
                "actions": s.exec(select(func.count()).select_from(Action)).one(),
            }

    @staticmethod
    def _get(s: Session, table: type[Any], key: int, what: str) -> Any:
        row = s.get(table, key)
        if row is None:
            raise NotFoundError(f"{what} introuvable (n° {key})")
        return row


def _pick(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: d[k] for k in keys if k in d and d[k] is not None}
