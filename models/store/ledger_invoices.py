"""The Ledger's invoices: invoices, payments, the history of actions and payment plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from models.errors import FieldError, InputError, NotFoundError
from models.ids import ActionId, ClientId, InvoiceId, PlanId
from models.money import format_eur, from_cents, to_cents
from models.store.ledger_base import LedgerBase

if TYPE_CHECKING:  # the ORM is imported where a method uses it (the window's start)
    from sqlmodel import Session

    from models.store.tables import (
        Action,
        Client,
        Invoice,
    )

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
    "completed_on",
    "penalties_from_max_term",
}
# Invoice fields whose change is a history line with the old and new value (issue 14).
TRACKED_FIELDS = (
    "number",
    "client_id",
    "issue_date",
    "due_date",
    "amount_ttc_cents",
    "amount_ht_cents",
    "deposit_cents",
)
# History kinds that interrupt prescription (C. civ. 2240, 2241): they must name the invoices.
INTERRUPTING_KINDS = ("acknowledgement", "court_filing")


class LedgerInvoices(LedgerBase):
    """Invoices and what happens to them; each write is one transaction."""

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
        completed_on: dt.date | None = None,
        penalties_from_max_term: bool = False,
    ) -> InvoiceId:
        """Record an invoice; no due date means issue date + 30 days (C. com. L441-10).

        `completed_on`: when a consumer service was completed (prescription starts then);
        `penalties_from_max_term`: count from the legal maximum term when the due date is later.
        """
        from sqlmodel import select

        from models.store.tables import Client, Invoice
        from models.validation import check_invoice

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
                completed_on=completed_on,
                penalties_from_max_term=penalties_from_max_term,
            )
            s.add(inv)
            s.flush()
            return InvoiceId(inv.id)  # type: ignore[arg-type]

    def default_due(self, issue_date: dt.date) -> dt.date:
        """Issue date plus the default payment term (30 days unless set otherwise)."""
        return issue_date + dt.timedelta(days=int(self.setting("payment_terms_days")))

    def update_invoice(
        self,
        invoice_id: InvoiceId,
        *,
        on: dt.date | None = None,
        reason: str = "",
        expected_version: int | None = None,
        **changes: Any,
    ) -> None:
        """Change an invoice's fields (amounts in cents), validated like a new one.

        A change of amount, due date, client (or number, dates, deposit) is a history line
        with the old and new value, dated `on` (required then), with the reason if given.
        `expected_version`: the version the caller read; a change made meanwhile by someone
        else is refused with what it was (ConflictError, issue 18).
        """
        from sqlmodel import select

        from models.store import versions
        from models.store.tables import Client, Invoice
        from models.validation import check_invoice

        unknown = set(changes) - INVOICE_EDITABLE
        if unknown:
            raise InputError(f"champs de facture non modifiables : {', '.join(sorted(unknown))}")
        with self._write() as s:
            inv = versions.fetch(s, Invoice, invoice_id, "facture", expected_version)
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
            if "client_id" in changes:
                self._get(s, Client, changes["client_id"], "client")
            if errors:
                raise InputError(errors)
            lines = [
                f"{versions.FIELD_LABELS[field]} {self._shown(s, field, getattr(inv, field))} → "
                f"{self._shown(s, field, changes[field])}"
                for field in TRACKED_FIELDS
                if field in changes and changes[field] != getattr(inv, field)
            ]
            if lines and on is None:
                raise InputError("date de la modification manquante")
            old_client = inv.client_id
            for k, v in changes.items():
                setattr(inv, k, v)
            if "due_date" in changes:
                inv.due_date_given = True
            if lines and on is not None:
                text = f"Facture {inv.number} modifiée : " + "; ".join(lines)
                if reason.strip():
                    text += f" (motif : {reason.strip()})"
                versions.note(s, inv, "; ".join(lines))
                for client_id in dict.fromkeys((old_client, inv.client_id)):
                    self._add_action(s, client_id, on, "correction", "", "", text, [invoice_id])

    def _shown(self, s: Session, field: str, value: Any) -> str:
        """A tracked value as the history line prints it (amounts in euros, dates French)."""
        from models.store.tables import Client

        if field.endswith("_cents"):
            return format_eur(int(value or 0), cents=True)
        if isinstance(value, dt.date):
            return f"{value:%d/%m/%Y}"
        if field == "client_id":
            return str(self._get(s, Client, value, "client").name)
        return f"« {value} »" if isinstance(value, str) else str(value)

    def invoice(self, invoice_id: InvoiceId) -> Invoice:
        """One invoice record."""
        from sqlmodel import Session

        from models.store.tables import Invoice

        with Session(self.engine) as s:
            found: Invoice = self._get(s, Invoice, invoice_id, "facture")
            return found

    def find_invoice(self, number: str) -> Invoice:
        """The invoice with this number; NotFoundError names it otherwise."""
        from sqlmodel import Session, select

        from models.store.tables import Invoice

        with Session(self.engine) as s:
            inv = s.exec(select(Invoice).where(Invoice.number == number.strip())).first()
        if inv is None:
            raise NotFoundError(f"facture inconnue : {number}")
        return inv

    def archive_invoice(
        self, invoice_id: InvoiceId, archived: bool = True, on: dt.date | None = None
    ) -> None:
        """Hide an invoice from the lists (or show it again); its history stays.

        With `on`, a history line says it was archived or restored that day.
        """
        from models.store.tables import Invoice

        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            if inv.archived == archived:
                return
            inv.archived = archived
            if on is not None:
                what = "archivée" if archived else "restaurée (désarchivée)"
                text = f"Facture {inv.number} {what}"
                self._add_action(s, inv.client_id, on, "correction", "", "", text, [invoice_id])

    def delete_invoice(self, invoice_id: InvoiceId) -> None:
        """Delete an invoice entered by mistake; refused once it has payments or history."""
        from sqlmodel import select

        from models.store.tables import ActionInvoice, Invoice, Payment

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
        from models.store.tables import Invoice

        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez le motif du litige")])
        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            inv.disputed, inv.disputed_on, inv.dispute_reason = True, on, reason
            self._add_action(s, inv.client_id, on, "dispute", "", "", reason, [invoice_id])

    def resolve_dispute(self, invoice_id: InvoiceId, on: dt.date, notes: str = "") -> None:
        """The dispute is settled: dunning resumes where it was."""
        from models.store.tables import Invoice

        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            inv.disputed, inv.disputed_on = False, None
            self._add_action(
                s, inv.client_id, on, "note", "", "", notes or "Litige réglé", [invoice_id]
            )

    def write_off(self, invoice_id: InvoiceId, on: dt.date, reason: str) -> None:
        """Declare an invoice unrecoverable (passée en perte), with the reason kept."""
        from models.store.tables import Invoice

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
        from models.store.tables import Client, Invoice

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
        from models.store.tables import ACTION_KINDS, Client, Invoice

        errors = []
        if kind not in ACTION_KINDS:
            errors.append(FieldError("type", f"type d'action inconnu « {kind} »"))
        if kind == "promise" and promise_date is None:
            errors.append(FieldError("date promise", "une promesse de paiement a une date"))
        if promise_date is not None and promise_date < on:
            errors.append(FieldError("date promise", "la date promise précède l'appel"))
        if promise_amount is not None and promise_amount <= 0:
            errors.append(FieldError("montant promis", "le montant promis doit être positif"))
        if kind in INTERRUPTING_KINDS and not invoice_ids:
            # C. civ. 2240, 2241: what is interrupted is the claim on given invoices.
            errors.append(FieldError("factures", "indiquez les factures concernées"))
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
        from models.store.tables import Action, ActionInvoice

        extra.setdefault("done_by", self.user)
        extra.setdefault("created_at", dt.datetime.now().astimezone().replace(microsecond=0))
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
        from models.store.tables import Action

        with self._write() as s:
            action = self._get(s, Action, action_id, "action")
            if on < action.date:
                raise InputError([FieldError("date AR", "l'accusé de réception précède l'envoi")])
            action.acknowledged_on = on

    def history(self, client_id: ClientId) -> list[tuple[Action, list[str]]]:
        """The client's history by date, each entry with the invoice numbers it concerns."""
        from sqlmodel import Session, col, select

        from models.store.tables import Action, ActionInvoice, Invoice

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
        waive_penalties: bool = False,
        outcome: str = "",
    ) -> PlanId:
        """Agree an instalment plan; the instalments must add up to what the plan covers.

        What it covers is the payment-plan statement of account of these invoices on the day
        of the agreement (principal, penalties and indemnity; the principal alone when
        `waive_penalties`), the same figure the agreement letter states. The agreement enters
        the history in the same transaction, with the letter sent if any.
        """
        from models.letters.statement import statement_of_account
        from models.store.tables import Instalment, PaymentPlan, PlanInvoice

        facts = self.facts(invoice_ids=invoice_ids)
        errors = []
        if not facts or len(facts) != len(set(invoice_ids)):
            errors.append(FieldError("factures", "choisissez des factures existantes"))
        if any(f.client_id != client_id for f in facts):
            errors.append(FieldError("factures", "toutes les factures doivent être du même client"))
        if not instalments:
            errors.append(FieldError("échéances", "au moins une échéance"))
        covered = statement_of_account(
            facts,
            "payment_plan",
            agreed_on,
            self.rates(),
            self.contractual_rate(),
            b2c=self.client(client_id).kind == "b2c",
            waive_penalties=waive_penalties,
        )
        planned = sum(to_cents(a) for _, a in instalments)
        if any(a <= 0 for _, a in instalments):
            errors.append(FieldError("échéances", "chaque échéance doit être positive"))
        if planned != covered.total_cents:
            errors.append(
                FieldError(
                    "échéances",
                    f"le total des échéances ({format_eur(from_cents(planned))}) "
                    f"diffère du montant de l'accord ({format_eur(covered.total)})",
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
                notes
                or f"Échéancier en {len(instalments)} versements"
                + (" (pénalités abandonnées si respecté)" if covered.penalties_waived else ""),
                invoice_ids,
                outcome=outcome,  # how the agreement letter left (models/letters/delivery.py)
                document_path=document_path,
            )
            return PlanId(plan.id)  # type: ignore[arg-type]

    def cancel_plan(self, plan_id: PlanId, on: dt.date) -> None:
        """End a plan: the invoices go back to the stage the plan interrupted."""
        from models.store.tables import PaymentPlan

        with self._write() as s:
            self._get(s, PaymentPlan, plan_id, "échéancier").cancelled_on = on
