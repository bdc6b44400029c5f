"""The database half of an import: parsed rows become clients, invoices and payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from models.errors import FieldError
from models.importing.read import ImportRow, ParsedFile
from models.money import to_cents
from models.store.tables import B2B, Client, Invoice, Payment
from models.validation import check_client, check_invoice, term_row_warning


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


class ImportAbortedError(Exception):
    """Raised inside the transaction so that nothing is written; carries the errors found."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} erreur(s)")
        self.report = report


def apply_import(
    session: Session, parsed: ParsedFile, skip_invalid: bool, terms_days: int
) -> ImportReport:
    """Write the parsed rows in the caller's transaction; with errors and no skip, write nothing.

    Clients are matched by name ignoring case; an invoice number already in the database is
    not created again (re-importing a file creates no duplicate), but a payment the file now
    shows is added. A row marked paid with no payment date is taken as paid on its due date.
    """
    report = ImportReport(rows=len(parsed.rows) + len({e.row for e in parsed.errors}))
    report.errors.extend(parsed.errors)
    bad_rows = {e.row for e in parsed.errors}
    clients = {c.name.lower(): c for c in session.exec(select(Client))}
    headers = parsed.columns
    for row in parsed.rows:
        errors = _write_row(session, row, clients, headers, terms_days, report)
        if errors:
            report.errors.extend(errors)
            bad_rows.add(row.row)
    report.errors.sort(key=lambda e: e.row or 0)
    if report.errors and not skip_invalid:
        raise ImportAbortedError(report)
    report.warnings.extend(f"ligne {r} ignorée" for r in sorted(r for r in bad_rows if r))
    return report


def _write_row(
    session: Session,
    row: ImportRow,
    clients: dict[str, Client],
    headers: dict[str, str],
    terms_days: int,
    report: ImportReport,
) -> list[FieldError]:
    """Write one row inside a savepoint; return its errors (the savepoint is then undone)."""

    def col(name: str) -> str:
        return headers.get(name, name)

    nested = session.begin_nested()
    try:
        client = clients.get(" ".join(row.client.split()).lower())
        created_client = False
        if client is None:
            errs = check_client(
                row.client, row.kind or B2B, email=row.email, postal_code=row.postal_code
            )
            if errs:
                nested.rollback()
                return [FieldError(col(_client_field(e.field)), e.message, row.row) for e in errs]
            client = Client(
                name=" ".join(row.client.split()),
                kind=row.kind or B2B,
                email=row.email,
                street=row.address,
                postal_code=row.postal_code,
                city=row.city,
            )
            session.add(client)
            session.flush()
            created_client = True
        existing = session.exec(select(Invoice).where(Invoice.number == row.number)).first()
        if existing is not None:
            if existing.client_id != client.id:
                nested.rollback()
                return [
                    FieldError(
                        col("number"),
                        f"la facture {row.number} existe déjà pour un autre client",
                        row.row,
                    )
                ]
            added = _add_payment(session, existing, row)
            report.payments_created += added
            report.unchanged += 0 if added else 1
            nested.commit()
            return []
        errs = check_invoice(
            row.number, row.issue_date, row.due_date, row.amount_ttc, row.amount_ht
        )
        if errs:
            nested.rollback()
            return [FieldError(col("amount_ttc"), e.message, row.row) for e in errs]
        inv = Invoice(
            number=row.number,
            client_id=client.id,  # type: ignore[arg-type]
            issue_date=row.issue_date,
            due_date=row.due_date or row.issue_date + dt.timedelta(days=terms_days),
            due_date_given=row.due_date is not None,
            amount_ttc_cents=to_cents(row.amount_ttc),
            amount_ht_cents=to_cents(row.amount_ht) if row.amount_ht is not None else 0,
            vat_cents=to_cents(row.amount_ttc - row.amount_ht) if row.amount_ht is not None else 0,
            order_number=row.order_number,
            subject=row.subject,
        )
        session.add(inv)
        session.flush()
        report.payments_created += _add_payment(session, inv, row)
        report.invoices_created += 1
        if (late_term := term_row_warning(row.row, row.issue_date, row.due_date)) is not None:
            report.warnings.append(late_term)  # C. com. L441-10 I: flagged, row kept
        if created_client:
            clients[client.name.lower()] = client
            report.clients_created += 1
        nested.commit()
        return []
    except Exception:
        nested.rollback()
        raise


def _client_field(field_name: str) -> str:
    return {"e-mail": "email", "code postal": "postal_code", "nom": "client"}.get(
        field_name, "client"
    )


def _add_payment(session: Session, inv: Invoice, row: ImportRow) -> int:
    """Add what the file says was paid beyond what the database already has; 1 if added."""
    if row.amount_paid is not None:
        target = to_cents(row.amount_paid)
    elif row.paid:
        target = inv.amount_ttc_cents
    else:
        return 0
    paid = session.exec(
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.invoice_id == inv.id)
    ).one()
    missing = target - inv.deposit_cents - int(paid)
    if missing <= 0:
        return 0
    session.add(
        Payment(
            invoice_id=inv.id,  # type: ignore[arg-type]  # a stored invoice has an id
            date=row.payment_date or inv.due_date,
            amount_cents=missing,
            method="other",
            reference="import" if row.payment_date else "import (date supposée)",
        )
    )
    return 1
