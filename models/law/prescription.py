"""Prescription (limitation) of a claim, computed from the facts: start, interruptions, expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from models.law.stages import InvoiceFacts

# C. conso. L218-2: a professional's action against a consumer for goods or services is
# barred after 2 years. C. com. L110-4 (between traders) and C. civ. 2224: 5 years.
YEARS_B2C = 2
YEARS_B2B = 5
# When the to-do warns before the expiry (days ahead): a first alert, then a last one.
ALERT_DAYS = (90, 30)

# History kinds that interrupt prescription and restart it (C. civ. 2231: a new period of the
# same length). C. civ. 2240: the debtor's acknowledgement (a partial payment or a signed
# payment plan are ones); C. civ. 2241: a claim brought before a court.
ACKNOWLEDGEMENT = "acknowledgement"
COURT_FILING = "court_filing"
PLAN_AGREEMENT = "agreement"
INTERRUPTING = frozenset({ACKNOWLEDGEMENT, COURT_FILING, PLAN_AGREEMENT})
INTERRUPTION_LABELS = {
    "payment": "paiement partiel",
    PLAN_AGREEMENT: "échéancier accepté",
    ACKNOWLEDGEMENT: "reconnaissance de dette",
    COURT_FILING: "demande en justice",
}


def add_years(d: dt.date, years: int) -> dt.date:
    """`d` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class Interruption:
    """One fact that restarted the period: its date, its kind and the French word for it."""

    on: dt.date
    kind: str  # "payment", "agreement", "acknowledgement" or "court_filing"

    @property
    def label(self) -> str:
        """'paiement partiel', 'reconnaissance de dette'..."""
        return INTERRUPTION_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Prescription:
    """Where a claim stands against prescription as of a date.

    `expires_on` is the last day an action can still be brought (C. civ. 2229: prescription is
    acquired once the last day of the term has passed); None while a court claim is pending
    (C. civ. 2242: its interruption lasts until the proceedings end).
    """

    start: dt.date
    start_reason: str  # "échéance" or "fin de la prestation"
    years: int
    article: str
    interruptions: tuple[Interruption, ...]
    expires_on: dt.date | None
    as_of: dt.date

    @property
    def pending_in_court(self) -> bool:
        """A court claim was filed before the expiry: nothing runs until it ends."""
        return self.expires_on is None

    @property
    def time_barred(self) -> bool:
        """The expiry date has passed as of `as_of`."""
        return self.expires_on is not None and self.as_of > self.expires_on

    def days_left(self) -> int | None:
        """Days from `as_of` to the expiry (negative once barred); None while in court."""
        return None if self.expires_on is None else (self.expires_on - self.as_of).days

    def text(self) -> str:
        """One French sentence: 'Prescription le 01/06/2027 (2 ans, C. conso. L218-2) ...'."""
        if self.expires_on is None:
            return "Prescription interrompue par la demande en justice tant que l'instance dure"
        head = (
            f"Prescrite depuis le {self.expires_on + dt.timedelta(days=1):%d/%m/%Y}"
            if self.time_barred
            else f"Prescription le {self.expires_on:%d/%m/%Y}"
        )
        why = f"{self.years} ans, {self.article}"
        if self.interruptions:
            last = self.interruptions[-1]
            why += f", interrompue le {last.on:%d/%m/%Y} ({last.label})"
        else:
            why += f", depuis {self.start_reason} du {self.start:%d/%m/%Y}"
        return f"{head} ({why})"


def _events(facts: InvoiceFacts, as_of: dt.date) -> list[Interruption]:
    """Every fact up to `as_of` that may interrupt prescription, by date."""
    found = [Interruption(d, "payment") for d, cents in facts.payments if d <= as_of and cents > 0]
    for a in facts.actions:
        if a.date > as_of:
            break
        if a.kind in INTERRUPTING:
            found.append(Interruption(a.date, a.kind))
    plan = facts.plan
    if plan is not None and plan.agreed_on <= as_of:
        found.append(Interruption(plan.agreed_on, PLAN_AGREEMENT))
    if len(found) < 2:  # most open invoices: nothing or one fact, nothing to sort
        return found
    unique = {(e.on, e.kind): e for e in found}
    return sorted(unique.values(), key=lambda e: e.on)


def prescription(facts: InvoiceFacts, as_of: dt.date) -> Prescription:
    """The claim's prescription as of `as_of`, from its start and what interrupted it.

    Start: the due date; for a consumer service whose completion date is recorded, that date
    (the claim arises when the work is done). Each interruption before the expiry restarts a
    period of the same length from its own date (C. civ. 2231, 2240, 2241); a formal notice
    does not. An act after the expiry revives nothing here: renouncing an acquired prescription
    (C. civ. 2250, 2251) is for the user to judge, not for the software to presume.
    """
    if facts.b2c:
        years, article = YEARS_B2C, "C. conso. L218-2"
    else:
        years, article = YEARS_B2B, "C. com. L110-4"
    if facts.b2c and facts.completed_on is not None:
        start, reason = facts.completed_on, "la fin de la prestation"
    else:
        # The due date in force: the legal maximum when the user counts from it (the earlier
        # date, so the alert can only come sooner than the stated term would give).
        start, reason = facts.due_date, "l'échéance"
    expires: dt.date | None = add_years(start, years)
    kept: list[Interruption] = []
    for event in _events(facts, as_of):
        if expires is None or event.on > expires:
            break
        if event.kind == COURT_FILING:
            # C. civ. 2241, 2242: interrupted until the proceedings end.
            kept.append(event)
            expires = None
            break
        restarted = add_years(event.on, years)
        if restarted > expires:  # an act before the start does not shorten the period
            kept.append(event)
            expires = restarted
    return Prescription(start, reason, years, article, tuple(kept), expires, as_of)


def alert_due(p: Prescription) -> tuple[dt.date, int] | None:
    """The to-do alert in force as of `p.as_of`: (its date, days ahead), None before any.

    90 days before the expiry, then 30 days before (the later one replaces the earlier); a
    claim already barred keeps its last alert.
    """
    if p.expires_on is None:
        return None
    found = None
    for days in ALERT_DAYS:
        on = p.expires_on - dt.timedelta(days=days)
        if on <= p.as_of:
            found = (on, days)
    return found


def time_barred(facts: Iterable[InvoiceFacts], as_of: dt.date) -> list[tuple[str, Prescription]]:
    """The invoices among `facts` whose claim is time-barred as of `as_of`, with the reason."""
    out = []
    for f in facts:
        claim = prescription(f, as_of)
        if claim.time_barred:
            out.append((f.number, claim))
    return out
