"""Validators: identities, invoices, payments and the legal payment term."""

import datetime as dt
from decimal import Decimal

from models.validation import check_client, check_invoice, check_payment, term_warning

D = dt.date


def test_term_warning_beyond_60_days_and_45_end_of_month():
    assert term_warning(D(2026, 1, 15), D(2026, 3, 16)) is None  # 60 days
    assert term_warning(D(2026, 1, 15), D(2026, 3, 31)) is None  # 45 days then end of month
    warning = term_warning(D(2026, 1, 15), D(2026, 5, 1))
    assert warning is not None
    assert "106 jours" in warning
    assert "L441-10" in warning


def test_client_checks():
    assert check_client("A", "b2b", siret="73282932000074", siren="732829320") == []
    fields = {e.field for e in check_client("", "pro", siren="123", postal_code="7500")}
    assert fields == {"nom", "type", "SIREN", "code postal"}
    assert check_client("A", "b2b", siren="732829320", siret="55210055400013")[0].message == (
        "le SIRET ne commence pas par le SIREN"
    )


def test_invoice_and_payment_checks():
    errors = check_invoice("F1", D(2026, 2, 1), D(2026, 1, 31), Decimal("10"), Decimal("12"))
    assert [e.field for e in errors] == ["montant HT", "échéance"]
    assert [e.field for e in check_payment(D(2026, 1, 1), Decimal("-1"), "bitcoin")] == [
        "montant",
        "moyen de paiement",
    ]
