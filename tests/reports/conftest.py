"""Shared fixtures for PDF tests: a sample creditor, a LetterData factory, text extraction."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pdfplumber
import pytest

from models.law.interest import PenaltyPeriod
from models.letters.documents import Company, LetterData
from models.letters.epc import TransferRequest
from models.letters.statement import Statement, StatementLine

MM = 72 / 25.4  # PDF points per millimetre

COMPANY = Company(
    name="Atelier Exemple SARL",
    legal_form="SARL",
    capital="8 000 €",
    address_lines=("14 rue du Faubourg Saint-Antoine", "75011 PARIS"),
    city="Paris",
    siren="812 345 678",
    siret="812 345 678 00021",
    vat_number="FR45 812345678",
    rcs_city="Paris",
    phone="01 43 55 12 34",
    email="compta@atelier-exemple.fr",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPP882",
    signatory="Claire Exemple, gérante",
)

RECIPIENT = (
    "Menuiserie Durand & Fils",
    "Service comptabilité fournisseurs",
    "Zone artisanale des Grands Champs",
    "7 allée des Charpentiers",
    "BP 12",
    "45160 OLIVET",
)

# 10 000 € due 20/06/2025, on 20/07/2025 (C. com. L441-10 II, ECB + 10 points):
# 21/06-30/06: 10 days x 13,15 % -> 10 000 x 0,1315 x 10 / 365 = 36,03 ;
# 01/07-20/07: 20 days x 12,15 % -> 10 000 x 0,1215 x 20 / 365 = 66,58 ; total 102,61 ; + 40 €.
PERIODS = (
    PenaltyPeriod(
        dt.date(2025, 6, 21),
        dt.date(2025, 6, 30),
        10,
        Decimal("10000.00"),
        Decimal("13.15"),
        Decimal("36.03"),
    ),
    PenaltyPeriod(
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 20),
        20,
        Decimal("10000.00"),
        Decimal("12.15"),
        Decimal("66.58"),
    ),
)
INVOICE = StatementLine(
    number="F2025-0142",
    issue_date=dt.date(2025, 5, 21),
    due_date=dt.date(2025, 6, 20),
    days_late=30,
    amount=Decimal("10000.00"),
    paid=Decimal("0.00"),
    balance=Decimal("10000.00"),
    periods=PERIODS,
    penalties=Decimal("102.61"),
    indemnity=Decimal("40.00"),
)


def normalise(text: str) -> str:
    """Extracted text with no-break and narrow no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def make_letter() -> Callable[..., LetterData]:
    """Build a B2B formal notice with real numbers; keyword arguments override any field.

    `lines` (StatementLines), `b2c` and `waived` shape the statement of account; the claims
    follow the letter kind as in models/letters/statement.py.
    """

    def build(**overrides: object) -> LetterData:
        from models.letters.statement import CLAIMS_PENALTIES

        kind = str(overrides.get("kind", "formal_notice"))
        b2c = bool(overrides.get("b2c", False))
        lines = tuple(overrides.pop("lines", (INVOICE,)))  # type: ignore[call-overload]
        statement = Statement(
            lines=lines,
            b2c=b2c,
            claims_principal=kind != "penalty_statement",
            claims_penalties=kind in CLAIMS_PENALTIES,
            rate=Decimal("12.15"),
            rate_basis="taux BCE + 10 points",
        )
        transfer = TransferRequest(
            COMPANY.name, COMPANY.iban, COMPANY.bic, statement.total, "CLI-0042"
        )
        fields: dict[str, object] = {
            "kind": "formal_notice",
            "company": COMPANY,
            "recipient": RECIPIENT,
            "client_name": "Menuiserie Durand & Fils",
            "b2c": False,
            "place": "Paris",
            "date": dt.date(2025, 7, 20),
            "title": "Mise en demeure de payer",
            "paragraphs": (
                "Madame, Monsieur,",
                "Malgré nos relances, la facture F2025-0142 reste impayée.",
                "Nous vous mettons en demeure de régler la somme de 10 142,61 € "
                "au plus tard le 28 juillet 2025.",
            ),
            "statement": statement,
            "transfer": transfer if statement.total > 0 else None,
            "our_ref": "CLI-0042",
            "your_ref": "commande BC-2025-114",
            "subject": "Facture F2025-0142 impayée",
            "deadline": dt.date(2025, 7, 28),
            "registered": True,
            "registered_number": "1A 198 765 4321 0",
            "payment_reference": "CLI-0042",
            "closing": "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.",
            "signature_block": ("Claire Exemple", "Gérante"),
        }
        fields.update(overrides)
        return LetterData(**fields)

    return build


def pages_text(pdf: bytes) -> list[str]:
    """The normalised text of every page."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [normalise(page.extract_text() or "") for page in doc.pages]


@pytest.fixture
def pdf_pages() -> Callable[[bytes], list[str]]:
    """Extract the normalised text of each page of a PDF."""
    return pages_text


@pytest.fixture
def pdf_text() -> Callable[[bytes], str]:
    """Extract the normalised text of a whole PDF."""
    return lambda pdf: "\n".join(pages_text(pdf))
