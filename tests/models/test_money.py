"""Money: cents, rounding half-up, French parsing and formatting."""

from decimal import Decimal

import pytest

from models.money import format_eur, format_plain, from_cents, parse_amount, quantize, to_cents

NB = "\u00a0"


def test_cents_round_trip():
    assert to_cents(Decimal("1234.56")) == 123456
    assert from_cents(123456) == Decimal("1234.56")
    assert to_cents(Decimal("0.005")) == 1  # half-up, not banker's rounding


def test_quantize_half_up():
    assert quantize(Decimal("36.025")) == Decimal("36.03")
    assert quantize(Decimal("33.2876")) == Decimal("33.29")
    assert quantize(Decimal("-0.005")) == Decimal("-0.01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        (f"7{NB}855,72", "7855.72"),
        ("1\u202f234,5", "1234.5"),
        ("1,234.56", "1234.56"),
        ("42", "42"),
        ("-12,30", "-12.30"),
        ("1.234.567", "1234567"),
        ("12,00 EUR", "12.00"),
    ],
)
def test_parse_amount_formats(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "12,3,4", "1,234", "12.345,678", "€"])
def test_parse_amount_refuses(text):
    if text == "1,234":
        # A lone comma is the French decimal mark: 1,234 has three decimals and is refused.
        with pytest.raises(ValueError, match="deux décimales"):
            parse_amount(text)
        return
    with pytest.raises(ValueError, match="montant"):
        parse_amount(text)


def test_format_eur_uses_no_break_spaces():
    assert format_eur(Decimal("1234.56")) == f"1{NB}234,56{NB}€"
    assert format_eur(10000000, cents=True) == f"100{NB}000,00{NB}€"
    assert format_eur(Decimal("-40")) == f"-40,00{NB}€"
    assert format_eur(Decimal("0.5"), symbol="") == "0,50"
    assert format_plain(Decimal("69.32")) == "69.32"
