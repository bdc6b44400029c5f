"""Today's to-do: the policy steps due, promises and instalments fallen due, limitation alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from models.collation import sort_key
from models.law.policy import CHANNEL_LABELS, Policy
from models.law.prescription import Prescription, alert_due, prescription
from models.law.stages import (
    PLAN_GRACE_DAYS,
    STAGES,
    DueStep,
    InvoiceFacts,
    first_step,
    next_actions,
    pending_steps,
    plan_status,
    stage_of,
)


@dataclass(slots=True)
class StageRow:
    """One invoice's line in the stages listing (CLI `stages`, invoice table)."""

    invoice_id: int
    invoice: str
    client_id: int
    client: str
    stage: str
    balance_cents: int
    total_cents: int
    issue_date: dt.date
    due: dt.date
    days_late: int
    next_action: str
    next_action_label: str
    next_action_on: dt.date | None
    b2c: bool
    subject: str = ""
    # Prescription (models.law.prescription): the last day to act, None while in court or
    # for a settled invoice; `time_barred` once that day has passed.
    prescription_on: dt.date | None = None
    time_barred: bool = False
    # Archived (the invoice or its client): out of the usual lists, shown greyed on demand.
    archived: bool = False


@dataclass
class TodoItem:
    """Something to do on or before a date, for one client and one or more invoices."""

    on: dt.date
    action: str  # "call" for calls, else the step code ("reminder_2", "formal_notice", ...)
    step: str
    label: str
    channel: str
    client_id: int
    client: str
    invoices: list[str] = field(default_factory=list)
    invoice_ids: list[int] = field(default_factory=list)
    # What the client's record lacks for this step's channel ("adresse postale incomplète
    # (ville)", "pas d'adresse e-mail"), so the to-do marks it before a letter is made.
    missing: str = ""
    # A message of this step sent earlier whose outcome is unknown (the server's answer was
    # lost): it is not sent again until the user says whether it went.
    unknown_mail: str = ""


def stage_rows(
    facts: Iterable[InvoiceFacts],
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    pending: dict[int, list[DueStep]] | None = None,
) -> list[StageRow]:
    """The stage, balance, lateness and next step of each invoice as of a date.

    `pending`, when given, receives each open invoice's pending steps (the stage cache needs
    their dates: they are computed once).
    """
    rows = []
    for f in facts:
        if f.issue_date > as_of:
            continue
        balance = f.balance_cents(as_of)
        code, label, on = "", "", None
        limit: dt.date | None = None
        barred = False
        if balance <= 0:  # what stage_of says first; most of a database, so said here at once
            stage, days_late = "paid", 0
        else:
            policy = policy_for(f)
            stage = stage_of(f, as_of, policy.preventive_window_days)
            days_late = f.days_late(as_of)
            nxt = None
            if stage not in ("paid", "written_off"):
                steps = pending_steps(f, as_of, policy, stage)
                nxt = first_step(steps, f, as_of)
                if pending is not None:
                    pending[f.id] = steps
            if nxt is not None:
                code, label, on = nxt.step.code, nxt.step.label, nxt.on
            elif stage == "payment_plan" and f.plan is not None:
                upcoming = [d for d, _ in f.plan.instalments if d >= as_of]
                if upcoming:
                    code, label, on = "instalment", "Échéance du plan", upcoming[0]
            if stage != "written_off":
                claim = prescription(f, as_of)
                limit, barred = claim.expires_on, claim.time_barred
        rows.append(
            StageRow(
                f.id,
                f.number,
                f.client_id,
                f.client,
                stage,
                balance,
                f.total_cents,
                f.issue_date,
                f.due_date,
                days_late,
                code,
                label,
                on,
                f.b2c,
                f.subject,
                limit,
                barred,
            )
        )
    return rows


def todo_items(
    facts: Iterable[InvoiceFacts], as_of: dt.date, policy_for: Callable[[InvoiceFacts], Policy]
) -> list[TodoItem]:
    """Everything due on or before `as_of`, grouped per client and step, oldest first.

    A step for a time-barred claim stays (the user decides) but its label says which invoices
    are barred (C. civ. 2219: the debtor can refuse to pay them).
    """
    grouped: dict[tuple[int, str], TodoItem] = {}
    barred: dict[tuple[int, str], list[str]] = {}
    claim: Prescription | None = None

    def add(f: InvoiceFacts, on: dt.date, action: str, step: str, label: str, channel: str) -> None:
        item = grouped.get((f.client_id, step))
        if item is None:
            item = TodoItem(on, action, step, label, channel, f.client_id, f.client)
            grouped[(f.client_id, step)] = item
        item.on = min(item.on, on)
        if f.number not in item.invoices:
            item.invoices.append(f.number)
            item.invoice_ids.append(f.id)
            if claim is not None and claim.time_barred and step != "limitation":
                barred.setdefault((f.client_id, step), []).append(f.number)

    for f in facts:
        if f.issue_date > as_of or f.balance_cents(as_of) <= 0:
            continue
        policy = policy_for(f)
        stage = stage_of(f, as_of, policy.preventive_window_days)
        if stage == "written_off":
            continue
        claim = prescription(f, as_of)
        for due in next_actions(f, as_of, policy, stage):
            action = "call" if due.step.channel == "call" else due.step.code
            add(f, due.on, action, due.step.code, due.step.label, due.step.channel)
        _promises(f, as_of, add)
        if f.plan is not None and plan_status(f.plan, as_of) == "on_schedule":
            _instalments(f, as_of, add)
        if stage != "litigation":
            _limitation(f, claim, add)
    for key, numbers in barred.items():
        grouped[key].label += f" — créance prescrite : {', '.join(numbers)}"
    names = {t.client: sort_key(t.client) for t in grouped.values()}  # one key per client
    return sorted(grouped.values(), key=lambda t: (t.on, names[t.client], t.step))


def _limitation(f: InvoiceFacts, claim: Prescription, add: Callable[..., None]) -> None:
    """Prescription alerts 90, then 30 days before the expiry; a barred claim says so."""
    alert = alert_due(claim)
    if alert is None or claim.expires_on is None:
        return
    on, days = alert
    limit = claim.expires_on
    if claim.time_barred:
        label = f"Prescrite depuis le {limit + dt.timedelta(days=1):%d/%m/%Y}"
    else:
        label = f"Prescription le {limit:%d/%m/%Y} (moins de {days} jours)"
    add(f, on, "limitation", "limitation", label, "dossier")


def _promises(f: InvoiceFacts, as_of: dt.date, add: Callable[..., None]) -> None:
    """A promise to pay fallen due and not followed up since: call to check the payment."""
    promise = None
    for a in f.actions:
        if a.date > as_of:
            break
        if a.promise_date is not None:
            promise = a
        elif (
            promise is not None
            and promise.promise_date is not None
            and (a.date >= promise.promise_date)
        ):
            promise = None  # followed up on or after the promised day
    if promise is not None and promise.promise_date is not None and promise.promise_date <= as_of:
        add(f, promise.promise_date, "call", "promise", "Promesse de paiement échue", "call")


def _instalments(f: InvoiceFacts, as_of: dt.date, add: Callable[..., None]) -> None:
    """An instalment fallen due and not yet covered by payments since the agreement."""
    assert f.plan is not None
    paid = sum(c for d, c in f.plan.payments if d <= as_of)
    owed = 0
    for due, cents in f.plan.instalments:
        owed += cents
        if due <= as_of and paid < owed:
            add(f, due, "instalment", "instalment", "Échéance de l'échéancier à vérifier", "call")
            break


def stage_label(code: str) -> str:
    """The French name of a stage code."""
    info = STAGES.get(code)
    return info.label if info else code


def channel_label(code: str) -> str:
    """The French name of a channel code."""
    return CHANNEL_LABELS.get(code, code)


__all__ = ["PLAN_GRACE_DAYS", "StageRow", "TodoItem", "stage_rows", "todo_items"]
