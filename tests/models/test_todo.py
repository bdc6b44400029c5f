"""The to-do's prescription alerts and the stage rows' prescription fields (models.todo)."""

import datetime as dt

from models.law.policy import DEFAULT_POLICY
from models.law.stages import ActionFact, InvoiceFacts
from models.todo import stage_rows, todo_items

D = dt.date


def facts(due, b2c=True, actions=(), payments=()):
    return InvoiceFacts(
        id=7,
        number="F-7",
        client_id=3,
        client="M. Petit",
        b2c=b2c,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        total_cents=50_000,
        payments=tuple(payments),
        actions=tuple(actions),
    )


def limitation(f, as_of):
    return [t for t in todo_items([f], as_of, lambda _f: DEFAULT_POLICY) if t.step == "limitation"]


def test_limitation_alert_ninety_then_thirty_days_before_expiry():
    # B2C, due 2023-12-15: prescription on 2025-12-15 (C. conso. L218-2).
    f = facts(D(2023, 12, 15))
    assert limitation(f, D(2025, 9, 15)) == []
    first = limitation(f, D(2025, 9, 16))
    assert [(t.on, t.label) for t in first] == [
        (D(2025, 9, 16), "Prescription le 15/12/2025 (moins de 90 jours)")
    ]
    last = limitation(f, D(2025, 11, 20))
    assert [(t.on, t.label) for t in last] == [
        (D(2025, 11, 15), "Prescription le 15/12/2025 (moins de 30 jours)")
    ]
    barred = limitation(f, D(2026, 1, 5))
    assert [t.label for t in barred] == ["Prescrite depuis le 16/12/2025"]


def test_limitation_alert_follows_the_partial_payment():
    # The payment of 2025-06-01 restarts the 2 years (C. civ. 2240): no alert in 2025 any more.
    f = facts(D(2023, 12, 15), payments=[(D(2025, 6, 1), 10_000)])
    assert limitation(f, D(2025, 12, 1)) == []
    assert [t.label for t in limitation(f, D(2027, 3, 10))] == [
        "Prescription le 01/06/2027 (moins de 90 jours)"
    ]


def test_no_alert_while_in_court():
    # C. civ. 2241-2242: a court claim filed: the claim is in litigation, no expiry runs.
    filing = ActionFact(D(2025, 3, 1), "court_filing")
    f = facts(D(2023, 12, 15), actions=[filing])
    assert limitation(f, D(2025, 12, 1)) == []


def test_stage_row_carries_the_expiry_and_the_time_barred_flag():
    f = facts(D(2023, 1, 10))
    (row,) = stage_rows([f], D(2024, 6, 1), lambda _f: DEFAULT_POLICY)
    assert (row.prescription_on, row.time_barred) == (D(2025, 1, 10), False)
    (row,) = stage_rows([f], D(2025, 1, 11), lambda _f: DEFAULT_POLICY)
    assert (row.prescription_on, row.time_barred) == (D(2025, 1, 10), True)


def test_reminder_for_a_time_barred_claim_says_so():
    # Due 2023-01-10, B2C, nothing since: barred after 2025-01-10; the reminder still due is
    # kept (the user decides) but names the barred invoice (C. civ. 2219).
    f = facts(D(2023, 1, 10))
    items = todo_items([f], D(2025, 2, 1), lambda _f: DEFAULT_POLICY)
    steps = [t for t in items if t.step != "limitation"]
    assert steps
    assert all(t.label.endswith("— créance prescrite : F-7") for t in steps)
    assert not any(
        "créance prescrite" in t.label
        for t in todo_items([f], D(2024, 2, 1), lambda _f: DEFAULT_POLICY)
    )
