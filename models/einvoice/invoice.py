"""What an electronic invoice says that Relance keeps: the buyer, the dates, the amounts.

Amounts are `Decimal` euros with two places (the file's totals, EN 16931 BT-109 to BT-115);
nothing is computed here but the checks that the totals hold together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

FACTURX, UBL, CII = "Factur-X", "UBL", "CII"


@dataclass(frozen=True)
class Buyer:
    """The invoiced company (EN 16931 BG-7): legal name, identifiers, postal address, e-mail."""

    name: str
    siren: str = ""
    siret: str = ""
    street: str = ""
    locality: str = ""  # the address's second and third lines (BP, lieu-dit, zone)
    postal_code: str = ""
    city: str = ""
    country: str = ""  # "" for France, else the ISO 3166 code the file gives
    email: str = ""


@dataclass(frozen=True)
class EInvoice:
    """One invoice read from a file; `amount_ttc` = `amount_ht` + `vat` (checked)."""

    path: Path
    format: str  # FACTURX, UBL or CII
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    buyer: Buyer
    amount_ht: Decimal
    vat: Decimal
    amount_ttc: Decimal
    prepaid: Decimal = Decimal("0.00")  # BT-113, already paid: the invoice's deposit
    payment_terms: str = ""
    order_reference: str = ""  # the buyer's purchase order (BT-13)

    @property
    def name(self) -> str:
        """The file's name, as messages cite it."""
        return self.path.name

    @property
    def is_pdf(self) -> bool:
        """A Factur-X PDF: the file itself is kept as the invoice's document."""
        return self.format == FACTURX


@dataclass(frozen=True)
class Refusal:
    """A file refused, with the field at fault when there is one, and why (French)."""

    file: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        """'facture.xml : date d'échéance : « 2025-13-01 » illisible'."""
        where = f"{self.field} : " if self.field else ""
        return f"{self.file} : {where}{self.message}"


class RefusedError(ValueError):
    """Raised while reading one file; carries the refusals found in it."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(map(str, refusals)))
        self.refusals = refusals
