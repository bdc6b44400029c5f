"""The statement of account (décompte): what a document states, computed once.

Every letter, the penalty statement, the payment plan and the wizards print from one
`Statement`: its lines are the invoices, its totals are sums of those lines, and the total
asked for is the sum of the rows the totals block prints (`claimed_rows`). Nothing else in the
program adds up money for a document, so the text, the tables and the QR code cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from models.law.interest import (
    FLOOR,
    InterestResult,
    PenaltyPeriod,
    compute_interest,
    contract_rate,
)
from models.law.rates import RateTable
from models.law.stages import InvoiceFacts
from models.money import format_rate, from_cents

ZERO = Decimal("0.00")

# Letters whose total asks for the penalties and the indemnity (C. com. L441-10 II, D441-5):
# the last reminder, the formal notice, the plan (unless waived) and the penalty statement.
# The second reminder only recalls them ("nous nous réservons le droit de vous réclamer"),
# so its total is the principal, and its totals block prints the principal alone.
CLAIMS_PENALTIES = frozenset({"reminder_3", "formal_notice", "payment_plan", "penalty_statement"})

# The rows a totals block may print, in order; labels live in reports/.
PRINCIPAL, PENALTIES, INDEMNITY = "principal", "penalties", "indemnity"


@dataclass(frozen=True)
class StatementLine:
    """One invoice of a statement: amounts incl. tax in euros, as of the statement's date.

    `days_late` counts from the day after the due date (0 when not late); `penalties` is the
    sum of the rounded `periods`; `indemnity` is 40 € for a late B2B invoice, else 0.
    """

    number: str
    issue_date: dt.date
    due_date: dt.date
    days_late: int
    amount: Decimal
    paid: Decimal
    balance: Decimal
    periods: tuple[PenaltyPeriod, ...] = ()
    penalties: Decimal = ZERO
    indemnity: Decimal = ZERO
    upcoming: bool = False  # not due yet: listed for the record ("à échoir"), not claimed


def _sum(values: Sequence[Decimal] | tuple[Decimal, ...]) -> Decimal:
    return sum(values, ZERO)


@dataclass(frozen=True)
class Statement:
    """The lines of a document and what it asks for; every total is a sum of lines."""

    lines: tuple[StatementLine, ...] = ()
    b2c: bool = False
    claims_principal: bool = True
    claims_penalties: bool = False
    penalties_waived: bool = False  # a payment plan that waives them while it is honoured
    rate: Decimal | None = None  # percent a year now applied to penalties or interest
    rate_basis: str = ""  # "taux de refinancement de la BCE majoré de 10 points"
    warnings: tuple[str, ...] = ()  # said by the rate table (a half-year without its rate...)

    @property
    def rate_text(self) -> str:
        """'12,15 % l'an (taux de refinancement de la BCE majoré de 10 points)'."""
        if self.rate is None:
            return ""
        return f"{format_rate(self.rate)} l'an ({self.rate_basis})"

    @property
    def amount(self) -> Decimal:
        """Sum of the invoices' amounts incl. tax."""
        return _sum([x.amount for x in self.lines])

    @property
    def paid(self) -> Decimal:
        """Sum of what was paid on them."""
        return _sum([x.paid for x in self.lines])

    @property
    def balance(self) -> Decimal:
        """Sum of the balances of every line, those not due yet included (the table's total)."""
        return _sum([x.balance for x in self.lines])

    @property
    def principal(self) -> Decimal:
        """Sum of the balances owed now (the principal claimed); lines not due yet are not."""
        return _sum([x.balance for x in self.lines if not x.upcoming])

    @property
    def claimed_lines(self) -> tuple[StatementLine, ...]:
        """The lines the letter asks payment for (all of them when none is due yet)."""
        due = tuple(x for x in self.lines if not x.upcoming)
        return due or self.lines

    @property
    def penalties(self) -> Decimal:
        """Sum of the invoices' penalties (B2B) or legal interest (B2C)."""
        return _sum([x.penalties for x in self.lines])

    @property
    def indemnity(self) -> Decimal:
        """Sum of the fixed indemnities (B2B only)."""
        return _sum([x.indemnity for x in self.lines])

    def claimed_rows(self) -> tuple[tuple[str, Decimal], ...]:
        """The rows of the totals block, (code, amount), each a sum of lines; total = their sum."""
        rows: list[tuple[str, Decimal]] = []
        if self.claims_principal:
            rows.append((PRINCIPAL, self.principal))
        if self.claims_penalties:
            # A consumer owes interest only from the formal notice (C. civ. 1231-6): no row at 0.
            if not self.b2c or self.penalties > 0:
                rows.append((PENALTIES, self.penalties))
            if self.indemnity > 0:  # C. com. D441-5: B2B only (CPCE L111-8 for consumers)
                rows.append((INDEMNITY, self.indemnity))
        return tuple(rows)

    def line_total(self, line: StatementLine) -> Decimal:
        """What the letter asks for this invoice; the line totals add up to `total`."""
        codes = {code for code, _ in self.claimed_rows()}
        if line.upcoming:
            return ZERO
        return (
            (line.balance if PRINCIPAL in codes else ZERO)
            + (line.penalties if PENALTIES in codes else ZERO)
            + (line.indemnity if INDEMNITY in codes else ZERO)
        )

    @property
    def total(self) -> Decimal:
        """What the document asks for: the sum of the claimed rows, to the cent."""
        return _sum([amount for _, amount in self.claimed_rows()])

    @property
    def total_cents(self) -> int:
        """The total in cents (instalments and the QR code work in cents)."""
        return int(self.total * 100)


def current_rate(
    results: Sequence[InterestResult],
    rates: RateTable,
    as_of: dt.date,
    b2c: bool,
    contractual: Decimal | None,
) -> tuple[Decimal, str]:
    """The rate now applied (percent a year) and what it is: the last period's, else the table's."""
    periods = [p for r in results for p in r.periods]
    row = rates.lookup(as_of).row
    if b2c:
        return (periods[-1].rate if periods else row.legal_other), "taux de l'intérêt légal"
    if contractual is not None:
        # C. com. L441-10 II: a clause may not fix less than 3 x the legal rate; the floor
        # applies in its place (models/law/interest.py), and the letter says so (the one
        # place this wording is written).
        if periods:
            rate, why = periods[-1].rate, periods[-1].basis
        else:
            rate, why, _ = contract_rate(contractual, row.legal_other)
        if why == FLOOR:
            return rate, (
                "minimum légal de 3 fois le taux de l'intérêt légal, C. com. L441-10, "
                f"nos conditions générales prévoyant {format_rate(contractual)}"
            )
        return rate, "taux prévu à nos conditions générales de vente"
    rate = periods[-1].rate if periods else row.default_penalty
    return rate, "taux de refinancement de la BCE majoré de 10 points"


def statement_of_account(
    facts: Sequence[InvoiceFacts],
    kind: str,
    as_of: dt.date,
    rates: RateTable,
    contractual: Decimal | None = None,
    *,
    b2c: bool = False,
    waive_penalties: bool = False,
) -> Statement:
    """The décompte of these invoices for a letter of `kind`, as of a date.

    Penalties and interest come from `compute_interest` (C. com. L441-10 II; C. civ. 1231-6 for
    a consumer), rounded per half-year segment, summed per invoice, then over the invoices.
    `waive_penalties` (payment plan only): the plan covers the principal alone.
    """
    results = [compute_interest(f, as_of, rates, contractual) for f in facts]
    lines = tuple(
        StatementLine(
            number=f.number,
            issue_date=f.issue_date,
            due_date=f.due_date,
            days_late=max(0, (as_of - f.due_date).days),
            amount=from_cents(f.total_cents),
            paid=from_cents(f.paid_cents(as_of)),
            balance=from_cents(max(0, f.balance_cents(as_of))),
            periods=r.periods,
            penalties=r.penalties,
            indemnity=ZERO if b2c else r.indemnity,
            # A stronger letter may list an invoice not due yet (one letter per client): it is
            # shown for the record and not claimed; a preventive letter is about such invoices.
            upcoming=kind != "preventive" and f.due_date >= as_of,
        )
        for f, r in zip(facts, results, strict=True)
    )
    waived = waive_penalties and kind == "payment_plan"
    rate, basis = current_rate(results, rates, as_of, b2c, contractual)
    return Statement(
        lines=lines,
        b2c=b2c,
        claims_principal=kind != "penalty_statement",
        claims_penalties=kind in CLAIMS_PENALTIES and not waived,
        penalties_waived=waived,
        rate=rate,
        rate_basis=basis,
        warnings=tuple(dict.fromkeys(w for r in results for w in r.warnings)),
    )
