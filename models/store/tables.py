"""SQLModel tables: the stored facts. Money in integer cents, business dates as `date`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.store.codes import B2B, BANK_TO_RECONCILE, MAIL_PENDING

# Money columns: 64-bit on PostgreSQL (its INTEGER stops at 21 million euros in cents; the
# largest amount Relance takes is 999 999 999,99 EUR); SQLite's INTEGER is 64-bit already and
# its schema stays as the migrations made it.
CENTS = BigInteger().with_variant(Integer(), "sqlite")

# Client kinds (models/store/codes.py): a professional (B2B) or a consumer (B2C); the law differs
# (LEGAL.md).

ACTION_KINDS = (
    "call",
    "email",
    "letter",
    "registered_letter",
    "formal_notice",
    "promise",
    "agreement",
    "dispute",
    "handover",
    "legal_step",
    "note",
    # C. civ. 2240: the debtor acknowledges the debt in writing; 2241: a claim filed in court.
    # Both interrupt prescription (models.law.prescription).
    "acknowledgement",
    "court_filing",
    # A correction of a payment or an invoice, with the old and new value (issue 14).
    "correction",
)
CHANNELS = ("call", "email", "letter", "registered_letter", "dossier", "other")


class Versioned(SQLModel):
    """Columns of a row two people may edit at once (issue 18, optimistic locking).

    `version` goes up by one with every change (models/store/versions.py, in the write's own
    transaction); an edit made on a copy read at an older version is refused with what changed,
    by whom and when: `changed_by`, `changed_at` and `change_note` say it of the last change.
    """

    # Server defaults as in migration 0008: a row written by plain SQL (a copy, a script, an
    # older Relance) is version 1 by nobody, the same on a new or a migrated database.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    changed_by: str = Field(default="", sa_column_kwargs={"server_default": ""})
    changed_at: dt.datetime | None = None
    change_note: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Client(Versioned, table=True):
    """A debtor: a company (B2B) or a private person (B2C), with its postal address."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    legal_form: str = ""
    kind: str = B2B
    siren: str = ""
    siret: str = ""
    # Postal address in La Poste's order (NF Z 10-011): attention line, building, street,
    # locality or BP, postal code, town, country (empty for France).
    attention: str = ""
    building: str = ""
    street: str = ""
    locality: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    payment_notes: str = ""
    is_new: bool = False
    late_payer: bool = False
    policy_name: str | None = None
    paused_until: dt.date | None = None
    pause_reason: str = ""
    archived: bool = Field(default=False, index=True)
    created_at: dt.datetime | None = None


class Contact(Versioned, table=True):
    """A person at the client, usually in accounts payable."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    # The person who pays the invoices: reminders by e-mail go to them first (issue 15).
    accounts_payable: bool = False


class Invoice(Versioned, table=True):
    """An invoice issued to a client; `due_date` is always set (issue + 30 days by default)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    order_number: str = ""
    subject: str = ""
    issue_date: dt.date
    sent_date: dt.date | None = None
    due_date: dt.date = Field(index=True)
    due_date_given: bool = True
    amount_ht_cents: int = Field(default=0, sa_type=CENTS)
    vat_cents: int = Field(default=0, sa_type=CENTS)
    amount_ttc_cents: int = Field(sa_type=CENTS)
    deposit_cents: int = Field(default=0, sa_type=CENTS)
    disputed: bool = False
    disputed_on: dt.date | None = None
    dispute_reason: str = ""
    written_off: bool = False
    written_off_on: dt.date | None = None
    written_off_reason: str = ""
    paused_until: dt.date | None = None
    pause_reason: str = ""
    archived: bool = Field(default=False, index=True)
    created_at: dt.datetime | None = None
    # Consumer services: the day the work was completed, when known (prescription start).
    completed_on: dt.date | None = None
    # C. com. L441-10 I: a due date beyond the legal maximum; when True, penalties and the
    # stages count from that maximum instead of the stated date (the user's choice).
    penalties_from_max_term: bool = False
    # The terms of payment the invoice states (EN 16931 BT-20), read from an e-invoice.
    payment_terms: str = ""


class Payment(Versioned, table=True):
    """Money received against one invoice."""

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    date: dt.date
    amount_cents: int = Field(sa_type=CENTS)
    method: str = "transfer"
    reference: str = ""
    # A correction is a new entry (DESIGN: nothing with history is deleted): a payment typed
    # wrong stays here, flagged cancelled with its reason, and no longer counts.
    cancelled_on: dt.date | None = None
    cancel_reason: str = ""
    # The payment that replaced this one when it was corrected (amount, date, invoice).
    replaced_by: int | None = None


class Action(SQLModel, table=True):
    """One entry of a client's history: a call, a letter, a promise, a dispute, a legal step."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    date: dt.date = Field(index=True)
    kind: str
    channel: str = ""
    # The policy step this action carries out ("reminder_1", "formal_notice"...), if any.
    step: str = ""
    outcome: str = ""
    notes: str = ""
    document_path: str = ""
    registered_number: str = ""
    acknowledged_on: dt.date | None = None
    promise_date: dt.date | None = None
    promise_amount_cents: int | None = Field(default=None, sa_type=CENTS)
    created_at: dt.datetime | None = None
    # A line entered by mistake (or undone) is kept, flagged cancelled with its reason: it no
    # longer moves stages nor interrupts prescription (issue 14).
    cancelled_on: dt.date | None = None
    cancel_reason: str = ""
    # Who recorded the line (issue 18): the database role on a shared ledger, else the name
    # chosen on this machine (models/user.py); empty on lines written before it was kept.
    done_by: str | None = None


class ActionInvoice(SQLModel, table=True):
    """Link: which invoices an action concerns (a letter may cover several)."""

    action_id: int = Field(foreign_key="action.id", primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", primary_key=True, index=True)


class PaymentPlan(SQLModel, table=True):
    """An agreed instalment plan (échéancier) covering one or several invoices of a client."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    agreed_on: dt.date
    cancelled_on: dt.date | None = None
    notes: str = ""


class PlanInvoice(SQLModel, table=True):
    """Link: the invoices a payment plan covers."""

    plan_id: int = Field(foreign_key="paymentplan.id", primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", primary_key=True, index=True)


class Instalment(SQLModel, table=True):
    """One instalment of a plan: an amount due on a date."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="paymentplan.id", index=True)
    due_date: dt.date
    amount_cents: int = Field(sa_type=CENTS)


class Attachment(SQLModel, table=True):
    """A file kept as evidence: signed quote, delivery note, acknowledgement of receipt."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id")
    path: str
    description: str = ""
    added_on: dt.date | None = None


class Piece(SQLModel, table=True):
    """A document kept as evidence (pièce), stored under its SHA-256 in `pieces/` by the database.

    Attached to a client, and to one of its invoices when given. Never deleted: a piece taken
    off the list keeps its row (`removed_on`) and its file; one that went into a dossier
    (`dossier_on`) cannot be taken off (models/litigation/pieces.py).
    """

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    sha256: str = Field(index=True)
    original_name: str
    kind: str
    date: dt.date | None = None
    note: str = ""
    added_on: dt.date
    removed_on: dt.date | None = None
    dossier_on: dt.date | None = None


class Setting(SQLModel, table=True):
    """A named setting stored as JSON text: company identity, policies, rates, templates."""

    key: str = Field(primary_key=True)
    value: str


# -- corrections (issue 14): CREDIT_METHOD and CORRECTION_KIND in models/store/codes.py ------


class Credit(SQLModel, table=True):
    """Money received beyond an invoice's balance, kept to the client's credit (trop-perçu).

    It is used against another invoice of the client by a payment of method "credit".
    """

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    # The payment the excess came with (its invoice was settled by it).
    payment_id: int = Field(foreign_key="payment.id", index=True)
    date: dt.date
    amount_cents: int = Field(sa_type=CENTS)
    cancelled_on: dt.date | None = None
    cancel_reason: str = ""


class MailSent(SQLModel, table=True):
    """One e-mail handed to the server: who, what, the PDF's fingerprint, and the outcome.

    Written "pending" before the server is contacted, then "sent" in the same transaction as
    the history entry, or "failed": a message is never sent twice, even after a crash.
    """

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    kind: str  # the step ("reminder_1"...)
    invoice_ids: str  # "12,15": the invoices the message concerns
    status: str = Field(default=MAIL_PENDING, index=True)
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    recipients: str  # "a@b.fr, c@d.fr": the addresses the server accepted (or was given)
    subject: str
    message_id: str = Field(unique=True)
    attachment_path: str = ""
    attachment_sha256: str = ""
    error: str = ""


class ChangeCounter(SQLModel, table=True):
    """One row whose number goes up with every write (issue 18): the window polls it to follow
    the changes other people make to a shared ledger (models/store/changes.py)."""

    id: int = Field(default=1, primary_key=True)
    n: int = 0


# -- the watched folders (issue 19) ---------------------------------------------------------
class SyncedFile(SQLModel, table=True):
    """A file a watched folder held, read once: known by its SHA-256, never read again.

    `folder` is the kind of folder ("invoices", "bank"); `outcome` what reading it gave, in
    one French sentence ("facture F-12 ajoutée", "refusé : ..."), for the sync summary.
    """

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True)
    folder: str
    name: str
    seen_at: dt.datetime
    outcome: str = ""


# -- bank statements (issue 19) -------------------------------------------------------------
# What became of a credit read from a bank statement (BankEntry.status): models/store/codes.py.


class BankEntry(SQLModel, table=True):
    """A credit read from a bank statement, kept once by its bank identity (never twice).

    `identity`: the bank's reference of the entry ("ref:…") or a SHA-256 of account, date,
    amount and text ("sha256:…"), unique with the account: importing the same or an
    overlapping statement again records nothing twice.
    """

    __tablename__ = "bank_entry"
    __table_args__ = (UniqueConstraint("account", "identity"),)

    id: int | None = Field(default=None, primary_key=True)
    account: str
    identity: str
    booking_date: dt.date = Field(index=True)
    amount_cents: int = Field(sa_type=CENTS)
    debtor: str = ""
    text: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    source: str = ""  # the file it was read from, and its format
    imported_on: dt.date
    status: str = Field(default=BANK_TO_RECONCILE, index=True)
    client_id: int | None = Field(default=None, foreign_key="client.id", index=True)
    # The history line written when it was recorded (the client's history, the dossier).
    action_id: int | None = Field(default=None, foreign_key="action.id")
    resolved_on: dt.date | None = None
    note: str = ""  # how it was matched, or why it is not ours


class BankEntryPayment(SQLModel, table=True):
    """Link: the payments a bank entry recorded (one per invoice it paid)."""

    __tablename__ = "bank_entry_payment"

    bank_entry_id: int = Field(foreign_key="bank_entry.id", primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", primary_key=True, index=True)
