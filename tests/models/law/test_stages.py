"""Stages and next steps on given dates, under the default policy (DESIGN.md)."""

import datetime as dt

import pytest

from models.law.policy import DEFAULT_POLICY
from models.law.stages import (
    ActionFact,
    InvoiceFacts,
    PlanFacts,
    _expired,
    next_actions,
    next_step,
    pending_steps,
    plan_status,
    stage_of,
)

D = dt.date


def inv(**kw):
    """1,200.00 issued 2026-01-05, due 2026-02-04 (B2B)."""
    base = {
        "id": 1,
        "number": "FA-1",
        "client_id": 1,
        "client": "Cabinet Aubry",
        "b2c": False,
        "issue_date": D(2026, 1, 5),
        "due_date": D(2026, 2, 4),
        "total_cents": 120000,
    }
    return InvoiceFacts(**(base | kw))


def sent(step, on, kind=None):
    kinds = {
        "reminder_1": "email",
        "reminder_2": "letter",
        "reminder_3": "letter",
        "formal_notice": "formal_notice",
    }
    return ActionFact(on, kind or kinds.get(step, "note"), step)


def codes(items):
    return [(i.step.code, i.on) for i in items]


@pytest.mark.parametrize(
    ("as_of", "stage"),
    [
        (D(2026, 1, 20), "not_due"),
        (D(2026, 1, 27), "not_due"),
        (D(2026, 1, 28), "due_soon"),  # due - 7 days
        (D(2026, 2, 4), "due_soon"),  # the due date itself is not late
        (D(2026, 2, 5), "overdue"),
        (D(2026, 6, 1), "overdue"),
    ],
)
def test_dates_alone(as_of, stage):
    assert stage_of(inv(), as_of) == stage


def test_steps_by_date_before_any_reminder():
    f = inv()
    assert codes(next_actions(f, D(2026, 1, 27), DEFAULT_POLICY)) == []
    assert next_step(f, D(2026, 1, 27), DEFAULT_POLICY).on == D(2026, 1, 28)
    assert codes(next_actions(f, D(2026, 1, 28), DEFAULT_POLICY)) == [
        ("preventive", D(2026, 1, 28))
    ]
    # Once due, the preventive reminder has expired; the courtesy call is due the day after.
    assert codes(next_actions(f, D(2026, 2, 5), DEFAULT_POLICY)) == [
        ("courtesy_call", D(2026, 2, 5))
    ]
    # From due + 7 the courtesy call is overtaken by reminder 1.
    assert codes(next_actions(f, D(2026, 2, 11), DEFAULT_POLICY)) == [
        ("reminder_1", D(2026, 2, 11))
    ]
    # Letters go in order: 60 days late with nothing sent, reminder 1 is what is due.
    assert codes(next_actions(f, D(2026, 4, 5), DEFAULT_POLICY)) == [("reminder_1", D(2026, 2, 11))]


def test_the_ladder_with_a_late_reminder_keeps_the_spacing():
    r1 = sent("reminder_1", D(2026, 2, 13))  # two days later than due + 7
    f = inv(actions=(r1,))
    assert stage_of(f, D(2026, 2, 13)) == "reminder_1"
    assert stage_of(f, D(2026, 2, 12)) == "overdue"  # as of the day before it was sent
    # reminder 2 is due + 15 = 19/02, but 8 days after reminder 1 actually sent: 21/02.
    assert (
        next_step(f, D(2026, 2, 14), DEFAULT_POLICY).step.code,
        next_step(f, D(2026, 2, 14), DEFAULT_POLICY).on,
    ) == ("reminder_2", D(2026, 2, 21))
    f = inv(actions=(r1, sent("reminder_2", D(2026, 2, 21)), sent("reminder_3", D(2026, 3, 3))))
    assert stage_of(f, D(2026, 3, 3)) == "reminder_3"
    # formal notice: due + 30 = 06/03, or 5 days after reminder 3 (03/03): 08/03.
    assert codes(next_actions(f, D(2026, 3, 8), DEFAULT_POLICY)) == [
        ("formal_notice", D(2026, 3, 8))
    ]
    f.actions += (sent("formal_notice", D(2026, 3, 8)),)
    assert stage_of(f, D(2026, 3, 9)) == "formal_notice"
    # Legal action once the 8-day deadline has run: 16/03.
    assert next_step(f, D(2026, 3, 9), DEFAULT_POLICY).on == D(2026, 3, 16)
    assert codes(next_actions(f, D(2026, 3, 16), DEFAULT_POLICY)) == [
        ("legal_action", D(2026, 3, 16))
    ]


def test_partial_then_full_payment():
    f = inv(
        actions=(sent("formal_notice", D(2026, 3, 8)),),
        payments=((D(2026, 3, 10), 50000), (D(2026, 3, 20), 70000)),
    )
    assert f.balance_cents(D(2026, 3, 15)) == 70000
    assert stage_of(f, D(2026, 3, 15)) == "formal_notice"
    assert stage_of(f, D(2026, 3, 19)) == "formal_notice"
    assert stage_of(f, D(2026, 3, 20)) == "paid"
    assert next_actions(f, D(2026, 3, 25), DEFAULT_POLICY) == []


def test_deposit_and_overpayment():
    f = inv(deposit_cents=20000, payments=((D(2026, 2, 1), 110000),))
    assert f.balance_cents(D(2026, 2, 1)) == -10000  # a 100.00 credit
    assert stage_of(f, D(2026, 2, 1)) == "paid"
    assert stage_of(inv(deposit_cents=120000), D(2026, 3, 1)) == "paid"


def test_plan_on_schedule_then_missed_falls_back():
    plan = PlanFacts(
        D(2026, 4, 1),
        ((D(2026, 4, 15), 50000), (D(2026, 5, 15), 70000)),
        ((D(2026, 4, 14), 50000),),
    )
    f = inv(
        actions=(sent("formal_notice", D(2026, 3, 8)),),
        plan=plan,
        payments=((D(2026, 4, 14), 50000),),
    )
    assert stage_of(f, D(2026, 3, 31)) == "formal_notice"
    assert stage_of(f, D(2026, 4, 10)) == "payment_plan"
    assert stage_of(f, D(2026, 5, 20)) == "payment_plan"  # within the 5 grace days
    assert plan_status(plan, D(2026, 5, 21)) == "missed"
    assert stage_of(f, D(2026, 5, 21)) == "formal_notice"  # the stage the plan interrupted
    assert next_actions(f, D(2026, 4, 20), DEFAULT_POLICY) == []
    assert codes(next_actions(f, D(2026, 5, 21), DEFAULT_POLICY))[0][0] == "legal_action"


def test_plan_cancelled():
    plan = PlanFacts(D(2026, 4, 1), ((D(2026, 6, 15), 120000),), (), D(2026, 4, 20))
    f = inv(plan=plan)
    assert stage_of(f, D(2026, 4, 10)) == "payment_plan"
    assert stage_of(f, D(2026, 4, 20)) == "overdue"


def test_dispute_written_off_litigation_handover():
    assert stage_of(inv(disputed_on=D(2026, 2, 20)), D(2026, 2, 19)) == "overdue"
    assert stage_of(inv(disputed_on=D(2026, 2, 20)), D(2026, 2, 20)) == "disputed"
    assert next_actions(inv(disputed_on=D(2026, 2, 20)), D(2026, 3, 1), DEFAULT_POLICY) == []
    assert stage_of(inv(written_off_on=D(2026, 9, 1)), D(2026, 9, 1)) == "written_off"
    legal = inv(
        actions=(
            sent("formal_notice", D(2026, 3, 8)),
            ActionFact(D(2026, 3, 20), "legal_step", "legal_action"),
        )
    )
    assert stage_of(legal, D(2026, 3, 20)) == "litigation"
    handed = inv(actions=(ActionFact(D(2026, 4, 2), "handover"),))
    assert stage_of(handed, D(2026, 4, 2)) == "handed_over"
    # Paid wins over everything: a disputed invoice settled is paid.
    assert (
        stage_of(
            inv(disputed_on=D(2026, 2, 20), payments=((D(2026, 3, 1), 120000),)), D(2026, 3, 1)
        )
        == "paid"
    )


def test_notice_recorded_without_step_code_counts():
    f = inv(actions=(ActionFact(D(2026, 3, 10), "formal_notice"),))
    assert stage_of(f, D(2026, 3, 10)) == "formal_notice"
    assert next_step(f, D(2026, 3, 10), DEFAULT_POLICY).step.code == "legal_action"


def test_pause_pushes_steps_after_its_end():
    f = inv(paused_until=D(2026, 2, 28))
    assert next_actions(f, D(2026, 2, 20), DEFAULT_POLICY) == []
    assert next_step(f, D(2026, 2, 20), DEFAULT_POLICY).on == D(2026, 3, 1)
    assert codes(next_actions(f, D(2026, 3, 1), DEFAULT_POLICY)) == [("reminder_1", D(2026, 3, 1))]


def test_promise_to_pay_holds_reminders_until_the_day_after():
    promise = ActionFact(D(2026, 2, 6), "promise", "", D(2026, 2, 20))
    f = inv(actions=(promise,))
    assert next_actions(f, D(2026, 2, 15), DEFAULT_POLICY) == []
    assert next_step(f, D(2026, 2, 15), DEFAULT_POLICY).on == D(2026, 2, 21)


def test_check_receipt_call_only_for_flagged_clients():
    f = inv(sent_date=D(2026, 1, 5), flagged=True)
    assert codes(next_actions(f, D(2026, 1, 12), DEFAULT_POLICY)) == [
        ("check_receipt", D(2026, 1, 12))
    ]
    assert next_actions(inv(sent_date=D(2026, 1, 5)), D(2026, 1, 12), DEFAULT_POLICY) == []


def test_days_late():
    assert inv().days_late(D(2026, 2, 4)) == 0
    assert inv().days_late(D(2026, 3, 6)) == 30
    assert inv(payments=((D(2026, 3, 1), 120000),)).days_late(D(2026, 3, 6)) == 0


def test_a_call_noted_without_step_code_does_the_call_step():
    f = inv(actions=(ActionFact(D(2026, 2, 5), "call"),))
    assert next_actions(f, D(2026, 2, 6), DEFAULT_POLICY) == []
    assert next_step(f, D(2026, 2, 6), DEFAULT_POLICY).step.code == "reminder_1"
    # A call long before (at issue) does not count for the courtesy call after the due date.
    early = inv(actions=(ActionFact(D(2026, 1, 6), "call"),))
    assert codes(next_actions(early, D(2026, 2, 6), DEFAULT_POLICY)) == [
        ("courtesy_call", D(2026, 2, 5))
    ]


def reference_next_actions(facts, as_of, policy):
    """next_actions as it was written over the whole list of pending steps."""
    pending = pending_steps(facts, as_of, policy)
    due = []
    for i, item in enumerate(pending):
        following = pending[i + 1] if i + 1 < len(pending) else None
        if _expired(item, following, facts, as_of):
            continue
        if item.on <= as_of:
            due.append(item)
        if item.step.channel != "call":
            break
    return due


@pytest.mark.parametrize("seed", range(4))
def test_next_actions_read_lazily_equal_the_whole_list(tmp_path, seed):
    """The steps are made one by one up to the first letter: the same steps as over all."""
    from tests.models.store.test_todo_reads import todo_ledger

    ledger = todo_ledger(str(tmp_path / "n.sqlite"), seed)
    try:
        facts = ledger.facts(include_archived=True)
        seen = 0
        for as_of in (D(2026, 11, 23), D(2026, 2, 1), D(2027, 6, 30)):
            for f in facts:
                policy = ledger.policy_for(f)
                expected = reference_next_actions(f, as_of, policy)
                stage = stage_of(f, as_of, policy.preventive_window_days)
                assert next_actions(f, as_of, policy) == expected
                assert next_actions(f, as_of, policy, stage) == expected
                seen += len(expected)
        assert seen > 10
    finally:
        ledger.close()
