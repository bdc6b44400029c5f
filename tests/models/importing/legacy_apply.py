"""FROZEN copy of models/importing/apply.py before the bulk rewrite (issue 17), for the tests only.

The equivalence tests run it beside the new code on the same files and compare the database
and the report byte for byte. Never change it: it is the reference the rewrite is held to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlmodel import Session, col, func, select

from models.errors import FieldError
from models.importing.read import ImportRow, ParsedFile, number_key
from models.money import format_eur, to_cents
from models.store import versions
from models.store.codes import B2B
from models.store.tables import Action, ActionInvoice, Client, Invoice, Payment, PlanInvoice
from models.validation import check_client, check_invoice, term_row_warning

# The reference of a payment whose date the file did not give (older versions used it too).
INFERRED_REFERENCE = "import (date supposée)"


@dataclass(frozen=True)
class ImportConflict:
    """An invoice number stored with another amount or client than the file gives it."""

    text: str  # "ligne 4 : la facture F-101 est enregistrée pour ..., le fichier dit ..."
    outcome: str  # what the import did about it: kept, replaced, kept for its history

    def __str__(self) -> str:
        """The conflict and what was done, in one sentence."""
        return f"{self.text} : {self.outcome}"


@dataclass
class ImportReport:
    """What an import did, or would have done; `errors` name the row and the column."""

    rows: int = 0
    clients_created: int = 0
    invoices_created: int = 0
    payments_created: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Payments the file marks paid without a date: dated the earlier of due date and import date.
    inferred_payment_dates: int = 0
    # An invoice number already stored with another amount or client, one sentence each.
    conflicts: list[ImportConflict] = field(default_factory=list)
    replaced: int = 0


class ImportAbortedError(Exception):
    """Raised inside the transaction so that nothing is written; carries the errors found."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} erreur(s)")
        self.report = report


def apply_import(
    session: Session,
    parsed: ParsedFile,
    skip_invalid: bool,
    terms_days: int,
    as_of: dt.date,
    replace_conflicts: bool = False,
) -> ImportReport:
    """Write the parsed rows in the caller's transaction; with errors and no skip, write nothing.

    `as_of` is the import date: nothing imported may be dated after it. Clients are matched by
    name ignoring case; invoice numbers ignoring case and surrounding spaces. An invoice number
    already stored with the same client and amount is not created again (re-importing a file
    creates no duplicate), but a payment the file now shows is added; with another client or
    amount it is a conflict, kept as stored unless `replace_conflicts`. A row marked paid with
    no payment date is taken as paid on the earlier of its due date and the import date.
    """
    report = ImportReport(rows=len(parsed.rows) + len({e.row for e in parsed.errors}))
    report.errors.extend(parsed.errors)
    report.warnings.extend(parsed.skipped)
    bad_rows = {e.row for e in parsed.errors}
    state = _State(
        clients={c.name.lower(): c for c in session.exec(select(Client))},
        invoices={
            number_key(number): _Known(inv_id or 0, client_id, cents)
            for inv_id, number, client_id, cents in session.exec(
                select(Invoice.id, Invoice.number, Invoice.client_id, Invoice.amount_ttc_cents)
            )
        },
        headers=parsed.columns,
        terms_days=terms_days,
        as_of=as_of,
        replace=replace_conflicts,
    )
    for row in parsed.rows:
        errors = _check_dates(row, state)
        if not errors:
            nested = session.begin_nested()
            try:
                errors = _write_row(session, row, state, report)
            except Exception:
                nested.rollback()
                raise
            if errors:
                nested.rollback()
            else:
                nested.commit()
        if errors:
            report.errors.extend(errors)
            bad_rows.add(row.row)
    report.errors.sort(key=lambda e: e.row or 0)
    if report.errors and not skip_invalid:
        raise ImportAbortedError(report)
    report.warnings.extend(f"ligne {r} ignorée" for r in sorted(r for r in bad_rows if r))
    if report.inferred_payment_dates:
        report.warnings.append(
            f"{report.inferred_payment_dates} date(s) de paiement supposée(s) : « payé » sans "
            f"date, compté payé à l'échéance ou au plus tard le {as_of:%d/%m/%Y} (date d'import)"
        )
    return report


class _Known(NamedTuple):
    """What a stored invoice is compared on (a tuple: 100,000 of them stay small)."""

    id: int
    client_id: int
    amount_ttc_cents: int


@dataclass
class _State:
    """What the rows of one import share: known clients and invoices, settings, choices."""

    clients: dict[str, Client]  # lower-case name -> client
    invoices: dict[str, _Known]  # number_key -> the stored invoice
    headers: dict[str, str]  # canonical field -> header in the file
    terms_days: int
    as_of: dt.date
    replace: bool

    def col(self, name: str) -> str:
        """The header the file gives a field, for error messages."""
        return self.headers.get(name, name)


def _check_dates(row: ImportRow, state: _State) -> list[FieldError]:
    """Refuse what would date an imported event after the import date."""
    errors = []
    after = f"postérieure à la date d'import ({state.as_of:%d/%m/%Y})"
    if row.issue_date > state.as_of:
        errors.append(
            FieldError(
                state.col("issue_date"),
                f"date de facture {row.issue_date:%d/%m/%Y} {after}",
                row.row,
            )
        )
    if row.payment_date is not None and row.payment_date > state.as_of:
        errors.append(
            FieldError(
                state.col("payment_date"),
                f"date de paiement {row.payment_date:%d/%m/%Y} {after}",
                row.row,
            )
        )
    return errors


def _write_row(
    session: Session, row: ImportRow, state: _State, report: ImportReport
) -> list[FieldError]:
    """Write one row (the caller holds a savepoint, undone when errors are returned)."""
    name = " ".join(row.client.split())
    client = state.clients.get(name.lower())
    known = state.invoices.get(number_key(row.number))
    if known is not None:
        existing = session.get_one(Invoice, known.id)
        same_client = client is not None and client.id == known.client_id
        if same_client and known.amount_ttc_cents == to_cents(row.amount_ttc):
            added = _add_payment(session, existing, row, state.as_of, report)
            report.payments_created += added
            report.unchanged += 0 if added else 1
            return []
        return _conflict(session, existing, client, row, state, report)
    errs = check_invoice(row.number, row.issue_date, row.due_date, row.amount_ttc, row.amount_ht)
    if errs:
        return [FieldError(state.col("amount_ttc"), e.message, row.row) for e in errs]
    if client is None:
        client, errs = _new_client(session, row, state, report)
        if client is None:
            return errs
    inv = Invoice(
        number=row.number,
        client_id=client.id,  # type: ignore[arg-type]
        issue_date=row.issue_date,
        due_date=row.due_date or row.issue_date + dt.timedelta(days=state.terms_days),
        due_date_given=row.due_date is not None,
        amount_ttc_cents=to_cents(row.amount_ttc),
        amount_ht_cents=to_cents(row.amount_ht) if row.amount_ht is not None else 0,
        vat_cents=to_cents(row.amount_ttc - row.amount_ht) if row.amount_ht is not None else 0,
        order_number=row.order_number,
        subject=row.subject,
    )
    session.add(inv)
    session.flush()
    report.payments_created += _add_payment(session, inv, row, state.as_of, report)
    report.invoices_created += 1
    if (late_term := term_row_warning(row.row, row.issue_date, row.due_date)) is not None:
        report.warnings.append(late_term)  # C. com. L441-10 I: flagged, row kept
    state.invoices[number_key(inv.number)] = _Known(inv.id, inv.client_id, inv.amount_ttc_cents)  # type: ignore[arg-type]
    return []


def _new_client(
    session: Session, row: ImportRow, state: _State, report: ImportReport
) -> tuple[Client | None, list[FieldError]]:
    """Create the row's client, or return the errors that refuse it."""
    kind = row.kind or B2B
    errs = check_client(row.client, kind, email=row.email, postal_code=row.postal_code)
    if errs:
        col = state.col
        return None, [FieldError(col(_client_field(e.field)), e.message, row.row) for e in errs]
    client = Client(
        name=" ".join(row.client.split()),
        kind=kind,
        email=row.email,
        street=row.address,
        postal_code=row.postal_code,
        city=row.city,
    )
    session.add(client)
    session.flush()
    state.clients[client.name.lower()] = client
    report.clients_created += 1
    return client, []


def _conflict(
    session: Session,
    existing: Invoice,
    client: Client | None,
    row: ImportRow,
    state: _State,
    report: ImportReport,
) -> list[FieldError]:
    """The stored invoice differs from the row: list it; replace it when the user chose so."""
    stored_client = session.get(Client, existing.client_id)
    stored_name = stored_client.name if stored_client else "?"
    was = f"{format_eur(existing.amount_ttc_cents, cents=True)} ({stored_name})"
    now = f"{format_eur(row.amount_ttc)} ({' '.join(row.client.split())})"
    said = (
        f"ligne {row.row} : la facture {existing.number} est enregistrée pour {was}, "
        f"le fichier dit {now}"
    )
    if not state.replace:
        report.conflicts.append(ImportConflict(said, "gardée telle qu'enregistrée"))
        return []
    moves = client is None or client.id != existing.client_id
    if moves and _has_history(session, existing):
        report.conflicts.append(
            ImportConflict(
                said, f"gardée, car son historique (lettres, échéancier) est chez {stored_name}"
            )
        )
        return []
    deposit = Decimal(existing.deposit_cents) / 100
    errs = check_invoice(
        existing.number, row.issue_date, row.due_date, row.amount_ttc, row.amount_ht, deposit
    )
    if errs:
        return [FieldError(state.col("amount_ttc"), e.message, row.row) for e in errs]
    if client is None:
        client, errs = _new_client(session, row, state, report)
        if client is None:
            return errs
    existing.client_id = client.id  # type: ignore[assignment]
    existing.issue_date = row.issue_date
    if row.due_date is not None:
        existing.due_date, existing.due_date_given = row.due_date, True
    existing.amount_ttc_cents = to_cents(row.amount_ttc)
    if row.amount_ht is not None:
        existing.amount_ht_cents = to_cents(row.amount_ht)
        existing.vat_cents = to_cents(row.amount_ttc - row.amount_ht)
    session.add(existing)
    # A correction is a new entry: the client's history says what the import changed.
    note = Action(
        client_id=client.id,  # type: ignore[arg-type]
        date=state.as_of,
        kind="note",
        notes=f"Import : facture {existing.number} remplacée ; avant : {was}, après : {now}",
        done_by=versions.session_user(session),  # issue 18, as merged before the rewrite
    )
    session.add(note)
    session.flush()
    session.add(ActionInvoice(action_id=note.id, invoice_id=existing.id))  # type: ignore[arg-type]
    report.payments_created += _add_payment(session, existing, row, state.as_of, report)
    report.replaced += 1
    state.invoices[number_key(existing.number)] = _Known(
        existing.id,  # type: ignore[arg-type]
        existing.client_id,
        existing.amount_ttc_cents,
    )
    report.conflicts.append(ImportConflict(said, "remplacée par la ligne du fichier"))
    return []


def _has_history(session: Session, inv: Invoice) -> bool:
    """Tell whether letters, calls or a payment plan refer to the invoice."""
    linked = session.exec(select(ActionInvoice).where(ActionInvoice.invoice_id == inv.id)).first()
    planned = session.exec(select(PlanInvoice).where(PlanInvoice.invoice_id == inv.id)).first()
    return linked is not None or planned is not None


def _client_field(field_name: str) -> str:
    return {"e-mail": "email", "code postal": "postal_code", "nom": "client"}.get(
        field_name, "client"
    )


def _add_payment(
    session: Session, inv: Invoice, row: ImportRow, as_of: dt.date, report: ImportReport
) -> int:
    """Add what the file says was paid beyond what the database already has; 1 if added.

    Paid with no date: the earlier of the due date and the import date, never later, since
    the file says it was paid by the day it was imported.
    """
    if row.amount_paid is not None:
        target = to_cents(row.amount_paid)
    elif row.paid:
        target = inv.amount_ttc_cents
    else:
        return 0
    paid = session.exec(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.invoice_id == inv.id)
        .where(col(Payment.cancelled_on).is_(None))  # a cancelled payment counts for nothing
    ).one()
    missing = target - inv.deposit_cents - int(paid)
    if missing <= 0:
        return 0
    if row.payment_date is None:
        report.inferred_payment_dates += 1
    session.add(
        Payment(
            invoice_id=inv.id,  # type: ignore[arg-type]  # a stored invoice has an id
            date=row.payment_date or min(inv.due_date, as_of),
            amount_cents=missing,
            method="other",
            reference="import" if row.payment_date else INFERRED_REFERENCE,
        )
    )
    return 1
