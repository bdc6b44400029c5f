"""Sentences a letter states that depend on the case, chosen here from the facts (not by
template conditionals): what came before (reminders, an earlier formal notice), from when a
consumer owes legal interest, and the list of enclosures of a formal notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from models.law.deadlines import french_date
from models.law.stages import InvoiceFacts

# Letters whose copies a formal notice encloses, with their name in the list.
ENCLOSED_STEPS = {
    "reminder_1": "relance",
    "reminder_2": "deuxième relance",
    "reminder_3": "dernière relance",
    "formal_notice": "mise en demeure",
}
# History kinds that are a letter that left (a call or a note is not enclosed).
LETTER_KINDS_SENT = frozenset({"letter", "email", "formal_notice", "registered_letter"})
CIVIL_CODE = "articles 1231-6 et 1344-1 du Code civil"


def first_notice(facts: Sequence[InvoiceFacts], as_of: dt.date) -> dt.date | None:
    """The earliest formal notice on file for these invoices by `as_of` (None: none yet)."""
    dates = [d for f in facts if (d := f.notice_date(as_of)) is not None]
    return min(dates) if dates else None


def earlier_letters(facts: Sequence[InvoiceFacts], as_of: dt.date) -> list[tuple[dt.date, str]]:
    """(date, step) of each reminder or notice sent about these invoices by `as_of`, in order."""
    found = {
        (a.date, a.step)
        for f in facts
        for a in f.actions
        if a.date <= as_of and a.step in ENCLOSED_STEPS and a.kind in LETTER_KINDS_SENT
    }
    return sorted(found)


def previous_steps_phrase(letters: Sequence[tuple[dt.date, str]], notice: dt.date | None) -> str:
    """How a formal notice opens: what came before it, true to the history."""
    if notice is not None:
        return f"Malgré notre mise en demeure du {french_date(notice)}, restée sans effet"
    reminders = [d for d, step in letters if step != "formal_notice"]
    if len(reminders) == 1:
        return f"Malgré notre relance du {french_date(reminders[0])}, restée sans effet"
    if reminders:
        return "Malgré nos relances restées sans effet"
    return "Sauf erreur de notre part"


def legal_interest_phrase(kind: str, notice: dt.date | None) -> str:
    """A consumer's legal interest (C. civ. 1231-6, 1344-1), as the case stands.

    Interest runs from a formal notice only: from the one on file, from this letter when it is
    the first notice, and otherwise the letter says a notice would start it.
    """
    if notice is not None:
        return (
            f"Conformément aux {CIVIL_CODE}, ces sommes produisent des intérêts au taux légal "
            f"depuis notre mise en demeure du {french_date(notice)}."
        )
    if kind == "formal_notice":
        return (
            f"Conformément aux {CIVIL_CODE}, cette somme produira des intérêts au taux légal à "
            "compter de la présente mise en demeure."
        )
    return (
        "À défaut de règlement, nous serions contraints de vous adresser une mise en demeure, à "
        f"compter de laquelle les sommes dues porteraient intérêts au taux légal ({CIVIL_CODE})."
    )


def enclosures(
    facts: Sequence[InvoiceFacts], letters: Sequence[tuple[dt.date, str]]
) -> tuple[str, ...]:
    """'Pièces jointes' of a formal notice: a copy of each invoice, then of each earlier letter."""
    items = [f"Copie de notre facture n° {f.number} du {f.issue_date:%d/%m/%Y}" for f in facts]
    items += [f"Copie de notre {ENCLOSED_STEPS[step]} du {d:%d/%m/%Y}" for d, step in letters]
    return tuple(items)
