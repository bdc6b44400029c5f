"""A claim file on disk: a B2B debtor, two late invoices, a history and a formal notice."""

import datetime as dt
from decimal import Decimal

import pytest

from models.store.ledger import Ledger
from tests.sample_company import COMPANY

AS_OF = dt.date(2026, 3, 1)


def make_claim(folder, *, notice=True, acknowledged=False):
    """A file database in `folder`: 'Durand Bâtiment SAS' owes F-1 (2,400.00, 400 paid) and
    F-2 (600.00); reminders, a kept and a broken promise, and the formal notice by LRAR."""
    led = Ledger.open(str(folder / "relance.sqlite"))
    led.set_company(COMPANY)
    c = led.add_client(
        "Durand Bâtiment SAS",
        siren="552100554",
        street="3 rue des Lilas",
        postal_code="69003",
        city="Lyon",
    )
    f1 = led.add_invoice(c, "F-1", dt.date(2025, 10, 1), Decimal("2400.00"), dt.date(2025, 10, 31))
    f2 = led.add_invoice(c, "F-2", dt.date(2025, 11, 3), Decimal("600.00"), dt.date(2025, 12, 3))
    led.record_action(c, dt.date(2025, 11, 10), "call", invoice_ids=[f1], channel="call")
    led.record_action(
        c,
        dt.date(2025, 11, 12),
        "promise",
        invoice_ids=[f1],
        channel="call",
        promise_date=dt.date(2025, 11, 20),
        promise_amount=Decimal("400.00"),
    )
    led.record_payment(f1, dt.date(2025, 11, 19), Decimal("400.00"))
    led.record_action(
        c,
        dt.date(2025, 12, 15),
        "promise",
        invoice_ids=[f1, f2],
        channel="call",
        promise_date=dt.date(2025, 12, 31),
        promise_amount=Decimal("2600.00"),
    )
    letter = folder / "mise-en-demeure.pdf"
    if notice:
        from reportlab.pdfgen import canvas

        cv = canvas.Canvas(str(letter))
        cv.drawString(100, 700, "MISE EN DEMEURE")
        cv.save()
        action = led.record_letter_sent(
            c,
            "formal_notice",
            [f1, f2],
            dt.date(2026, 1, 12),
            delivery="sent",
            document_path=str(letter),
            registered_number="1A12345678901",
        )
        if acknowledged:
            led.acknowledge(action, dt.date(2026, 1, 14))
    return led, c


@pytest.fixture
def claim(tmp_path):
    """The claim of `make_claim`, notice sent, no acknowledgement recorded."""
    led, c = make_claim(tmp_path)
    yield led, c
    led.close()
