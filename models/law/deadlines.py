"""Calendar arithmetic: French public holidays, business days, legal deadlines, French dates."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

ONE_DAY = dt.timedelta(days=1)

# Default time given by a formal notice, in calendar days (practice; LEGAL.md "Formal notice").
NOTICE_DAYS = 8

# C. com. L441-10 I: with no agreed term, payment is due 30 days after delivery or the service;
# an invoice entered without a due date gets issue date + 30 days (LEGAL.md "Payment terms").
LEGAL_TERM_DAYS = 30
# C. com. L441-10 I: the agreed term may not exceed 60 days from the invoice date, or 45 days end
# of month when the contract says so.
MAX_TERM_DAYS = 60
MAX_TERM_EOM_DAYS = 45

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_HALF_YEAR = re.compile(r"(\d{4})-H([12])")


@functools.lru_cache(maxsize=256)
def public_holidays(year: int, alsace_moselle: bool = False) -> Mapping[dt.date, str]:
    """Return the public holidays of one year in metropolitan France, date -> French name.

    `alsace_moselle=True` adds the two local days of Bas-Rhin, Haut-Rhin and Moselle (Good Friday
    and 26 December), which the `holidays` package files under the subdivision "57".
    """
    subdiv = "57" if alsace_moselle else None
    # holidays.country_holidays("FR") is holidays.France, through the typed public entry point.
    # Imported here: a command that never counts business days does not load it (start-up).
    import holidays

    table = holidays.country_holidays("FR", subdiv=subdiv, years=year, language="fr")
    return MappingProxyType({day: str(name) for day, name in sorted(table.items())})


def holiday_name(d: dt.date, alsace_moselle: bool = False) -> str | None:
    """Return the French name of the public holiday falling on `d`, or None."""
    return public_holidays(d.year, alsace_moselle).get(d)


def is_holiday(d: dt.date, alsace_moselle: bool = False) -> bool:
    """Whether `d` is a public holiday in metropolitan France (or Alsace-Moselle)."""
    return d in public_holidays(d.year, alsace_moselle)


def is_business_day(d: dt.date, alsace_moselle: bool = False) -> bool:
    """Whether `d` is a business day: Monday to Friday and not a public holiday."""
    return d.weekday() < 5 and not is_holiday(d, alsace_moselle)


def add_days(d: dt.date, n: int) -> dt.date:
    """Return `d` plus `n` calendar days (`n` may be negative)."""
    return d + dt.timedelta(days=n)


def next_business_day(d: dt.date, alsace_moselle: bool = False) -> dt.date:
    """Return `d` itself when it is a business day, else the first business day after it."""
    while not is_business_day(d, alsace_moselle):
        d += ONE_DAY
    return d


def add_business_days(d: dt.date, n: int, alsace_moselle: bool = False) -> dt.date:
    """Return the `n`-th business day after `d` (before it when `n` < 0); `n` = 0 returns `d`.

    `d` itself is never counted, whether or not it is a business day.
    """
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if is_business_day(d, alsace_moselle):
            remaining -= 1
    return d


def deadline(
    sent: dt.date, days: int = NOTICE_DAYS, business: bool = False, alsace_moselle: bool = False
) -> dt.date:
    """Return the last day to pay after a letter sent on `sent`, giving `days` days (>= 0).

    Calendar days by default, the sending day not counted (CPC 641); `business=True` counts
    business days instead. The result is always a business day.
    """
    if days < 0:
        raise ValueError(f"délai négatif : {days} jours")
    if business:
        return next_business_day(add_business_days(sent, days, alsace_moselle), alsace_moselle)
    # CPC 642: a time limit that would end on a Saturday, a Sunday or a public holiday is
    # extended to the next working day.
    return next_business_day(add_days(sent, days), alsace_moselle)


def half_year_of(d: dt.date) -> str:
    """Return the half-year holding `d`, as '2025-H1' (January-June) or '2025-H2'."""
    return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"


def half_year_start(d: dt.date) -> dt.date:
    """Return the first day of the half-year holding `d` (1 January or 1 July)."""
    return dt.date(d.year, 1 if d.month <= 6 else 7, 1)


def next_half_year_start(d: dt.date) -> dt.date:
    """Return the first day of the half-year after the one holding `d` (end-exclusive bound)."""
    return dt.date(d.year, 7, 1) if d.month <= 6 else dt.date(d.year + 1, 1, 1)


def half_year_label(hy: str | dt.date) -> str:
    """Return '1er semestre 2026' or '2e semestre 2026' for '2026-H1' / '2026-H2' or a date."""
    key = half_year_of(hy) if isinstance(hy, dt.date) else hy
    match = _HALF_YEAR.fullmatch(key.strip())
    if match is None:
        raise ValueError(f"semestre illisible : « {hy} » (attendu par exemple 2026-H2)")
    year, half = match.groups()
    return f"{'1er' if half == '1' else '2e'} semestre {year}"


def end_of_month(d: dt.date) -> dt.date:
    """Return the last day of the month holding `d`."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: dt.date, n: int) -> dt.date:
    """Return `d` moved by `n` months, the day clamped to the month's end (31 Jan + 1 -> 28 Feb)."""
    year, month0 = divmod(d.month - 1 + n, 12)
    year += d.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(d.day, last))


def legal_due_date(issue: dt.date) -> dt.date:
    """Return the due date of an invoice with no agreed term: issue date + 30 days."""
    # C. com. L441-10 I: 30 days when the parties agreed no term (LEGAL.md "Payment terms").
    return add_days(issue, LEGAL_TERM_DAYS)


def max_term_limit(issue: dt.date) -> dt.date:
    """Return the latest due date the law allows for an invoice issued on `issue`.

    C. com. L441-10 I: at most 60 days from the invoice date, or 45 days end of month when the
    contract says so; both accepted counts of the latter (invoice date + 45 days then end of
    month, or end of month + 45 days) are allowed, so the limit is the latest of the three.
    """
    return max(
        add_days(issue, MAX_TERM_DAYS),
        end_of_month(add_days(issue, MAX_TERM_EOM_DAYS)),
        add_days(end_of_month(issue), MAX_TERM_EOM_DAYS),
    )


def beyond_max_term(issue: dt.date, due: dt.date) -> dt.date | None:
    """Return the legal limit date when `due` is later than it (C. com. L441-10 I), else None."""
    limit = max_term_limit(issue)
    return limit if due > limit else None


def max_term_warning(issue: dt.date, due: dt.date) -> str | None:
    """Return a French warning when `due` is later than the legal maximum term, else None.

    C. com. L441-10 I: at most 60 days from the invoice date, or 45 days end of month; only a
    date beyond every accepted count is warned about (see `max_term_limit`).
    """
    if beyond_max_term(issue, due) is None:
        return None
    limit_days = add_days(issue, MAX_TERM_DAYS)
    limit_eom = max(
        end_of_month(add_days(issue, MAX_TERM_EOM_DAYS)),
        add_days(end_of_month(issue), MAX_TERM_EOM_DAYS),
    )
    term = (due - issue).days
    return (
        f"Délai de paiement de {term} jours (échéance au {french_date(due)}) : il dépasse le "
        f"maximum légal de 60 jours après la date de facture ({french_date(limit_days)}) "
        f"comme celui de 45 jours fin de mois ({french_date(limit_eom)}) "
        "(article L441-10 du Code de commerce)."
    )


def french_date(d: dt.date) -> str:
    """Return a date in French words: '23 novembre 2026', '1er mai 2026'."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    """Return a date as '23/11/2026'."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
