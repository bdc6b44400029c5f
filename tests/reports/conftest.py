"""Shared fixtures for PDF tests: a sample creditor, a LetterData factory, text extraction."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pdfplumber
import pytest

from models.letters.documents import Company, InvoiceLine, LetterData

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

INVOICE = InvoiceLine(
    number="F2025-0142",
    issue_date=dt.date(2025, 5, 21),
    due_date=dt.date(2025, 6, 20),
    amount=Decimal("10000.00"),
    paid=Decimal("0.00"),
    balance=Decimal("10000.00"),
    days_late=30,
)


def normalise(text: str) -> str:
    """Extracted text with no-break and narrow no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def make_letter() -> Callable[..., LetterData]:
    """Build a B2B formal notice with real numbers; keyword arguments override any field."""

    def build(**overrides: object) -> LetterData:
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
            "invoices": (INVOICE,),
            "our_ref": "CLI-0042",
            "your_ref": "commande BC-2025-114",
            "subject": "Facture F2025-0142 impayée",
            "principal": Decimal("10000.00"),
            "penalties": Decimal("102.61"),
            "indemnity": Decimal("40.00"),
            "total": Decimal("10142.61"),
            "penalty_rate_text": "taux BCE + 10 points (13,15 % puis 12,15 %)",
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
