"""Official rate tables by half-year (ECB refi, default penalty rate, legal interest rates)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from models.errors import FieldError
from models.resources import resource_path

RATES_CSV = resource_path("rates.csv")
# C. com. L441-10: the default penalty rate is the ECB main refinancing rate + 10 points.
DEFAULT_MARGIN = Decimal("10")


def half_year(d: dt.date) -> str:
    """The half-year a date falls in: '2025-H2'."""
    return f"{d.year}-H{1 if d.month <= 6 else 2}"


def half_year_start(d: dt.date) -> dt.date:
    """First day of the half-year of `d` (1 January or 1 July)."""
    return dt.date(d.year, 1 if d.month <= 6 else 7, 1)


def next_half_year(d: dt.date) -> dt.date:
    """First day of the half-year after the one `d` falls in."""
    return dt.date(d.year, 7, 1) if d.month <= 6 else dt.date(d.year + 1, 1, 1)


def half_year_label(code: str) -> str:
    """'2026-H2' -> '2e semestre 2026'."""
    year, h = code.split("-H")
    return f"{'1er' if h == '1' else '2e'} semestre {year}"


@dataclass(frozen=True)
class RateRow:
    """The rates in force for one half-year, in percent per year."""

    half_year: str
    start: dt.date
    ecb_refi: Decimal
    default_penalty: Decimal
    legal_private: Decimal  # creditor a private person
    legal_other: Decimal  # all other cases (a business creditor): the one Relance uses
    source: str = "officiel"  # "officiel" (shipped) or "saisi" (entered by the user)


@dataclass(frozen=True)
class RateLookup:
    """The row used for a date, and whether it is that date's own half-year."""

    row: RateRow
    exact: bool
    wanted: str  # the half-year asked for


class RateTable:
    """Half-year rates, shipped ones overridden by what the user entered."""

    def __init__(self, rows: list[RateRow]) -> None:
        self.rows = sorted(rows, key=lambda r: r.start)
        self._by_code = {r.half_year: r for r in self.rows}

    def lookup(self, d: dt.date) -> RateLookup:
        """The rates for the half-year of `d`; the last known one when it is missing."""
        code = half_year(d)
        row = self._by_code.get(code)
        if row is not None:
            return RateLookup(row, True, code)
        earlier = [r for r in self.rows if r.start <= d]
        fallback = earlier[-1] if earlier else self.rows[0]
        return RateLookup(fallback, False, code)

    def missing(self, as_of: dt.date) -> str | None:
        """The half-year of `as_of` when the table has no rate for it yet."""
        code = half_year(as_of)
        return None if code in self._by_code else code

    def with_user_rows(self, user: list[RateRow]) -> RateTable:
        """A table where the user's rows replace the shipped ones of the same half-year."""
        merged = dict(self._by_code)
        for r in user:
            merged[r.half_year] = replace(r, source="saisi")
        return RateTable(list(merged.values()))


def _dec(text: str, field: str, line: int) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError(f"rates.csv ligne {line} : {field} illisible « {text} »") from exc


@lru_cache(maxsize=4)
def load_shipped(path: Path = RATES_CSV) -> RateTable:
    """The shipped table (resources/rates.csv; '#' lines are its sources), read once."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = []
    for n, rec in enumerate(csv.DictReader(lines), start=2):
        rows.append(
            RateRow(
                half_year=rec["half_year"],
                start=dt.date.fromisoformat(rec["start"]),
                ecb_refi=_dec(rec["ecb_refi"], "ecb_refi", n),
                default_penalty=_dec(rec["default_penalty"], "default_penalty", n),
                legal_private=_dec(rec["legal_rate_private_creditor"], "legal_private", n),
                legal_other=_dec(rec["legal_rate_other_cases"], "legal_other", n),
            )
        )
    return RateTable(rows)


def sources_text(path: Path = RATES_CSV) -> str:
    """The source lines of the shipped table, for display next to it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(ln.lstrip("# ") for ln in lines if ln.startswith("#"))


def validate_rate_row(
    code: str, ecb: str, legal_private: str, legal_other: str
) -> tuple[RateRow | None, list[FieldError]]:
    """Check a half-year row typed by the user; the default rate is derived (ECB + 10)."""
    errors: list[FieldError] = []
    try:
        year, h = code.split("-H")
        start = dt.date(int(year), 1 if h == "1" else 7, 1)
        if h not in ("1", "2"):
            raise ValueError
    except ValueError:
        return None, [FieldError("semestre", f"« {code} » n'est pas un semestre (ex. 2026-H2)")]
    values = {}
    for name, text in (
        ("taux BCE", ecb),
        ("taux légal (particulier)", legal_private),
        ("taux légal (autres cas)", legal_other),
    ):
        try:
            v = Decimal(text.replace(",", ".").replace("%", "").strip())
            if not Decimal("-5") <= v <= Decimal("50"):
                raise InvalidOperation
            values[name] = v
        except InvalidOperation:
            errors.append(
                FieldError(name, f"taux invalide « {text} » (pourcentage entre -5 et 50)")
            )
    if errors:
        return None, errors
    ecb_v = values["taux BCE"]
    row = RateRow(
        code,
        start,
        ecb_v,
        ecb_v + DEFAULT_MARGIN,
        values["taux légal (particulier)"],
        values["taux légal (autres cas)"],
        source="saisi",
    )
    return row, []
