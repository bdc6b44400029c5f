"""Penalties computed by hand from the official rates (resources/rates.csv), LEGAL.md examples."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from models.law.interest import compute_interest
from models.law.rates import RateRow, load_shipped
from models.law.stages import ActionFact, InvoiceFacts

D = dt.date
RATES = load_shipped()


def facts(total="10000.00", due=D(2025, 6, 20), payments=(), b2c=False, actions=(), deposit="0"):
    return InvoiceFacts(
        id=1,
        number="F2025-001",
        client_id=1,
        client="Boulangerie Martin",
        b2c=b2c,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        total_cents=int(Decimal(total) * 100),
        deposit_cents=int(Decimal(deposit) * 100),
        payments=tuple((d, int(Decimal(a) * 100)) for d, a in payments),
        actions=tuple(actions),
    )


def by_hand(base: str, rate: str, days: int) -> Decimal:
    value = Decimal(base) * Decimal(rate) / 100 * days / 365
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_legal_md_worked_example_across_a_half_year():
    # 10,000.00 due 2025-06-20, as of 2025-07-10: 10 days at 13.15 % then 10 days at 12.15 %.
    r = compute_interest(facts(), D(2025, 7, 10), RATES)
    assert [(p.start, p.end, p.days, p.rate, p.amount) for p in r.periods] == [
        (D(2025, 6, 21), D(2025, 6, 30), 10, Decimal("13.15"), Decimal("36.03")),
        (D(2025, 7, 1), D(2025, 7, 10), 10, Decimal("12.15"), Decimal("33.29")),
    ]
    assert r.penalties == Decimal("69.32")
    assert r.indemnity == Decimal("40.00")
    assert r.principal == Decimal("10000.00")
    assert r.total_due == Decimal("10109.32")
    assert r.warnings == ()


def test_legal_md_contractual_example_15_percent():
    f = facts(total="15000.00", due=D(2018, 4, 15), payments=[(D(2018, 5, 15), "15000.00")])
    r = compute_interest(f, D(2018, 12, 31), RATES, contractual_rate=Decimal("15"))
    assert r.penalties == Decimal("184.93")
    assert r.periods[0].days == 30
    assert r.principal == Decimal("0.00")  # paid late: the penalty claim stays
    assert r.indemnity == Decimal("40.00")


def test_two_half_year_changes_and_a_partial_payment():
    # Due 2024-05-31, 4,000.00 paid on 2024-08-14, rest (6,000.00) unpaid until 2025-01-20.
    f = facts(due=D(2024, 5, 31), payments=[(D(2024, 8, 14), "4000.00")])
    r = compute_interest(f, D(2025, 1, 20), RATES)
    expected = [
        # 2024-H1 ECB 4.50 -> 14.50 %: 2024-06-01..2024-06-30, 30 days on 10,000
        (D(2024, 6, 1), D(2024, 6, 30), 30, "10000.00", "14.50"),
        # 2024-H2 ECB 4.25 -> 14.25 %: to the payment day inclusive on 10,000
        (D(2024, 7, 1), D(2024, 8, 14), 45, "10000.00", "14.25"),
        # from the day after the payment on 6,000: 6000 x 14.25 % x 139 / 365 = 325.6027
        (D(2024, 8, 15), D(2024, 12, 31), 139, "6000.00", "14.25"),
        # 2025-H1 ECB 3.15 -> 13.15 %
        (D(2025, 1, 1), D(2025, 1, 20), 20, "6000.00", "13.15"),
    ]
    got = [(p.start, p.end, p.days, f"{p.base}", f"{p.rate}") for p in r.periods]
    assert got == expected
    amounts = [by_hand(b, rt, n) for _, _, n, b, rt in expected]
    assert amounts == [Decimal("119.18"), Decimal("175.68"), Decimal("325.60"), Decimal("43.23")]
    assert r.penalties == sum(amounts) == Decimal("663.69")
    assert r.principal == Decimal("6000.00")


def test_paid_on_time_owes_nothing():
    f = facts(payments=[(D(2025, 6, 20), "10000.00")])
    r = compute_interest(f, D(2025, 9, 1), RATES)
    assert (r.penalties, r.indemnity, r.periods) == (Decimal("0.00"), Decimal("0.00"), ())


def test_not_yet_late_owes_nothing():
    r = compute_interest(facts(), D(2025, 6, 20), RATES)
    assert (r.penalties, r.indemnity) == (Decimal("0.00"), Decimal("0.00"))


def test_indemnity_not_reduced_by_partial_payment_and_one_day_late():
    f = facts(payments=[(D(2025, 6, 21), "9999.00")])
    r = compute_interest(f, D(2025, 6, 30), RATES)
    assert r.indemnity == Decimal("40.00")
    # 1 day on 10,000 at 13.15 %, then 9 days on 1.00
    assert r.penalties == by_hand("10000.00", "13.15", 1) + by_hand("1.00", "13.15", 9)
    assert r.penalties == Decimal("3.60")


def test_deposit_reduces_the_base():
    r = compute_interest(facts(deposit="2000.00"), D(2025, 6, 30), RATES)
    assert r.periods[0].base == Decimal("8000.00")
    assert r.penalties == by_hand("8000.00", "13.15", 10) == Decimal("28.82")


def test_b2c_no_notice_no_interest_no_indemnity():
    r = compute_interest(facts(b2c=True), D(2025, 9, 1), RATES)
    assert (r.penalties, r.indemnity, r.basis) == (Decimal("0.00"), Decimal("0.00"), "none")


def test_b2c_legal_rate_from_the_day_after_the_notice():
    notice = ActionFact(D(2025, 6, 25), "formal_notice", "formal_notice")
    r = compute_interest(facts(b2c=True, actions=[notice]), D(2025, 7, 15), RATES)
    # "other cases" legal rate: 3.71 % in 2025-H1, 2.76 % in 2025-H2.
    assert [(p.start, p.days, p.rate) for p in r.periods] == [
        (D(2025, 6, 26), 5, Decimal("3.71")),
        (D(2025, 7, 1), 15, Decimal("2.76")),
    ]
    assert r.penalties == by_hand("10000", "3.71", 5) + by_hand("10000", "2.76", 15)
    assert r.penalties == Decimal("16.42")
    assert r.indemnity == Decimal("0.00")


def test_contractual_rate_below_three_times_legal_rate_warns():
    # 2025-H1 legal rate (other cases) 3.71 % x 3 = 11.13 %: a 10 % clause is too low.
    r = compute_interest(facts(due=D(2025, 3, 1)), D(2025, 3, 31), RATES, Decimal("10"))
    assert r.penalties == by_hand("10000", "10", 30)
    assert any("11,13" in w for w in r.warnings)
    ok = compute_interest(facts(due=D(2025, 3, 1)), D(2025, 3, 31), RATES, Decimal("12"))
    assert ok.warnings == ()


def test_missing_half_year_uses_last_known_rate_and_says_so():
    # 2026-H2 is not in the shipped table: 2026-H1's 12.15 % is used, with a warning.
    r = compute_interest(facts(due=D(2026, 6, 30)), D(2026, 7, 30), RATES)
    assert [p.rate for p in r.periods] == [Decimal("12.15")]
    assert r.penalties == by_hand("10000", "12.15", 30)
    assert any("2e semestre 2026" in w for w in r.warnings)


def test_user_rate_replaces_the_missing_half_year():
    table = RATES.with_user_rows(
        [
            RateRow(
                "2026-H2",
                D(2026, 7, 1),
                Decimal("2.00"),
                Decimal("12.00"),
                Decimal("6.50"),
                Decimal("2.50"),
            )
        ]
    )
    r = compute_interest(facts(due=D(2026, 6, 30)), D(2026, 7, 30), table)
    assert r.periods[0].rate == Decimal("12.00")
    assert r.warnings == ()
    assert table.lookup(D(2026, 8, 1)).row.source == "saisi"
