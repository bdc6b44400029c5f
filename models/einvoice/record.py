"""E-invoices into the ledger: clients matched or created, invoices added, the PDF kept.

The guarantees of the spreadsheet import: all or nothing over the files of one run (one
transaction; a file refused and nothing is written), an invoice number already known with the
same amount is recognised and adds nothing, with another amount it is a conflict reported and
the stored invoice kept. Clients are matched by SIREN first, then by name (French folding:
case, accents and spaces ignored); a new one is created with the buyer's address. A Factur-X
PDF is kept as the invoice's document, a piece of kind "facture" (models/litigation/pieces.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models.collation import sort_key
from models.einvoice.invoice import EInvoice, Refusal
from models.einvoice.read import read_invoices
from models.importing.read import number_key
from models.litigation.pieces import store_copy
from models.money import format_eur, to_cents
from models.store.codes import B2B
from models.store.ledger import Ledger
from models.store.tables import Client, Invoice, Piece
from models.validation import check_client, check_invoice, term_warning

PIECE_KIND = "facture"


@dataclass(frozen=True)
class Added:
    """One invoice written: its number, client, amount incl. tax and source file."""

    number: str
    client: str
    amount_ttc_cents: int
    file: str
    new_client: bool


@dataclass
class EInvoiceReport:
    """What one run did (or, refused, would not do): nothing is written when `refusals`."""

    added: list[Added] = field(default_factory=list)
    clients_created: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)  # "F-12 (facture.pdf)": already there
    conflicts: list[str] = field(default_factory=list)  # same number, another amount
    pieces_added: int = 0
    warnings: list[str] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    # File name -> what became of it, one sentence (the watched folder's summary lists them).
    outcomes: dict[str, str] = field(default_factory=dict)

    @property
    def written(self) -> bool:
        """Something was written (an invoice or a document)."""
        return not self.refusals and bool(self.added or self.pieces_added)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `main.py invoices --format json` (amounts as strings)."""
        return {
            "added": [
                {
                    "invoice": a.number,
                    "client": a.client,
                    "amount_ttc": _euros(a.amount_ttc_cents),
                    "file": a.file,
                    "new_client": a.new_client,
                }
                for a in self.added
            ],
            "clients_created": self.clients_created,
            "known": self.known,
            "conflicts": self.conflicts,
            "pieces_added": self.pieces_added,
            "warnings": self.warnings,
            "refused": [
                {"file": r.file, "field": r.field, "message": r.message} for r in self.refusals
            ],
        }


def _euros(cents: int) -> str:
    """Cents as a JSON amount string: 123456 -> '1234.56' (no float on the way)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


class _RefusedRunError(Exception):
    """Raised inside the transaction so that it rolls back; the report says why."""


def import_invoices(
    ledger: Ledger, paths: Iterable[Path], as_of: dt.date, *, dry_run: bool = False
) -> EInvoiceReport:
    """Read the files and write their invoices in one transaction; any refusal: nothing.

    `as_of` is the import date: an invoice issued after it is refused. `dry_run` reads and
    checks everything, reports what would be done, and writes nothing.
    """
    paths = [Path(p) for p in paths]
    report = EInvoiceReport()
    invoices, report.refusals = read_invoices(paths)
    for inv in invoices:
        if inv.issue_date > as_of:
            report.refusals.append(
                Refusal(
                    inv.name,
                    f"{inv.issue_date:%d/%m/%Y} postérieure à la date d'import ({as_of:%d/%m/%Y})",
                    "date de facture",
                )
            )
    if report.refusals:
        return report
    terms_days = int(ledger.setting("payment_terms_days"))
    copies = {} if dry_run else {i.path: store_copy(ledger, i.path) for i in invoices if i.is_pdf}
    try:
        with ledger._write() as s:
            _Writer(s, report, as_of, terms_days, copies).write(invoices)
            if report.refusals or dry_run:
                raise _RefusedRunError
    except _RefusedRunError:
        if report.refusals:
            return EInvoiceReport(refusals=report.refusals)
    return report


class _Writer:
    """The rows of one run: the clients and invoices known, and what was written."""

    def __init__(
        self,
        s: Session,
        report: EInvoiceReport,
        as_of: dt.date,
        terms_days: int,
        copies: dict[Path, str],
    ) -> None:
        self.s, self.report, self.as_of = s, report, as_of
        self.terms = dt.timedelta(days=terms_days)
        self.copies = copies
        self.clients = list(s.exec(select(Client).order_by(col(Client.archived), col(Client.id))))
        self.invoices: dict[str, tuple[int, int]] = {
            number_key(number): (inv_id or 0, cents)
            for inv_id, number, cents in s.exec(
                select(Invoice.id, Invoice.number, Invoice.amount_ttc_cents)
            )
        }
        self.sources: dict[str, str] = {}  # number key -> file that brought it in this run

    def write(self, invoices: list[EInvoice]) -> None:
        """Each invoice in turn; refusals gathered in the report (the caller rolls back)."""
        for inv in invoices:
            key = number_key(inv.number)
            cents = to_cents(inv.amount_ttc)
            known = self.invoices.get(key)
            if known is not None:
                self._known(inv, known[0], known[1], cents)
                continue
            self._add(inv, key, cents)

    def _known(self, inv: EInvoice, inv_id: int, stored: int, cents: int) -> None:
        """Same number: same amount is the same invoice (its PDF kept if new), else conflict."""
        if stored != cents:
            where = self.sources.get(number_key(inv.number), "enregistrée")
            self.report.conflicts.append(
                f"{inv.name} : la facture {inv.number} est déjà {where} pour "
                f"{format_eur(stored, cents=True)}, le fichier dit {format_eur(inv.amount_ttc)} : "
                "gardée telle qu'enregistrée"
            )
            self.report.outcomes[inv.name] = (
                f"facture {inv.number} en conflit : déjà enregistrée avec un autre montant"
            )
            return
        self.report.known.append(f"{inv.number} ({inv.name})")
        self.report.outcomes[inv.name] = f"facture {inv.number} déjà connue"
        if inv.is_pdf:
            client_id = self.s.get_one(Invoice, inv_id).client_id
            self._keep_pdf(inv, inv_id, client_id)

    def _add(self, inv: EInvoice, key: str, cents: int) -> None:
        """A new invoice, for the buyer's client (found or created)."""
        errors = check_invoice(
            inv.number, inv.issue_date, inv.due_date, inv.amount_ttc, inv.amount_ht, inv.prepaid
        )
        if errors:
            self.report.refusals += [Refusal(inv.name, e.message, e.field) for e in errors]
            return
        client, created = self._client(inv)
        if client is None:
            return
        row = Invoice(
            number=inv.number,
            client_id=client.id,  # type: ignore[arg-type]
            order_number=inv.order_reference,
            issue_date=inv.issue_date,
            due_date=inv.due_date or inv.issue_date + self.terms,
            due_date_given=inv.due_date is not None,
            amount_ht_cents=to_cents(inv.amount_ht),
            vat_cents=to_cents(inv.vat),
            amount_ttc_cents=cents,
            deposit_cents=to_cents(inv.prepaid),
            payment_terms=inv.payment_terms,
        )
        self.s.add(row)
        self.s.flush()
        self.invoices[key] = (row.id or 0, cents)
        self.sources[key] = f"lue dans {inv.name}"
        self.report.added.append(Added(inv.number, client.name, cents, inv.name, created))
        self.report.outcomes[inv.name] = (
            f"facture {inv.number} ajoutée ({client.name}, {format_eur(cents, cents=True)})"
        )
        if inv.due_date is not None and (late := term_warning(inv.issue_date, inv.due_date)):
            self.report.warnings.append(f"{inv.name} : {late}")  # C. com. L441-10 I
        if inv.is_pdf:
            self._keep_pdf(inv, row.id, client.id)  # type: ignore[arg-type]

    def _client(self, inv: EInvoice) -> tuple[Client | None, bool]:
        """The buyer's client: same SIREN first, then the same name; else a new one."""
        buyer = inv.buyer
        if buyer.siren:
            by_siren = [c for c in self.clients if c.siren == buyer.siren]
            exact = [c for c in by_siren if buyer.siret and c.siret == buyer.siret]
            if exact or by_siren:
                return (exact or by_siren)[0], False
        wanted = sort_key(" ".join(buyer.name.split()))
        for c in self.clients:
            if sort_key(" ".join(c.name.split())) == wanted and (
                not buyer.siren or not c.siren  # another SIREN is another company
            ):
                return c, False
        errors = check_client(
            buyer.name,
            B2B,
            siren=buyer.siren,
            siret=buyer.siret,
            email=buyer.email,
            postal_code=buyer.postal_code,
            country=buyer.country,
        )
        if errors:
            self.report.refusals += [
                Refusal(inv.name, e.message, f"{e.field} de l'acheteur") for e in errors
            ]
            return None, False
        client = Client(
            name=" ".join(buyer.name.split()),
            kind=B2B,
            siren=buyer.siren,
            siret=buyer.siret,
            street=buyer.street,
            locality=buyer.locality,
            postal_code=buyer.postal_code,
            city=buyer.city,
            country=buyer.country,
            email=buyer.email,
        )
        self.s.add(client)
        self.s.flush()
        self.clients.insert(0, client)
        self.report.clients_created.append(client.name)
        return client, True

    def _keep_pdf(self, inv: EInvoice, invoice_id: int, client_id: int) -> None:
        """The Factur-X PDF as the invoice's document, once (the same content adds nothing)."""
        sha = self.copies.get(inv.path)
        if sha is None:  # a dry run copies nothing
            return
        same = self.s.exec(
            select(Piece.id)
            .where(Piece.invoice_id == invoice_id)
            .where(Piece.sha256 == sha)
            .where(col(Piece.removed_on).is_(None))
        ).first()
        if same is not None:
            return
        self.s.add(
            Piece(
                client_id=client_id,
                invoice_id=invoice_id,
                sha256=sha,
                original_name=inv.name,
                kind=PIECE_KIND,
                date=inv.issue_date,
                note=f"Facture électronique {inv.format} importée",
                added_on=self.as_of,
            )
        )
        self.report.pieces_added += 1
