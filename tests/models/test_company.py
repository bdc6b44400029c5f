"""The creditor's identity: SIREN/SIRET/VAT/IBAN/BIC checks, tidy forms, what letters need."""

import datetime as dt
from decimal import Decimal

import pytest

from models.company import (
    check_company,
    contractual_floor_warning,
    image_problem,
    missing_for_letter,
    normalize_company,
)
from models.law.rates import load_shipped
from models.letters.documents import company_from

GOOD = {
    "name": "Atelier Exemple SARL",
    "street": "8 rue des Artisans",
    "postal_code": "69003",
    "city": "Lyon",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "email": "compta@atelier-exemple.fr",
}


def test_good_identity_accepted_and_tidied():
    assert check_company(GOOD) == []
    tidy = normalize_company(GOOD)
    assert tidy["siret"] == "732 829 320 00074"
    assert tidy["siren"] == "732 829 320"  # taken from the SIRET
    assert tidy["iban"] == "FR76 3000 6000 0112 3456 7890 189"
    assert check_company(tidy) == []


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("siret", "73282932000075", "SIRET"),
        ("siren", "732829321", "SIREN"),
        ("iban", "FR7630006000011234567890188", "IBAN"),  # last digit changed
        ("bic", "AGRI", "BIC"),
        ("vat_number", "FR45732829320", "n° de TVA"),
        ("email", "compta@", "e-mail"),
        ("postal_code", "6900", "code postal"),
        ("colour", "blue", "colour"),
    ],
)
def test_bad_values_refused_with_the_field_named(field, value, label):
    errors = check_company(GOOD | {field: value})
    assert [e.field for e in errors] == [label]
    assert value in errors[0].message or label == "colour"


def test_siret_of_another_company_refused():
    errors = check_company(GOOD | {"siren": "552100554"})
    assert any("SIREN" in e.message for e in errors)


def test_missing_for_letter_asks_iban_from_second_reminder():
    assert missing_for_letter({}) == ["raison sociale", "adresse", "code postal", "ville", "SIRET"]
    partial = {k: v for k, v in GOOD.items() if k != "iban"}
    assert missing_for_letter(partial, "reminder_1") == []
    assert missing_for_letter(partial, "reminder_2") == ["IBAN"]
    assert missing_for_letter(GOOD, "formal_notice") == []


def test_company_from_builds_the_letterhead():
    company = company_from(normalize_company(GOOD))
    assert company.address_lines == ("8 rue des Artisans", "69003 LYON")
    assert company.siret == "732 829 320 00074"


def test_contractual_rate_floor_is_three_times_legal_rate():
    row = load_shipped().lookup(dt.date(2026, 3, 1)).row  # legal 2.62 %
    assert contractual_floor_warning(Decimal("7.86"), row) is None
    warning = contractual_floor_warning(Decimal("5"), row)
    assert warning is not None
    assert "7,86" in warning
    assert "1er semestre 2026" in warning


def test_image_problem(tmp_path):
    png = tmp_path / "logo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    fake = tmp_path / "logo2.png"
    fake.write_text("not an image")
    assert image_problem(png) is None
    assert "PNG" in (image_problem(fake) or "")
    assert "PNG ou JPEG" in (image_problem(tmp_path / "logo.gif") or "")
