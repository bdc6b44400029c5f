"""Aged balance over a small fixed data set, computed by hand."""

import datetime as dt
from decimal import Decimal

from models.law.aging import Buckets
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

D = dt.date
AS_OF = D(2026, 3, 31)


def build(ledger):
    a = ledger.add_client("Alpha Conseil")
    b = ledger.add_client("Beta Travaux")
    ledger.add_invoice(a, "A1", D(2026, 3, 1), Decimal("1000.00"), D(2026, 3, 31))  # due as of
    ledger.add_invoice(a, "A2", D(2026, 1, 30), Decimal("500.00"), D(2026, 3, 1))  # 30 days
    a3 = ledger.add_invoice(a, "A3", D(2025, 12, 31), Decimal("200.00"), D(2026, 1, 30))  # 60
    ledger.record_payment(a3, D(2026, 3, 15), Decimal("50.00"))
    b4 = ledger.add_invoice(b, "B4", D(2025, 12, 1), Decimal("300.00"), D(2025, 12, 31))  # 90
    ledger.record_payment(b4, D(2026, 4, 5), Decimal("300.00"))  # after the as-of date
    ledger.add_invoice(b, "B5", D(2025, 11, 30), Decimal("400.00"), D(2025, 12, 30))  # 91
    b6 = ledger.add_invoice(b, "B6", D(2026, 2, 1), Decimal("700.00"), D(2026, 3, 3))
    ledger.record_payment(b6, D(2026, 3, 3), Decimal("700.00"))  # paid: not in the balance
    b7 = ledger.add_invoice(b, "B7", D(2025, 10, 1), Decimal("999.00"), D(2025, 10, 31))
    ledger.write_off(b7, D(2026, 2, 1), "liquidation")
    ledger.add_invoice(b, "B8", D(2026, 4, 2), Decimal("123.00"))  # issued after the as-of date
    return a, b


def test_buckets_and_totals(ledger):
    build(ledger)
    ab = ledger.aged_balance(AS_OF)
    assert ab.buckets.keys() == ("not_due", "1_30", "31_60", "61_90", "over_90")
    alpha, beta = ab.rows
    assert (alpha.client, beta.client) == ("Alpha Conseil", "Beta Travaux")
    assert alpha.amounts == tuple(Decimal(x) for x in ("1000.00", "500.00", "150.00", "0", "0"))
    assert (alpha.total, alpha.overdue, alpha.oldest_due) == (
        Decimal("1650.00"),
        Decimal("650.00"),
        D(2026, 1, 30),
    )
    assert beta.amounts == tuple(Decimal(x) for x in ("0", "0", "0", "300.00", "400.00"))
    assert (beta.total, beta.invoices) == (Decimal("700.00"), 2)
    assert ab.totals == tuple(Decimal(x) for x in ("1000", "500", "150", "300", "400"))
    assert (ab.total, ab.overdue) == (Decimal("2350.00"), Decimal("1350.00"))


def test_dso(ledger):
    build(ledger)
    ab = ledger.aged_balance(AS_OF)
    # Alpha: 1,650 outstanding / 1,500 invoiced in the 90 days to 31/03 (A1, A2) x 90 = 99.0
    # Beta: 700 / 700 (B6) x 90 = 90.0; all: 2,350 / 2,200 x 90 = 96.1
    assert [r.dso for r in ab.rows] == [Decimal("99.0"), Decimal("90.0")]
    assert ab.dso == Decimal("96.1")


def test_configurable_buckets(ledger):
    build(ledger)
    ab = ledger.aged_balance(AS_OF, Buckets((45, 90)))
    assert ab.buckets.keys() == ("not_due", "1_45", "46_90", "over_90")
    assert ab.totals == tuple(Decimal(x) for x in ("1000", "500", "450", "400"))
    ledger.set_setting("aging_bounds", [60])
    assert ledger.aged_balance(AS_OF).buckets.labels() == ("Non échu", "1-60 j", "> 60 j")


def test_payment_after_as_of_counts_later(ledger):
    build(ledger)
    later = ledger.aged_balance(D(2026, 4, 5))
    beta = next(r for r in later.rows if r.client == "Beta Travaux")
    assert beta.total == Decimal("523.00")  # B5 400 + B8 123 (B4 paid on 05/04)


def test_empty(ledger):
    ab = ledger.aged_balance(AS_OF)
    assert (ab.rows, ab.total, ab.dso) == ((), Decimal("0.00"), None)


def test_dso_in_integers_rounds_half_up_like_decimals():
    from decimal import ROUND_HALF_UP, Decimal

    from hypothesis import given
    from hypothesis import strategies as st

    from models.law.aging import _dso

    assert _dso(1, 1800) == Decimal("0.1")  # 0.05 day exactly: half-up
    assert _dso(12345, 100000) == Decimal("11.1")  # 11.1105
    assert _dso(500, 0) is None

    @given(st.integers(0, 10**12), st.integers(1, 10**12))
    def same(outstanding: int, sales: int) -> None:
        exact = (Decimal(outstanding) / Decimal(sales) * 90).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        assert _dso(outstanding, sales) == exact

    same()
