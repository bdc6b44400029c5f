"""Late-payment penalties (B2B), the 40 EUR indemnity, and legal interest (B2C)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models.law.rates import RateTable, half_year_label, next_half_year
from models.law.stages import InvoiceFacts
from models.money import format_rate, from_cents, quantize

ONE_DAY = dt.timedelta(days=1)
DAYS_IN_YEAR = Decimal(365)
# C. com. D441-5: fixed indemnity for recovery costs, per late invoice, B2B only.
INDEMNITY = Decimal("40.00")
ZERO = Decimal("0.00")


# What set a period's rate (PenaltyPeriod.basis).
DEFAULT = "default"  # ECB + 10 points, no clause (C. com. L441-10 II)
CONTRACT = "contract"  # the rate of the terms of sale, at or above the floor
FLOOR = "floor"  # 3 x the legal rate, the clause being lower (C. com. L441-10 II)
LEGAL = "legal"  # legal interest, consumer (C. civ. 1231-6)


@dataclass(frozen=True)
class PenaltyPeriod:
    """A stretch of days at one base and one rate; `end` inclusive; amount rounded to the cent.

    `basis` says what set the rate (DEFAULT, CONTRACT, FLOOR or LEGAL) and `note` why, in French.
    """

    start: dt.date
    end: dt.date
    days: int
    base: Decimal
    rate: Decimal  # percent per year
    amount: Decimal
    basis: str = DEFAULT
    note: str = ""


@dataclass(frozen=True)
class InterestResult:
    """What an invoice owes on top of its principal as of a date, with the breakdown."""

    invoice: str
    as_of: dt.date
    principal: Decimal  # incl. tax still unpaid as of as_of
    penalties: Decimal  # sum of the rounded periods
    indemnity: Decimal
    total_due: Decimal
    periods: tuple[PenaltyPeriod, ...]
    basis: str  # "b2b_default", "b2b_contract", "b2c_legal", "none"
    rate_text: str  # how the rate was chosen, in French, for letters
    warnings: tuple[str, ...]
    start: dt.date | None = None  # first day counted (None: nothing runs)


def contract_rate(contractual: Decimal, legal_other: Decimal) -> tuple[Decimal, str, str]:
    """The rate a contractual clause yields in one half-year: (rate, basis, note in French).

    C. com. L441-10 II: the rate set by the terms of sale may not be lower than three times the
    legal interest rate ("other cases" column, the creditor being a business), so each
    half-year uses max(clause, 3 x that half-year's legal rate).
    """
    floor = 3 * legal_other
    if contractual < floor:
        return (
            floor,
            FLOOR,
            f"taux contractuel {format_rate(contractual)} inférieur au minimum légal : "
            f"3 × {format_rate(legal_other)} = {format_rate(floor)} appliqué "
            "(C. com. L441-10 II)",
        )
    return (
        contractual,
        CONTRACT,
        f"taux contractuel {format_rate(contractual)}, au moins égal au minimum légal de "
        f"{format_rate(floor)} (3 × {format_rate(legal_other)}, C. com. L441-10 II)",
    )


def _rate_for(
    day: dt.date, basis: str, rates: RateTable, contractual: Decimal | None, warnings: list[str]
) -> tuple[Decimal, str, str]:
    """The yearly rate in percent for `day`, what set it and why; notes a missing half-year."""
    found = rates.lookup(day)
    row = found.row
    if not found.exact:
        msg = (
            f"taux du {half_year_label(found.wanted)} non renseigné : le dernier taux connu "
            f"({half_year_label(row.half_year)}) est utilisé"
        )
        if msg not in warnings:
            warnings.append(msg)
    period = half_year_label(row.half_year)
    if basis == "b2c_legal":
        note = f"taux de l'intérêt légal du {period} (C. civ. 1231-6)"
        return row.legal_other, LEGAL, note
    if basis == "b2b_contract" and contractual is not None:
        return contract_rate(contractual, row.legal_other)
    # C. com. L441-10 II: the floor of 3 x the legal rate bounds what a clause may set; the
    # default rate (ECB + 10 points) applies as the article writes it, even when lower
    # (2024-H1: 14,50 % < 3 x 5,07 % = 15,21 %).
    note = f"taux BCE {format_rate(row.ecb_refi)} + 10 points ({period}, C. com. L441-10 II)"
    return row.default_penalty, DEFAULT, note


def _breakpoints(facts: InvoiceFacts, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days on which the base or the rate may change: half-year starts, day after a payment."""
    points = {start}
    d = next_half_year(start)
    while d <= end:
        points.add(d)
        d = next_half_year(d)
    for pay_day, _ in facts.payments:
        if start < pay_day + ONE_DAY <= end:
            points.add(pay_day + ONE_DAY)
    return sorted(points)


def compute_interest(
    facts: InvoiceFacts,
    as_of: dt.date,
    rates: RateTable,
    contractual_rate: Decimal | None = None,
) -> InterestResult:
    """Penalties or legal interest on an invoice as of `as_of` (inclusive), with the indemnity.

    B2B (C. com. L441-10 II): from the day after the due date, no reminder needed, at the
    contractual rate or else ECB + 10 points of each half-year; simple interest, days/365, on
    the amount incl. tax unpaid that day (a payment lowers the base from the next day). Each
    period is rounded half-up to the cent and the total is the sum of the rounded periods.
    A contractual rate never goes below 3 x the legal rate of the half-year (`contract_rate`).
    B2C (C. civ. 1231-6, 1344-1): legal rate ("other cases") from the day after the later of
    the formal notice and the due date (no interest on a sum not yet owed); days/365 as well;
    no 40 EUR indemnity (CPCE L111-8).
    """
    warnings: list[str] = []
    principal = from_cents(max(0, facts.balance_cents(as_of)))
    if facts.b2c:
        notice = facts.notice_date(as_of)
        basis = "b2c_legal" if notice is not None else "none"
        # C. civ. 1231-6, 1344-1: interest from the notice, but never on a sum not yet due.
        start = max(notice, facts.due_date) + ONE_DAY if notice is not None else None
    else:
        basis = "b2b_contract" if contractual_rate is not None else "b2b_default"
        start = facts.due_date + ONE_DAY
    paid_on = facts.paid_on()
    end = as_of if paid_on is None else min(as_of, paid_on)
    periods: list[PenaltyPeriod] = []
    if start is not None and start <= end:
        points = _breakpoints(facts, start, end)
        for i, seg_start in enumerate(points):
            seg_end = points[i + 1] - ONE_DAY if i + 1 < len(points) else end
            # The base on seg_start: payments received up to the day before count.
            base_cents = facts.balance_cents(seg_start - ONE_DAY)
            if base_cents <= 0:
                continue
            rate, why, note = _rate_for(seg_start, basis, rates, contractual_rate, warnings)
            days = (seg_end - seg_start).days + 1
            base = from_cents(base_cents)
            amount = quantize(base * rate / 100 * days / DAYS_IN_YEAR)
            periods.append(PenaltyPeriod(seg_start, seg_end, days, base, rate, amount, why, note))
    penalties = sum((p.amount for p in periods), ZERO)
    late = as_of > facts.due_date and (paid_on is None or paid_on > facts.due_date)
    indemnity = INDEMNITY if late and not facts.b2c else ZERO
    return InterestResult(
        invoice=facts.number,
        as_of=as_of,
        principal=principal,
        penalties=penalties,
        indemnity=indemnity,
        total_due=principal + penalties + indemnity,
        periods=tuple(periods),
        basis=basis,
        rate_text=rate_text(basis, periods, contractual_rate),
        warnings=tuple(warnings),
        start=start,
    )


def rate_text(basis: str, periods: list[PenaltyPeriod], contractual: Decimal | None) -> str:
    """How the rate was set, in French, for a letter: 'taux BCE + 10 points (12,15 %)'."""
    shown = ", ".join(dict.fromkeys(format_rate(p.rate) for p in periods))
    if basis == "b2b_contract" and contractual is not None:
        if any(p.basis == FLOOR for p in periods):
            # C. com. L441-10 II: the clause is replaced by the floor where it is lower.
            return (
                f"taux contractuel de {format_rate(contractual)} l'an porté au minimum légal de "
                f"trois fois le taux de l'intérêt légal ({shown})"
            )
        return f"taux contractuel de {format_rate(contractual)} l'an"
    if basis == "b2b_default":
        suffix = f" ({shown})" if shown else ""
        return f"taux de refinancement de la BCE majoré de 10 points{suffix}"
    if basis == "b2c_legal":
        suffix = f" ({shown})" if shown else ""
        return f"taux de l'intérêt légal{suffix}"
    return ""
