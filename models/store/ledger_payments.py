"""The Ledger's payments: recorded, corrected or cancelled with a trace, and the trop-perçu.

DESIGN: a record says what happened; a correction is a new entry. A payment typed wrong stays
in the table flagged cancelled (with its reason and the payment that replaced it) and a
history line says what changed, old and new value. Penalties, stages and the aged balance read
only the payments not cancelled, so they follow at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from models.errors import FieldError, InputError, OverpaymentError
from models.ids import ClientId, InvoiceId, PaymentId
from models.money import format_eur, to_cents
from models.store.codes import CORRECTION_KIND, CREDIT_METHOD
from models.store.ledger_invoices import LedgerInvoices

if TYPE_CHECKING:  # the ORM is imported where a method uses it (the window's start)
    from sqlmodel import Session

    from models.store.tables import Invoice, Payment

# What to do with the part of a payment above the invoice's balance (C. civ. 1302, 1347).
EXCESS_CREDIT = "credit"  # kept to the client's credit (trop-perçu), usable on another invoice
EXCESS_KEEP = "keep"  # left on the invoice: its balance goes below zero (the user said so)
EXCESS_CHOICES = (EXCESS_CREDIT, EXCESS_KEEP)

METHOD_WORDS = {
    "transfer": "virement",
    "card": "carte",
    "cheque": "chèque",
    "cash": "espèces",
    "direct_debit": "prélèvement",
    "other": "autre",
    CREDIT_METHOD: "trop-perçu",
}


def describe_payment(pay: Payment) -> str:
    """'200,00 € du 01/03/2026 (chèque)': a payment as a history line names it."""
    word = METHOD_WORDS.get(pay.method, pay.method)
    return f"{format_eur(pay.amount_cents, cents=True)} du {pay.date:%d/%m/%Y} ({word})"


class LedgerPayments(LedgerInvoices):
    """Payments and their corrections; each write is one transaction."""

    def record_payment(
        self,
        invoice_id: InvoiceId,
        on: dt.date,
        amount: Decimal,
        method: str = "transfer",
        reference: str = "",
        *,
        excess: str | None = None,
        expected_version: int | None = None,
    ) -> PaymentId:
        """Money received against an invoice.

        Above the balance, `excess` says what the user chose: "credit" records the balance on
        the invoice and the rest to the client's credit; "keep" leaves it all on the invoice;
        None refuses with an OverpaymentError (the window then asks). `expected_version`: the
        invoice's version the caller read; a payment (or change) recorded meanwhile from
        another screen is refused with what it was (ConflictError, issue 18).
        """
        from models.store import versions
        from models.store.tables import Invoice
        from models.validation import check_payment

        errors = check_payment(on, amount, method)
        if excess is not None and excess not in EXCESS_CHOICES:
            errors.append(FieldError("trop-perçu", f"choix inconnu « {excess} »"))
        if errors:
            raise InputError(errors)
        with self._write() as s:
            inv = versions.fetch(s, Invoice, invoice_id, "facture", expected_version)
            return self._insert_payment(s, inv, on, to_cents(amount), method, reference, excess)

    def _insert_payment(
        self,
        s: Session,
        inv: Invoice,
        on: dt.date,
        cents: int,
        method: str,
        reference: str,
        excess: str | None,
    ) -> PaymentId:
        """Add one payment inside the caller's transaction, its excess handled as chosen."""
        from models.store import versions
        from models.store.tables import Credit, Payment

        balance = _balance(s, inv)
        over = cents - max(balance, 0)
        kept = cents
        if over > 0 and excess is None:
            raise OverpaymentError(inv.number, balance, over)
        if over > 0 and excess == EXCESS_CREDIT:
            if balance <= 0:
                raise InputError(
                    [FieldError("montant", f"la facture {inv.number} est déjà soldée")]
                )
            kept = balance
        pay = Payment(
            invoice_id=inv.id,  # type: ignore[arg-type]
            date=on,
            amount_cents=kept,
            method=method,
            reference=reference,
        )
        s.add(pay)
        s.flush()
        versions.note(s, inv, f"paiement de {describe_payment(pay)} enregistré")
        if kept < cents:
            s.add(
                Credit(
                    client_id=inv.client_id,
                    payment_id=pay.id,  # type: ignore[arg-type]
                    date=on,
                    amount_cents=cents - kept,
                )
            )
            self._add_action(
                s,
                inv.client_id,
                on,
                "note",
                "",
                "",
                f"Trop-perçu de {format_eur(cents - kept, cents=True)} sur la facture "
                f"{inv.number} : gardé au crédit du client",
                [inv.id],  # type: ignore[list-item]
            )
        return PaymentId(pay.id)  # type: ignore[arg-type]

    def payments(self, invoice_id: InvoiceId, include_cancelled: bool = False) -> list[Payment]:
        """An invoice's payments by date; the cancelled ones only when asked (flagged)."""
        from sqlmodel import Session, col, select

        from models.store.tables import Payment

        with Session(self.engine) as s:
            q = select(Payment).where(Payment.invoice_id == invoice_id)
            if not include_cancelled:
                q = q.where(col(Payment.cancelled_on).is_(None))
            return list(s.exec(q.order_by(col(Payment.date), col(Payment.id))))

    def payment(self, payment_id: PaymentId) -> Payment:
        """One payment record (cancelled or not)."""
        from sqlmodel import Session

        from models.store.tables import Payment

        with Session(self.engine) as s:
            found: Payment = self._get(s, Payment, payment_id, "paiement")
            return found

    def balance_cents(self, invoice_id: InvoiceId) -> int:
        """What is still due on an invoice, all payments not cancelled counted (any date)."""
        from sqlmodel import Session

        from models.store.tables import Invoice

        with Session(self.engine) as s:
            return _balance(s, self._get(s, Invoice, invoice_id, "facture"))

    # -- corrections -------------------------------------------------------------------------
    def cancel_payment(
        self,
        payment_id: PaymentId,
        on: dt.date,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> None:
        """Cancel a payment recorded by mistake: it stays, flagged, and counts no more.

        Its trop-perçu goes with it; refused when that credit was already used elsewhere.
        `expected_version`: the payment's version the caller read (ConflictError, issue 18).
        """
        from models.store import versions
        from models.store.tables import Payment

        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez pourquoi le paiement est annulé")])
        with self._write() as s:
            versions.fetch(s, Payment, payment_id, "paiement", expected_version)
            pay, inv = self._cancel(s, payment_id, on, reason)
            self._payment_moved(s, payment_id, None, on, reason)
            self._add_action(
                s,
                inv.client_id,
                on,
                CORRECTION_KIND,
                "",
                "",
                f"Paiement de {describe_payment(pay)} annulé : {reason.strip()}",
                [inv.id],  # type: ignore[list-item]
            )

    def correct_payment(
        self,
        payment_id: PaymentId,
        on: dt.date,
        reason: str,
        *,
        amount: Decimal | None = None,
        date: dt.date | None = None,
        invoice_id: InvoiceId | None = None,
        method: str | None = None,
        reference: str | None = None,
        excess: str | None = None,
        expected_version: int | None = None,
    ) -> PaymentId:
        """Replace a payment by a corrected one (amount, date, invoice, method, reference).

        The original stays flagged "replaced" with the new one's id; a history line gives
        each old and new value. `excess` as in record_payment, for the corrected amount.
        `expected_version`: the payment's version the caller read (ConflictError, issue 18).
        """
        from models.store import versions
        from models.store.tables import Invoice, Payment
        from models.validation import check_payment

        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez pourquoi le paiement est corrigé")])
        with self._write() as s:
            old = versions.fetch(s, Payment, payment_id, "paiement", expected_version)
            new_amount = to_cents(amount) if amount is not None else old.amount_cents
            new_date = date or old.date
            new_method = method or old.method
            errors = check_payment(new_date, Decimal(new_amount) / 100, new_method)
            if new_method == CREDIT_METHOD:  # drawn from the credit: no method to validate
                errors = [e for e in errors if e.field != "moyen de paiement"]
            if excess is not None and excess not in EXCESS_CHOICES:
                errors.append(FieldError("trop-perçu", f"choix inconnu « {excess} »"))
            if errors:
                raise InputError(errors)
            pay, inv = self._cancel(s, payment_id, on, reason)
            target = self._get(s, Invoice, invoice_id or pay.invoice_id, "facture")
            if new_method == CREDIT_METHOD:
                if target.client_id != inv.client_id:
                    raise InputError("un trop-perçu ne sert que sur une facture du même client")
                if new_amount > _credit(s, inv.client_id):
                    raise InputError(
                        [FieldError("montant", "il dépasse le trop-perçu disponible du client")]
                    )
            new_id = self._insert_payment(
                s,
                target,
                new_date,
                new_amount,
                new_method,
                pay.reference if reference is None else reference,
                excess,
            )
            pay.replaced_by = new_id
            self._payment_moved(s, payment_id, new_id, on, reason)
            changes = []
            if new_amount != pay.amount_cents:
                changes.append(
                    f"montant {format_eur(pay.amount_cents, cents=True)} → "
                    f"{format_eur(new_amount, cents=True)}"
                )
            if new_date != pay.date:
                changes.append(f"date {pay.date:%d/%m/%Y} → {new_date:%d/%m/%Y}")
            if target.id != inv.id:
                changes.append(f"facture {inv.number} → {target.number}")
            if new_method != pay.method:
                changes.append(
                    f"moyen {METHOD_WORDS.get(pay.method, pay.method)} → "
                    f"{METHOD_WORDS.get(new_method, new_method)}"
                )
            if reference is not None and reference != pay.reference:
                changes.append(f"référence « {pay.reference} » → « {reference} »")
            text = (
                f"Paiement de {describe_payment(pay)} sur la facture {inv.number} corrigé : "
                + ("; ".join(changes) or "aucune valeur changée")
                + f" (motif : {reason.strip()})"
            )
            for client_id in dict.fromkeys((inv.client_id, target.client_id)):
                self._add_action(
                    s,
                    client_id,
                    on,
                    CORRECTION_KIND,
                    "",
                    "",
                    text,
                    [i for i in (inv.id, target.id) if i is not None],
                )
            return new_id

    def reinstate_payment(
        self,
        payment_id: PaymentId,
        on: dt.date,
        reason: str,
        *,
        replacing: PaymentId | None = None,
    ) -> PaymentId:
        """Record again a cancelled payment (an undo): a new entry with the same values.

        Its trop-perçu comes back with it. `replacing`: a payment cancelled in the same
        transaction (undoing a correction puts the original back in place of its replacement).
        """
        from sqlmodel import select

        from models.store.tables import Credit, Invoice, Payment

        with self._write() as s:
            old: Payment = self._get(s, Payment, payment_id, "paiement")
            if old.cancelled_on is None:
                raise InputError("ce paiement n'est pas annulé : rien à rétablir")
            if replacing is not None:
                self._cancel(s, replacing, on, reason)
            inv: Invoice = self._get(s, Invoice, old.invoice_id, "facture")
            pay = Payment(
                invoice_id=old.invoice_id,
                date=old.date,
                amount_cents=old.amount_cents,
                method=old.method,
                reference=old.reference,
            )
            s.add(pay)
            s.flush()
            for c in s.exec(select(Credit).where(Credit.payment_id == payment_id)).all():
                if c.cancelled_on is not None:
                    s.add(
                        Credit(
                            client_id=c.client_id,
                            payment_id=pay.id,  # type: ignore[arg-type]
                            date=c.date,
                            amount_cents=c.amount_cents,
                        )
                    )
            if replacing is not None:
                self._get(s, Payment, replacing, "paiement").replaced_by = pay.id
                self._payment_moved(s, replacing, None, on, reason)
            self._payment_moved(s, payment_id, pay.id, on, reason)
            self._add_action(
                s,
                inv.client_id,
                on,
                CORRECTION_KIND,
                "",
                "",
                f"Paiement de {describe_payment(old)} rétabli sur la facture {inv.number} : "
                f"{reason.strip()}",
                [inv.id],  # type: ignore[list-item]
            )
            return PaymentId(pay.id)  # type: ignore[arg-type]

    def _payment_moved(
        self, s: Session, old_id: int, new_id: int | None, on: dt.date, reason: str
    ) -> None:
        """Hook, inside the caller's transaction: a payment was cancelled (`new_id` None) or
        replaced by another; the bank statement's record follows it (ledger_bank.py)."""

    def _cancel(
        self, s: Session, payment_id: PaymentId, on: dt.date, reason: str
    ) -> tuple[Payment, Invoice]:
        """Flag a payment cancelled (and its credit), inside the caller's transaction."""
        from sqlmodel import col, select

        from models.store import versions
        from models.store.tables import Credit, Invoice, Payment

        pay: Payment = self._get(s, Payment, payment_id, "paiement")
        if pay.cancelled_on is not None:
            raise InputError(f"ce paiement est déjà annulé (le {pay.cancelled_on:%d/%m/%Y})")
        inv: Invoice = self._get(s, Invoice, pay.invoice_id, "facture")
        credits = s.exec(
            select(Credit)
            .where(Credit.payment_id == payment_id)
            .where(col(Credit.cancelled_on).is_(None))
        ).all()
        withdrawn = sum(c.amount_cents for c in credits)
        if withdrawn and _credit(s, inv.client_id) < withdrawn:
            raise InputError(
                "le trop-perçu de ce paiement a déjà servi sur une autre facture : "
                "annulez d'abord ce règlement-là"
            )
        for c in credits:
            c.cancelled_on, c.cancel_reason = on, reason.strip()
        pay.cancelled_on, pay.cancel_reason = on, reason.strip()
        versions.note(s, pay, f"paiement annulé ({reason.strip()})")
        versions.note(s, inv, f"paiement de {describe_payment(pay)} annulé ({reason.strip()})")
        s.flush()
        return pay, inv

    # -- trop-perçu --------------------------------------------------------------------------
    def credit_cents(self, client_id: ClientId) -> int:
        """The client's credit still to use: trop-perçus kept less what was drawn from them."""
        from sqlmodel import Session

        with Session(self.engine) as s:
            return _credit(s, client_id)

    def use_credit(
        self, invoice_id: InvoiceId, on: dt.date, amount: Decimal | None = None
    ) -> PaymentId:
        """Settle (part of) an invoice from its client's credit (C. civ. 1347: set-off).

        `amount`: at most the credit and the balance; None takes the smaller of the two.
        """
        from models.store import versions
        from models.store.tables import Invoice, Payment

        with self._write() as s:
            inv = self._get(s, Invoice, invoice_id, "facture")
            credit, balance = _credit(s, inv.client_id), _balance(s, inv)
            cents = min(credit, balance) if amount is None else to_cents(amount)
            if credit <= 0:
                raise InputError("ce client n'a pas de trop-perçu à utiliser")
            if balance <= 0:
                raise InputError(f"la facture {inv.number} est déjà soldée")
            if not 0 < cents <= min(credit, balance):
                raise InputError(
                    [
                        FieldError(
                            "montant",
                            f"entre 0,01 € et {format_eur(min(credit, balance), cents=True)}"
                            " (le trop-perçu disponible et le solde de la facture)",
                        )
                    ]
                )
            pay = Payment(
                invoice_id=invoice_id,
                date=on,
                amount_cents=cents,
                method=CREDIT_METHOD,
                reference="trop-perçu",
            )
            s.add(pay)
            s.flush()
            versions.note(s, inv, f"paiement de {describe_payment(pay)} enregistré")
            return PaymentId(pay.id)  # type: ignore[arg-type]


def _balance(s: Session, inv: Invoice) -> int:
    """Cents still due on an invoice: total less deposit less the payments not cancelled."""
    from sqlmodel import col, func, select

    from models.store.tables import Payment

    paid = s.exec(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.invoice_id == inv.id)
        .where(col(Payment.cancelled_on).is_(None))
    ).one()
    return int(inv.amount_ttc_cents - inv.deposit_cents - int(paid))


def _credit(s: Session, client_id: int) -> int:
    """A client's credit: trop-perçus not cancelled less the payments drawn from them."""
    from sqlmodel import col, func, select

    from models.store.tables import Credit, Invoice, Payment

    kept = s.exec(
        select(func.coalesce(func.sum(Credit.amount_cents), 0))
        .where(Credit.client_id == client_id)
        .where(col(Credit.cancelled_on).is_(None))
    ).one()
    used = s.exec(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
        .where(Invoice.client_id == client_id)
        .where(Payment.method == CREDIT_METHOD)
        .where(col(Payment.cancelled_on).is_(None))
    ).one()
    return int(kept) - int(used)
