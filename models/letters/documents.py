"""Plain data objects a document is made from; built in models/, laid out by reports/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from models.letters.epc import TransferRequest
from models.letters.statement import Statement


@dataclass(frozen=True)
class Company:
    """The creditor's identity as printed on letterheads and footers."""

    name: str
    legal_form: str = ""
    capital: str = ""
    address_lines: tuple[str, ...] = ()  # street lines, then "75011 PARIS"
    city: str = ""  # for "Paris, le 23 novembre 2026"
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    rcs_city: str = ""
    phone: str = ""
    email: str = ""
    iban: str = ""
    bic: str = ""
    logo_path: str = ""
    signature_path: str = ""
    signatory: str = ""
    # C. conso. L612-1, L616-1: the consumer mediator printed on letters to consumers.
    mediator_name: str = ""
    mediator_url: str = ""


def company_from(data: dict[str, Any]) -> Company:
    """The letterhead identity from the stored 'company' setting (Ledger and light reader)."""

    def get(key: str) -> str:
        return str(data.get(key, "") or "")

    town = " ".join(p for p in (get("postal_code"), get("city").upper()) if p)
    lines = tuple(x for x in (get("building"), get("street"), town) if x)
    return Company(
        name=get("name") or "Votre entreprise",
        legal_form=get("legal_form"),
        capital=get("capital"),
        address_lines=lines,
        city=get("city"),
        siren=get("siren"),
        siret=get("siret"),
        vat_number=get("vat_number"),
        rcs_city=get("rcs_city"),
        phone=get("phone"),
        email=get("email"),
        iban=get("iban"),
        bic=get("bic"),
        logo_path=get("logo_path"),
        signature_path=get("signature_path"),
        signatory=get("signatory"),
        mediator_name=get("mediator_name"),
        mediator_url=get("mediator_url"),
    )


@dataclass(frozen=True)
class InstalmentLine:
    """One instalment of a payment plan as printed in the agreement."""

    number: int
    due_date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class LetterData:
    """Everything one letter prints; paragraphs are already filled from the user's template.

    `recipient` holds at most 6 lines of at most 38 characters (La Poste NF Z 10-011), the last
    being "POSTAL CODE TOWN" in capitals without accents.
    """

    kind: str
    company: Company
    recipient: tuple[str, ...]
    client_name: str
    b2c: bool
    place: str
    date: dt.date
    title: str
    paragraphs: tuple[str, ...]
    statement: Statement = field(default_factory=Statement)  # the décompte: lines and totals
    our_ref: str = ""
    your_ref: str = ""
    subject: str = ""
    deadline: dt.date | None = None
    registered: bool = False  # "Lettre recommandée avec accusé de réception"
    registered_number: str = ""
    payment_reference: str = ""
    transfer: TransferRequest | None = None  # what the EPC QR code asks (None: no QR code)
    transfer_caption: str = ""  # what the QR code's amount is, when not the total
    instalments: tuple[InstalmentLine, ...] = ()
    closing: str = ""  # the formule de politesse
    signature_block: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # small print under the tables
    enclosures: tuple[str, ...] = ()  # "Pièces jointes" after the signature (formal notice)
    # The template's {field} values this letter was filled with (its e-mail uses the same).
    values: tuple[tuple[str, str], ...] = ()

    @property
    def principal(self) -> Decimal:
        """The principal still owed on the letter's invoices (from the statement)."""
        return self.statement.principal

    @property
    def penalties(self) -> Decimal:
        """Penalties (B2B) or legal interest (B2C) to date (from the statement)."""
        return self.statement.penalties

    @property
    def indemnity(self) -> Decimal:
        """Fixed indemnities, B2B only (from the statement)."""
        return self.statement.indemnity

    @property
    def total(self) -> Decimal:
        """What the letter asks for: the sum of the totals block's rows (from the statement)."""
        return self.statement.total
