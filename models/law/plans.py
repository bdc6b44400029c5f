"""Payment plans: splitting a balance into instalments (échéancier)."""

from __future__ import annotations

import datetime as dt

from models.errors import FieldError, InputError
from models.law.deadlines import add_months

FREQUENCIES = {"monthly": 1, "bimonthly": 2, "quarterly": 3}


def split_instalments(
    total_cents: int, count: int, first: dt.date, frequency: str = "monthly"
) -> list[tuple[dt.date, int]]:
    """`count` instalments from `first`, equal to the cent; the last absorbs the remainder."""
    errors = []
    if total_cents <= 0:
        errors.append(FieldError("montant", "rien à échelonner : le solde est nul"))
    if not 1 <= count <= 36:
        errors.append(FieldError("échéances", "entre 1 et 36 échéances"))
    if frequency not in FREQUENCIES:
        errors.append(FieldError("fréquence", f"fréquence inconnue « {frequency} »"))
    if errors:
        raise InputError(errors)
    step = FREQUENCIES[frequency]
    share = total_cents // count
    out = [(add_months(first, i * step), share) for i in range(count)]
    last_day, _ = out[-1]
    out[-1] = (last_day, total_cents - share * (count - 1))
    return out
