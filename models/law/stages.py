"""Where an invoice stands in the collection process, derived from its facts as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from models.law.policy import ESCALATION_LEVELS, Policy, Step

ONE_DAY = dt.timedelta(days=1)
# A call noted up to a week before a call step's date counts as that call (history kinds).
CALL_SLACK = dt.timedelta(days=7)
CALL_KINDS = frozenset({"call", "promise"})
# Days a late instalment is tolerated before the plan counts as broken (a transfer takes time).
PLAN_GRACE_DAYS = 5


@dataclass(frozen=True)
class StageInfo:
    """A stage's code, French name and colour (DESIGN.md); the name is always shown too."""

    code: str
    label: str
    colour: str  # background, #rrggbb
    rank: int  # severity, for "worst stage" of a client


STAGES: dict[str, StageInfo] = {
    s.code: s
    for s in (
        StageInfo("not_due", "Non échue", "#f4f4f4", 0),
        StageInfo("due_soon", "Échéance proche", "#d6eaf8", 1),
        StageInfo("overdue", "En retard", "#fff3b0", 2),
        StageInfo("reminder_1", "Relance 1", "#ffd8a8", 3),
        StageInfo("reminder_2", "Relance 2", "#ffb870", 4),
        StageInfo("reminder_3", "Relance 3", "#ff9838", 5),
        StageInfo("formal_notice", "Mise en demeure", "#f28b82", 7),
        StageInfo("payment_plan", "Échéancier", "#a8c8f0", 2),
        StageInfo("disputed", "Litige client", "#d7bde2", 6),
        StageInfo("litigation", "Contentieux", "#c0392b", 9),
        StageInfo("handed_over", "Recouvrement transmis", "#b5835a", 8),
        StageInfo("paid", "Payée", "#cfe8d5", -1),
        StageInfo("written_off", "Passée en perte", "#d5d5d5", -2),
    )
}
# Stages in which no dunning step is proposed.
CLOSED = frozenset({"paid", "written_off", "disputed", "litigation", "handed_over"})


class ActionFact(NamedTuple):
    """What stages need of one history entry: its date, kind, policy step and promise."""

    date: dt.date
    kind: str
    step: str = ""
    promise_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """A payment plan: instalments (date, cents) and payments on its invoices since agreement."""

    agreed_on: dt.date
    instalments: tuple[tuple[dt.date, int], ...]
    payments: tuple[tuple[dt.date, int], ...]
    cancelled_on: dt.date | None = None


@dataclass(slots=True)
class InvoiceFacts:
    """A snapshot of one invoice and what happened to it; all a stage or penalty needs."""

    id: int
    number: str
    client_id: int
    client: str
    b2c: bool
    issue_date: dt.date
    due_date: dt.date
    total_cents: int
    deposit_cents: int = 0
    payments: tuple[tuple[dt.date, int], ...] = ()  # (date, cents), by date
    actions: tuple[ActionFact, ...] = ()  # by date
    sent_date: dt.date | None = None
    flagged: bool = False  # new client or known late payer
    disputed_on: dt.date | None = None
    written_off_on: dt.date | None = None
    paused_until: dt.date | None = None
    plan: PlanFacts | None = None
    policy_name: str | None = None
    subject: str = ""
    # Consumer services: the day the work was completed, when recorded (prescription start).
    completed_on: dt.date | None = None
    # The due date written on the invoice when it lies beyond the legal maximum and the user
    # chose to count from that maximum instead (`due_date` then holds the maximum); else None.
    stated_due: dt.date | None = None
    _paid_memo: tuple[dt.date, int] | None = None

    def paid_cents(self, as_of: dt.date) -> int:
        """Deposit plus payments received on or before `as_of`."""
        if not self.payments:
            return self.deposit_cents
        memo = self._paid_memo
        if memo is not None and memo[0] == as_of:
            return memo[1]
        paid = self.deposit_cents + sum(c for d, c in self.payments if d <= as_of)
        self._paid_memo = (as_of, paid)
        return paid

    def balance_cents(self, as_of: dt.date) -> int:
        """Amount incl. tax still owed as of `as_of`; negative means a credit (overpayment)."""
        return self.total_cents - self.paid_cents(as_of)

    def days_late(self, as_of: dt.date) -> int:
        """Days past due as of `as_of` (0 when not yet due or settled)."""
        if self.balance_cents(as_of) <= 0:
            return 0
        return max(0, (as_of - self.due_date).days)

    def paid_on(self) -> dt.date | None:
        """The day the balance reached zero, or None if it never did."""
        paid = self.deposit_cents
        if paid >= self.total_cents:
            return self.issue_date
        for d, c in self.payments:
            paid += c
            if paid >= self.total_cents:
                return d
        return None

    def notice_date(self, as_of: dt.date) -> dt.date | None:
        """Date of the first formal notice sent on or before `as_of`."""
        for a in self.actions:
            if a.date > as_of:
                break
            if a.step == "formal_notice" or a.kind == "formal_notice":
                return a.date
        return None


def escalation(facts: InvoiceFacts, as_of: dt.date) -> tuple[int, dt.date | None]:
    """The highest collection step reached by `as_of` (0 = none, 1-3 reminders, 4 notice)."""
    level, on = 0, None
    for a in facts.actions:
        if a.date > as_of:
            break
        lvl = ESCALATION_LEVELS.get(a.step) or (4 if a.kind == "formal_notice" else 0)
        if lvl >= level and lvl:
            level, on = lvl, a.date
    return level, on


def plan_status(plan: PlanFacts | None, as_of: dt.date) -> str:
    """'none', 'cancelled', 'on_schedule' or 'missed' (an instalment unpaid past the grace days)."""
    if plan is None or plan.agreed_on > as_of:
        return "none"
    if plan.cancelled_on is not None and plan.cancelled_on <= as_of:
        return "cancelled"
    paid = sum(c for d, c in plan.payments if plan.agreed_on <= d <= as_of)
    owed = 0
    for due, cents in plan.instalments:
        if due + dt.timedelta(days=PLAN_GRACE_DAYS) < as_of:
            owed += cents
    return "missed" if paid < owed else "on_schedule"


def _escalation_stage(facts: InvoiceFacts, as_of: dt.date, window: int) -> str:
    """The stage from reminders sent and dates alone (what a broken plan falls back to)."""
    level, _ = escalation(facts, as_of)
    if level >= 4:
        return "formal_notice"
    if level:
        return f"reminder_{level}"
    if as_of > facts.due_date:
        return "overdue"
    if as_of >= facts.due_date - dt.timedelta(days=window):
        return "due_soon"
    return "not_due"


def stage_of(facts: InvoiceFacts, as_of: dt.date, preventive_window: int = 7) -> str:
    """The stage code (DESIGN.md) of an invoice as of a date; never typed by hand.

    Precedence: paid, written off, disputed, litigation/handover (latest wins), a plan on
    schedule, then the escalation ladder and the dates. A missed instalment falls back to the
    stage the plan interrupted.
    """
    if facts.balance_cents(as_of) <= 0:
        return "paid"
    if facts.written_off_on is not None and facts.written_off_on <= as_of:
        return "written_off"
    if facts.disputed_on is not None and facts.disputed_on <= as_of:
        return "disputed"
    legal = ""
    for a in facts.actions:
        if a.date > as_of:
            break
        if a.kind in ("legal_step", "court_filing") or a.step == "legal_action":
            legal = "litigation"
        elif a.kind == "handover":
            legal = "handed_over"
    if legal:
        return legal
    if plan_status(facts.plan, as_of) == "on_schedule":
        return "payment_plan"
    return _escalation_stage(facts, as_of, preventive_window)


@dataclass(frozen=True)
class DueStep:
    """A policy step for one invoice and the date it falls on (due when `on` <= as_of)."""

    step: Step
    on: dt.date


def _floor_date(
    facts: InvoiceFacts, as_of: dt.date, last_escalation: dt.date | None
) -> dt.date | None:
    """No step before this date: a pause, or a promise to pay not yet fallen due.

    `last_escalation`: the day of the highest step reached by `as_of` (escalation's second).
    """
    floor = None
    if facts.paused_until is not None:
        floor = facts.paused_until + ONE_DAY  # also once over: the step fell due the day after
    for a in facts.actions:
        if a.date > as_of:
            break
        if a.promise_date is not None and (last_escalation is None or a.date >= last_escalation):
            candidate = a.promise_date + ONE_DAY
            floor = candidate if floor is None else max(floor, candidate)
    return floor


# The steps of a policy for each kind of client, made once per policy (not once per invoice):
# keyed by the policy's id, the policy kept beside them so that id stays its own.
_APPLICABLE: dict[tuple[int, bool, bool], tuple[Policy, tuple[Step, ...]]] = {}
_DAYS: dict[int, dt.timedelta] = {}


def _applicable(policy: Policy, b2c: bool, flagged: bool) -> tuple[Step, ...]:
    """The policy's steps that concern a client of this kind and with these flags, in order."""
    key = (id(policy), b2c, flagged)
    found = _APPLICABLE.get(key)
    if found is not None and found[0] is policy:
        return found[1]
    if len(_APPLICABLE) > 256:  # policies edited again and again in one window session
        _APPLICABLE.clear()
    steps = tuple(s for s in policy.steps if s.applies_to(b2c, flagged))
    _APPLICABLE[key] = (policy, steps)
    return steps


def _days(n: int) -> dt.timedelta:
    """timedelta(days=n), each made once."""
    found = _DAYS.get(n)
    if found is None:
        found = _DAYS[n] = dt.timedelta(days=n)
    return found


def pending_steps(
    facts: InvoiceFacts, as_of: dt.date, policy: Policy, stage: str | None = None
) -> list[DueStep]:
    """The policy steps not yet done for this invoice, in order, each with its date.

    A step's date is its reference date plus offset; after a step actually done, the next
    keeps the policy's spacing from the day it was done (a reminder sent late pushes the next).
    Steps before the furthest one done are skipped. `stage`: the invoice's stage when the
    caller has it already (stage_of with the policy's window).
    """
    return list(_pending(facts, as_of, policy, stage))


def _pending(
    facts: InvoiceFacts, as_of: dt.date, policy: Policy, stage: str | None
) -> Iterator[DueStep]:
    """pending_steps one by one: the to-do stops at the first letter (not every step made)."""
    if stage is None:
        stage = stage_of(facts, as_of, policy.preventive_window_days)
    if stage in CLOSED or stage == "payment_plan":
        return
    steps = _applicable(policy, facts.b2c, facts.flagged)
    done: dict[str, dt.date] = {}
    for a in facts.actions:
        if a.date <= as_of and a.step:
            done.setdefault(a.step, a.date)
    level, level_on = escalation(facts, as_of)
    last_idx, anchor = -1, None
    for i, s in enumerate(steps):
        on_done = done.get(s.code)
        if on_done is None and level and ESCALATION_LEVELS.get(s.code, 99) <= level:
            on_done = level_on  # e.g. a formal notice recorded without its step code
        if on_done is not None:
            last_idx, anchor = i, (on_done, s)
    floor = _floor_date(facts, as_of, level_on)
    calls = [a.date for a in facts.actions if a.date <= as_of and a.kind in CALL_KINDS]
    for s in steps[last_idx + 1 :]:
        base = (facts.sent_date or facts.issue_date) if s.reference == "sent" else facts.due_date
        on = base + _days(s.offset_days)
        if anchor is not None and s.reference == "due" and anchor[1].reference == "due":
            on = max(on, anchor[0] + _days(s.offset_days - anchor[1].offset_days))
        if floor is not None:
            on = max(on, floor)
        if s.channel == "call" and any(
            d >= on - CALL_SLACK and (anchor is None or d >= anchor[0]) for d in calls
        ):
            continue  # a call noted around that date did the step, whatever its step code
        yield DueStep(s, on)


def _expired(item: DueStep, following: DueStep | None, facts: InvoiceFacts, as_of: dt.date) -> bool:
    """A step overtaken by events: a preventive step once due, a call once the next step is due."""
    s = item.step
    if s.reference == "due" and s.offset_days < 0 and as_of > facts.due_date:
        return True
    return s.channel == "call" and following is not None and following.on <= as_of


def next_actions(
    facts: InvoiceFacts, as_of: dt.date, policy: Policy, stage: str | None = None
) -> list[DueStep]:
    """The steps due on or before `as_of` and not done; letters strictly in order.

    `stage`: the invoice's stage when the caller has it already (stage_of with the policy's
    window).
    """
    pending = _pending(facts, as_of, policy, stage)
    due: list[DueStep] = []
    item = next(pending, None)
    while item is not None:
        following = next(pending, None)
        if not _expired(item, following, facts, as_of):
            if item.on <= as_of:
                due.append(item)
            if item.step.channel != "call":
                break  # a letter waits for the one before it
        item = following
    return due


def next_step(
    facts: InvoiceFacts, as_of: dt.date, policy: Policy, stage: str | None = None
) -> DueStep | None:
    """The first step still to do (due now or later), for the 'next action' column."""
    return first_step(pending_steps(facts, as_of, policy, stage), facts, as_of)


def first_step(pending: list[DueStep], facts: InvoiceFacts, as_of: dt.date) -> DueStep | None:
    """The first of the pending steps not overtaken by events (next_step's answer)."""
    for i, item in enumerate(pending):
        following = pending[i + 1] if i + 1 < len(pending) else None
        if not _expired(item, following, facts, as_of):
            return item
    return None


def stable_until(
    facts: InvoiceFacts,
    as_of: dt.date,
    policy: Policy,
    expires_on: dt.date | None,
    pending: list[DueStep] | None = None,
) -> dt.date:
    """The last day on which the invoice's stage row as of `as_of` stays the same, if nothing
    new is recorded (its days late aside: they follow the date). `dt.date.max` when forever.

    Every comparison the stage, the next step, the plan and the prescription make with the
    date is with one of the dates below or the day after it (a payment counts from its day, a
    step is late the day after its date, an instalment is missed the day after its grace
    days...): the row can only change on one of them, so it holds until the day before the
    first one after `as_of`. `pending`: the invoice's pending_steps as of `as_of`, when the
    caller has them. Used by the stage cache (models.store.stage_cache); its property
    test compares cached and fresh rows at every date of the span.
    """
    dates = [
        facts.issue_date,
        facts.due_date,
        facts.due_date - _days(policy.preventive_window_days),
    ]
    for d in (
        facts.sent_date,
        facts.disputed_on,
        facts.written_off_on,
        facts.paused_until,
        facts.completed_on,
        facts.stated_due,
        expires_on,
    ):
        if d is not None:
            dates.append(d)
    dates.extend(d for d, _ in facts.payments)
    for a in facts.actions:
        dates.append(a.date)
        if a.promise_date is not None:
            dates.append(a.promise_date)
    plan = facts.plan
    if plan is not None:
        dates.append(plan.agreed_on)
        if plan.cancelled_on is not None:
            dates.append(plan.cancelled_on)
        for due, _ in plan.instalments:
            dates += (due, due + _days(PLAN_GRACE_DAYS))
        dates.extend(d for d, _ in plan.payments)
    if pending is None:
        pending = pending_steps(facts, as_of, policy)
    dates.extend(item.on for item in pending)
    end = dt.date.max
    for d in dates:
        if d > as_of:  # the date itself, the first day a "d <= date" test changes
            end = min(end, d)
        elif d == as_of and d < dt.date.max:  # a "d < date" test changes the day after
            end = min(end, d + ONE_DAY)
    # d + 1 for d > as_of is never earlier than d itself: only d == as_of needs its next day.
    return end if end == dt.date.max else end - ONE_DAY
