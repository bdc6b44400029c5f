"""Aged balance (balance âgée): outstanding amounts per client by days past due, and DSO."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SQLAlchemy only when given its connection: `aged-balance` on a file skips it
    from sqlalchemy.engine import Connection

from models.collation import sort_key
from models.money import from_cents

DEFAULT_BOUNDS = (30, 60, 90)
DSO_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Buckets:
    """Upper bounds of the overdue buckets in days, ascending; (30, 60, 90) by default.

    Buckets are: not due (0 days or fewer past due), 1-30, 31-60, 61-90, over 90.
    """

    bounds: tuple[int, ...] = DEFAULT_BOUNDS

    def keys(self) -> tuple[str, ...]:
        """JSON keys: 'not_due', '1_30', '31_60', '61_90', 'over_90' for the default bounds."""
        keys = ["not_due"]
        low = 1
        for high in self.bounds:
            keys.append(f"{low}_{high}")
            low = high + 1
        keys.append(f"over_{self.bounds[-1]}")
        return tuple(keys)

    def labels(self) -> tuple[str, ...]:
        """French column headings: 'Non échu', '1-30 j', ..., '> 90 j'."""
        labels = ["Non échu"]
        low = 1
        for high in self.bounds:
            labels.append(f"{low}-{high} j")
            low = high + 1
        labels.append(f"> {self.bounds[-1]} j")
        return tuple(labels)

    def index(self, days_late: int) -> int:
        """The bucket of an invoice `days_late` days past due (0 = not due)."""
        if days_late <= 0:
            return 0
        for i, high in enumerate(self.bounds):
            if days_late <= high:
                return i + 1
        return len(self.bounds) + 1


@dataclass(frozen=True, slots=True)
class AgedRow:
    """One client's line: amounts per bucket (incl. tax), total, overdue, DSO.

    Kept in cents; the euro amounts are made when read (10,000 rows, few of them shown).
    """

    client_id: int
    client: str
    cents: tuple[int, ...]  # one per bucket, in Buckets.keys() order
    oldest_due: dt.date | None  # oldest due date among overdue invoices
    dso: Decimal | None  # days; None when nothing was invoiced in the DSO window
    invoices: int  # open invoices counted

    @property
    def amounts(self) -> tuple[Decimal, ...]:
        """Euros per bucket."""
        return tuple(from_cents(c) for c in self.cents)

    @property
    def total_cents(self) -> int:
        """Everything the client owes, in cents."""
        return sum(self.cents)

    @property
    def overdue_cents(self) -> int:
        """What is past due (every bucket but "not due"), in cents."""
        return sum(self.cents[1:])

    @property
    def total(self) -> Decimal:
        """Everything the client owes."""
        return from_cents(self.total_cents)

    @property
    def overdue(self) -> Decimal:
        """What is past due (every bucket but "not due")."""
        return from_cents(self.overdue_cents)


@dataclass(frozen=True)
class AgedBalance:
    """The aged balance as of a date: client rows sorted by name, and the totals row."""

    as_of: dt.date
    buckets: Buckets
    rows: tuple[AgedRow, ...]
    totals: tuple[Decimal, ...]
    total: Decimal
    overdue: Decimal
    dso: Decimal | None


def _days_late_sql(dialect: str) -> str:
    """Days between the as-of date and the due date, in the database's own date arithmetic."""
    if dialect == "sqlite":
        return "CAST(julianday(:as_of) - julianday(i.due_date) AS INTEGER)"
    return "(CAST(:as_of AS DATE) - i.due_date)"


Query = Callable[[str, Mapping[str, str]], Sequence[Sequence[Any]]]


def _query(conn: Connection | sqlite3.Connection) -> tuple[str, Query]:
    """(dialect, run a statement with :named parameters) for either kind of connection."""
    if isinstance(conn, sqlite3.Connection):  # the light read path (models.store.quick)
        return "sqlite", lambda sql, params: conn.execute(sql, params).fetchall()
    from sqlalchemy import text

    sa = conn
    return sa.dialect.name, lambda sql, params: sa.execute(text(sql), params).all()


def compute_aged_balance(
    conn: Connection | sqlite3.Connection, as_of: dt.date, buckets: Buckets = Buckets()
) -> AgedBalance:
    """The aged balance with two SQL aggregates (open amounts per bucket, sales for DSO).

    An invoice counts when issued on or before `as_of`, not archived, not written off by then,
    with a positive balance (incl. tax, less deposit and payments received by `as_of`). An invoice
    due on `as_of` is not due. DSO = outstanding / sales incl. tax of the last 90 days x 90.
    """
    dialect, run = _query(conn)
    days = _days_late_sql(dialect)
    cases = ["SUM(CASE WHEN d <= 0 THEN bal ELSE 0 END)"]
    low = 1
    for high in buckets.bounds:
        cases.append(f"SUM(CASE WHEN d BETWEEN {int(low)} AND {int(high)} THEN bal ELSE 0 END)")
        low = high + 1
    cases.append(f"SUM(CASE WHEN d > {int(buckets.bounds[-1])} THEN bal ELSE 0 END)")
    sql = (
        "SELECT client_id, name, " + ", ".join(cases) + ", SUM(bal),"
        " MIN(CASE WHEN d > 0 THEN due END), COUNT(*) FROM ("
        f" SELECT i.client_id, c.name, i.due_date AS due, {days} AS d,"
        "  i.amount_ttc_cents - i.deposit_cents - COALESCE(p.paid, 0) AS bal"
        "  FROM invoice i JOIN client c ON c.id = i.client_id"
        "  LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS paid FROM payment"
        "             WHERE date <= :as_of AND cancelled_on IS NULL"
        "             GROUP BY invoice_id) p ON p.invoice_id = i.id"
        "  WHERE NOT i.archived AND i.issue_date <= :as_of"
        "  AND (i.written_off_on IS NULL OR i.written_off_on > :as_of)"
        ") AS owed WHERE bal > 0 GROUP BY client_id, name"
    )
    params = {"as_of": as_of.isoformat()}
    raw = run(sql, params)
    since = (as_of - dt.timedelta(days=DSO_WINDOW_DAYS)).isoformat()
    sales: dict[int, int] = {
        client: int(total)
        for client, total in run(
            "SELECT client_id, SUM(amount_ttc_cents) FROM invoice"
            " WHERE NOT archived AND issue_date > :since AND issue_date <= :as_of"
            " GROUP BY client_id",
            {"since": since, "as_of": as_of.isoformat()},
        )
    }
    n = len(buckets.bounds) + 2
    date = dt.date.fromisoformat
    rows = []
    for r in raw:
        # Sums of integer cents: int or NULL (SQLite), numeric (PostgreSQL's SUM of a BIGINT).
        cents = tuple([int(v or 0) for v in r[2 : 2 + n]])
        oldest = r[3 + n]
        rows.append(
            AgedRow(
                r[0],
                r[1],
                cents,
                date(str(oldest)) if oldest else None,
                _dso(int(r[2 + n]), sales.get(r[0], 0)),
                int(r[4 + n]),
            )
        )
    totals = [sum(column) for column in zip(*[row.cents for row in rows], strict=True)] or [0] * n
    # French collation: "Éditions Zoé" among the E, not after "Zola" (models.collation).
    rows.sort(key=lambda row: (sort_key(row.client), row.client_id))
    grand = sum(totals)
    return AgedBalance(
        as_of=as_of,
        buckets=buckets,
        rows=tuple(rows),
        totals=tuple(from_cents(c) for c in totals),
        total=from_cents(grand),
        overdue=from_cents(grand - totals[0]),
        dso=_dso(grand, sum(sales.values())),
    )


def _dso(outstanding_cents: int, sales_cents: int) -> Decimal | None:
    """Days sales outstanding over the 90-day window, to one decimal (half-up); None without
    sales. In integers: outstanding / sales x 90 days, in tenths, rounded half-up."""
    if sales_cents <= 0:
        return None
    if outstanding_cents < 0:  # never for a balance of debts; the exact way if it happens
        value = Decimal(outstanding_cents) / Decimal(sales_cents) * DSO_WINDOW_DAYS
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    tenths = (outstanding_cents * DSO_WINDOW_DAYS * 20 + sales_cents) // (2 * sales_cents)
    return Decimal(tenths).scaleb(-1)
