"""Prescription from the facts: start, interruptions (C. civ. 2240, 2241), 2 or 5 years."""

import datetime as dt

from models.law.prescription import alert_due, prescription
from models.law.stages import ActionFact, InvoiceFacts, PlanFacts

D = dt.date


def facts(due, b2c=False, payments=(), actions=(), plan=None, completed_on=None, total=100_000):
    return InvoiceFacts(
        id=1,
        number="F-1",
        client_id=1,
        client="Mme Durand",
        b2c=b2c,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        total_cents=total,
        payments=tuple(payments),
        actions=tuple(actions),
        plan=plan,
        completed_on=completed_on,
    )


def test_b2c_two_years_from_the_due_date_without_interruption():
    # C. conso. L218-2: 2 years from the due date 2023-12-15 -> last day 2025-12-15.
    p = prescription(facts(D(2023, 12, 15), b2c=True), D(2025, 1, 1))
    assert (p.years, p.expires_on, p.time_barred) == (2, D(2025, 12, 15), False)
    assert "L218-2" in p.text()


def test_b2c_partial_payment_restarts_the_period():
    # C. civ. 2240, 2231: the partial payment of 2025-06-01 acknowledges the debt and a new
    # 2-year period runs from it: 2027-06-01 (the issue's case, which showed 15/12/2025).
    f = facts(D(2023, 12, 15), b2c=True, payments=[(D(2025, 6, 1), 20_000)])
    p = prescription(f, D(2025, 12, 20))
    assert p.expires_on == D(2027, 6, 1)
    assert not p.time_barred
    assert [(i.on, i.label) for i in p.interruptions] == [(D(2025, 6, 1), "paiement partiel")]
    assert p.text().startswith("Prescription le 01/06/2027")


def test_b2b_signed_payment_plan_restarts_the_five_years():
    # C. com. L110-4: 5 years from 2021-03-31 -> 2026-03-31; a plan agreed on 2025-01-10 is an
    # acknowledgement (C. civ. 2240): 5 years from it -> 2030-01-10.
    plan = PlanFacts(D(2025, 1, 10), ((D(2025, 2, 10), 100_000),), ())
    agreement = ActionFact(D(2025, 1, 10), "agreement", "payment_plan")
    f = facts(D(2021, 3, 31), plan=plan, actions=[agreement])
    assert prescription(f, D(2025, 1, 9)).expires_on == D(2026, 3, 31)  # not yet agreed then
    p = prescription(f, D(2025, 6, 1))
    assert p.expires_on == D(2030, 1, 10)
    assert [i.label for i in p.interruptions] == ["échéancier accepté"]


def test_recorded_acknowledgement_restarts_and_a_notice_does_not():
    # A formal notice does not interrupt (C. civ. 2240 lists acknowledgement, 2241 a court
    # claim); a written acknowledgement on 2024-05-02 does: 2024-05-02 + 2 years.
    notice = ActionFact(D(2024, 3, 1), "formal_notice", "formal_notice")
    ack = ActionFact(D(2024, 5, 2), "acknowledgement")
    p = prescription(facts(D(2023, 1, 20), b2c=True, actions=[notice, ack]), D(2024, 6, 1))
    assert p.expires_on == D(2026, 5, 2)
    assert [i.kind for i in p.interruptions] == ["acknowledgement"]


def test_court_filing_interrupts_until_the_proceedings_end():
    # C. civ. 2241, 2242: no expiry date while the claim is before the court.
    filing = ActionFact(D(2024, 11, 5), "court_filing")
    p = prescription(facts(D(2023, 1, 20), b2c=True, actions=[filing]), D(2026, 1, 1))
    assert p.expires_on is None
    assert p.pending_in_court
    assert not p.time_barred
    assert "demande en justice" in p.text()


def test_time_barred_and_a_later_payment_revives_nothing():
    # Due 2022-01-10, B2C: last day 2024-01-10; on 2024-01-11 the claim is barred. A payment
    # on 2024-03-01, after the expiry, is no interruption (C. civ. 2250-2251: renouncing an
    # acquired prescription is for the user to judge).
    f = facts(D(2022, 1, 10), b2c=True, payments=[(D(2024, 3, 1), 1_000)])
    assert not prescription(f, D(2024, 1, 10)).time_barred
    p = prescription(f, D(2024, 6, 1))
    assert p.time_barred
    assert p.expires_on == D(2024, 1, 10)
    assert p.interruptions == ()
    assert p.text().startswith("Prescrite depuis le 11/01/2024")


def test_consumer_service_starts_at_its_completion_date():
    # A consumer service: prescription runs from the completion recorded (2023-02-28), not
    # from the later due date: 2025-02-28.
    f = facts(D(2023, 4, 30), b2c=True, completed_on=D(2023, 2, 28))
    p = prescription(f, D(2024, 1, 1))
    assert (p.start, p.expires_on) == (D(2023, 2, 28), D(2025, 2, 28))
    # A B2B claim ignores it (C. com. L110-4 runs from the due date here).
    b2b = facts(D(2023, 4, 30), completed_on=D(2023, 2, 28))
    assert prescription(b2b, D(2024, 1, 1)).expires_on == D(2028, 4, 30)


def test_leap_day_moves_to_28_february():
    assert prescription(facts(D(2024, 2, 29), b2c=True), D(2024, 3, 1)).expires_on == D(2026, 2, 28)


def test_alerts_ninety_then_thirty_days_before():
    # Expiry 2025-12-15: first alert 90 days before (2025-09-16), then 30 (2025-11-15).
    f = facts(D(2023, 12, 15), b2c=True)
    assert alert_due(prescription(f, D(2025, 9, 15))) is None
    assert alert_due(prescription(f, D(2025, 9, 16))) == (D(2025, 9, 16), 90)
    assert alert_due(prescription(f, D(2025, 11, 15))) == (D(2025, 11, 15), 30)
    assert alert_due(prescription(f, D(2026, 3, 1))) == (D(2025, 11, 15), 30)
