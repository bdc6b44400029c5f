"""Interface test set-up: Ops on a fixed day with refusals recorded, and a fixed data set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError
from models.store.ledger import Ledger
from ui.ops import Ops

TODAY = dt.date(2026, 3, 15)
d = dt.date

# Stage of each invoice of `fixed_data` on TODAY (checked in test_invoice_model.py).
FIXED_STAGES = {
    "F-001": "paid",
    "F-002": "overdue",
    "F-010": "reminder_1",
    "F-011": "not_due",
    "F-012": "overdue",
    "F-020": "formal_notice",
    "F-021": "disputed",
    "F-030": "due_soon",
}


def fixed_data(led: Ledger) -> dict[str, int]:
    """Four clients (one B2C) and eight invoices, one per situation on 2026-03-15.

    Returns the ids by invoice number ("F-001"...) and by client key ("martin", "kasba",
    "lumen", "fontaine").
    """
    ids: dict[str, int] = {}
    martin = ids["martin"] = led.add_client("Boulangerie Martin", "b2b", city="Lyon")
    kasba = ids["kasba"] = led.add_client("Studio Kasba", "b2b", city="Marseille")
    lumen = ids["lumen"] = led.add_client("Agence Lumen", "b2b", city="Paris")
    fontaine = ids["fontaine"] = led.add_client("Mme Claire Fontaine", "b2c", city="Nantes")

    def invoice(client: int, number: str, issue: dt.date, due: dt.date, ttc: str, **kw) -> int:
        ids[number] = led.add_invoice(client, number, issue, Decimal(ttc), due, **kw)
        return ids[number]

    # Paid in full before its due date.
    f001 = invoice(martin, "F-001", d(2026, 1, 5), d(2026, 2, 4), "1200.00", subject="Pains")
    led.record_payment(f001, d(2026, 2, 1), Decimal("1200.00"), "transfer")
    # Five days late, nothing sent yet.
    invoice(martin, "F-002", d(2026, 2, 8), d(2026, 3, 10), "800.00", subject="Viennoiseries")
    # First reminder sent.
    f010 = invoice(kasba, "F-010", d(2026, 1, 10), d(2026, 2, 9), "2400.00", subject="Tournage")
    led.record_action(
        kasba, d(2026, 2, 16), "email", channel="email", step="reminder_1", invoice_ids=[f010]
    )
    # Due in 16 days: not due (the preventive window is 7 days).
    invoice(kasba, "F-011", d(2026, 3, 1), d(2026, 3, 31), "500.00", subject="Montage")
    # Part paid, then late.
    f012 = invoice(kasba, "F-012", d(2026, 1, 25), d(2026, 2, 24), "1000.00", subject="Photos")
    led.record_payment(f012, d(2026, 3, 1), Decimal("400.00"), "cheque")
    # Formal notice sent.
    f020 = invoice(lumen, "F-020", d(2025, 11, 1), d(2025, 12, 1), "5000.00", subject="Site web")
    led.record_action(
        lumen,
        d(2026, 1, 5),
        "formal_notice",
        channel="registered_letter",
        step="formal_notice",
        invoice_ids=[f020],
    )
    # Contested by the client.
    f021 = invoice(lumen, "F-021", d(2026, 1, 15), d(2026, 2, 14), "1500.00", subject="Logo")
    led.mark_disputed(f021, d(2026, 2, 20), "Logo non conforme au devis")
    # A private person's invoice due in three days (inside the preventive window).
    invoice(fontaine, "F-030", d(2026, 2, 15), d(2026, 3, 18), "300.00", subject="Cours")
    return ids


@pytest.fixture
def refusals() -> list[InputError]:
    """The refusals shown (instead of a modal message box)."""
    return []


@pytest.fixture
def ops(ledger: Ledger, refusals: list[InputError]) -> Ops:
    """Ops on the test ledger, today 2026-03-15, refusals recorded in `refusals`."""
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    return ops


@pytest.fixture
def data(ledger: Ledger) -> dict[str, int]:
    """The fixed data set in the test ledger; its ids."""
    return fixed_data(ledger)
