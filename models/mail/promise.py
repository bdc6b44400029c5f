"""The e-mail that confirms a promise to pay made on the phone: its text, and the last promise.

It is filled with the letters' fields (the invoices, what is owed, the payment reference) and
two of its own, {date_promesse} and {montant_promis}; it carries no PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from models.errors import FieldError, InputError
from models.ids import ClientId
from models.law.deadlines import french_date
from models.mail.message import Draft, Recipient
from models.mail.outbox import Outgoing
from models.mail.templates import render_mail
from models.money import format_eur, from_cents

if TYPE_CHECKING:
    from models.store.ledger import Ledger

KIND = "promise"


@dataclass(frozen=True)
class Promise:
    """A promise to pay: the day it was made, the day and amount promised, the invoices."""

    client_id: int
    made_on: dt.date
    promised_on: dt.date
    amount: Decimal | None  # None: the whole balance of the invoices
    invoice_ids: tuple[int, ...]


def promise_text(ledger: Ledger, promise: Promise) -> tuple[str, str]:
    """Subject and body of the confirmation, from the user's "promise" e-mail text.

    The invoices' fields are those of the letter of their step on the day of the call (a
    reminder, or the preventive letter when none is due yet): same amounts, same reference.
    """
    if not promise.invoice_ids:
        raise InputError([FieldError("factures", "cochez les factures concernées")])
    if promise.amount is not None and promise.amount <= 0:
        raise InputError([FieldError("montant promis", "le montant promis doit être positif")])
    facts = ledger.facts(invoice_ids=promise.invoice_ids)
    base = "preventive" if all(f.due_date >= promise.made_on for f in facts) else "reminder_1"
    letter = ledger.letter(
        ClientId(promise.client_id), base, promise.made_on, list(promise.invoice_ids)
    )
    values = dict(letter.values)
    values["date_promesse"] = french_date(promise.promised_on)
    if promise.amount is not None:
        values["montant_promis"] = format_eur(promise.amount)
    else:
        values["montant_promis"] = values["montant_principal"]
    return render_mail(ledger.mail_template(KIND), values, letter.b2c)


def promise_outgoing(ledger: Ledger, promise: Promise, to: Sequence[Recipient] = ()) -> Outgoing:
    """The confirmation ready to send (no attachment), to the client's reminder recipients
    unless `to` is given."""
    subject, body = promise_text(ledger, promise)
    client = ledger.client(ClientId(promise.client_id))
    numbers = tuple(f.number for f in ledger.facts(invoice_ids=promise.invoice_ids))
    recipients = tuple(to) or tuple(ledger.mail_recipients(ClientId(promise.client_id)))
    return Outgoing(
        promise.client_id,
        client.name,
        KIND,
        promise.invoice_ids,
        numbers,
        Draft(recipients, subject, body),
    )


def last_promise(ledger: Ledger, client_id: ClientId, invoice_number: str) -> Promise | None:
    """The latest promise recorded in the client's history for this invoice, if any."""
    found = None
    for action, numbers in ledger.history(client_id):
        if action.kind != KIND or invoice_number not in numbers:
            continue
        if action.promise_date is None or action.cancelled_on is not None:
            continue
        found = (action, numbers)
    if found is None:
        return None
    action, numbers = found
    ids = tuple(f.id for f in ledger.facts(client_id=client_id) if f.number in numbers)
    cents = action.promise_amount_cents
    amount = from_cents(cents) if cents is not None else None
    assert action.promise_date is not None  # checked in the loop
    return Promise(int(client_id), action.date, action.promise_date, amount, ids)
