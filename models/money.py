"""Money: Decimal in code, integer cents in storage, French formatting and parsing."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
NBSP = "\u00a0"

# Thousands separators seen in French spreadsheets: space, no-break space, narrow no-break space,
# apostrophe (Swiss habit) and the dot when a comma is the decimal mark.
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = re.compile(r"(€|eur(os?)?|ttc|ht)$", re.IGNORECASE)


def to_cents(amount: Decimal) -> int:
    """Return an amount in euros as integer cents, rounded half-up (storage boundary)."""
    return int(quantize(amount) * 100)


def from_cents(cents: int) -> Decimal:
    """Return integer cents as a Decimal in euros with two places (exact: a shift, no rounding)."""
    return Decimal(cents).scaleb(-2)


def quantize(amount: Decimal) -> Decimal:
    """Round to the cent, half-up: the rounding the law and documents use."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Parse a French or English amount: '1 234,56', '1.234,56', '1234.56', '1 234,56 €'.

    Raises ValueError with a French message when the text is not an amount.
    """
    raw = text.strip()
    s = _SPACES.sub("", raw)
    s = _CURRENCY.sub("", s).strip()
    s = s.removesuffix("€").removeprefix("€")
    if not s:
        raise ValueError(f"montant vide ou illisible : « {raw} »")
    negative = s.startswith("-")
    if negative or s.startswith("+"):
        s = s[1:]
    if "," in s and "." in s:
        # The mark that comes last is the decimal one: 1.234,56 or 1,234.56.
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        if s.count(",") > 1:
            raise ValueError(f"montant illisible : « {raw} »")
        s = s.replace(",", ".")
    elif s.count(".") > 1:
        # 1.234.567 : dots as thousands separators only.
        s = s.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(f"montant illisible : « {raw} »")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards
        raise ValueError(f"montant illisible : « {raw} »") from exc
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"montant avec plus de deux décimales : « {raw} »")
    return -value if negative else value


def format_eur(amount: Decimal | int, *, cents: bool = False, symbol: str = "€") -> str:
    """Format as French money: '1 234,56 €' with no-break spaces (U+00A0).

    `cents=True` reads an int as cents; otherwise the amount is in euros.
    """
    value = from_cents(int(amount)) if cents else quantize(Decimal(amount))
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.append(whole[-3:])
        whole = whole[:-3]
    body = NBSP.join(reversed(groups)) + "," + frac
    return f"{sign}{body}{NBSP}{symbol}" if symbol else f"{sign}{body}"


def format_plain(amount: Decimal) -> str:
    """Format for JSON/CSV output: '1234.56' (dot, two places, no grouping)."""
    return f"{quantize(amount):.2f}"


def format_rate(rate: Decimal) -> str:
    """Format a yearly rate in percent the French way: '13,15 %'."""
    return f"{rate:.2f}".replace(".", ",") + NBSP + "%"
