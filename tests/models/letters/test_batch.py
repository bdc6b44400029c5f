"""Today's letters, one per client (models/letters/batch.py), the LRAR check, bulk letter data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError
from models.letters.batch import (
    LetterRequest,
    check_registered_number,
    iter_letters,
    letters_due,
    normalise_registered_number,
)
from models.todo import TodoItem
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

DAY = dt.date(2026, 11, 23)
COMPANY = {
    "name": "Atelier Exemple SARL",
    "street": "14 rue du Faubourg Saint-Antoine",
    "postal_code": "75011",
    "city": "Paris",
    "siret": "732 829 320 00074",
    "iban": "FR7630006000011234567890189",
}


def item(
    client_id: int, client: str, step: str, numbers: list[str], ids: list[int], on: dt.date = DAY
) -> TodoItem:
    """A to-do entry as Ledger.todo gives it."""
    channel = "call" if step.endswith("call") else "letter"
    return TodoItem(on, step, step, step, channel, client_id, client, numbers, ids)


def test_one_letter_per_client_at_the_highest_step():
    items = [
        item(1, "Zoé Conseil", "reminder_1", ["A-2"], [2], DAY - dt.timedelta(days=3)),
        item(1, "Zoé Conseil", "reminder_2", ["A-1"], [1], DAY - dt.timedelta(days=1)),
        item(1, "Zoé Conseil", "preventive", ["A-3"], [3]),
        item(1, "Zoé Conseil", "courtesy_call", ["A-4"], [4]),
        item(2, "atelier Bleu", "preventive", ["B-1"], [5]),
        item(3, "Café Rouge", "courtesy_call", ["C-1"], [6]),
        item(4, "Menuiserie", "formal_notice", ["D-1"], [7]),
    ]
    got = letters_due(items)
    assert [(r.client, r.kind, r.invoices) for r in got] == [
        ("atelier Bleu", "preventive", ("B-1",)),
        ("Menuiserie", "formal_notice", ("D-1",)),
        # Issue 10 item 7: the preventive one rides along, nothing is left for a second batch.
        ("Zoé Conseil", "reminder_2", ("A-2", "A-1", "A-3")),
    ]
    zoe = got[2]
    assert zoe.invoice_ids == (2, 1, 3)
    assert zoe.recorded_steps() == (("reminder_2", (2, 1)), ("preventive", (3,)))
    assert got[0].recorded_steps() == (("preventive", (5,)),)
    assert zoe.on == DAY - dt.timedelta(days=3)
    assert not zoe.needs_registered_number
    assert got[1].needs_registered_number


def test_custom_policy_templates():
    items = [
        item(1, "Zoé", "relance_maison", ["A-1"], [1]),
        item(1, "Zoé", "reminder_1", ["A-1"], [1]),
    ]
    got = letters_due(items, {"relance_maison": "reminder_3", "reminder_1": "reminder_1"})
    assert [(r.kind, r.invoice_ids) for r in got] == [("reminder_3", (1,))]
    assert letters_due(items, {}) == []


@pytest.mark.parametrize("text", ["1A 123 456 7890 1", "1a12345678901", "RR 123 456 789 FR"])
def test_registered_numbers_accepted(text):
    assert check_registered_number(text) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "indiquez"),
        ("   ", "indiquez"),
        ("1A-123-456", "lettres, chiffres"),
        ("1A 123", "5 caractères"),
        ("1" * 21, "21 caractères"),
    ],
)
def test_registered_numbers_refused(text, why):
    errors = check_registered_number(text)
    assert len(errors) == 1
    assert why in errors[0].message


def test_normalise_registered_number():
    assert normalise_registered_number("  1a  123 456\t7890 1 ") == "1A 123 456 7890 1"


@pytest.fixture
def filled(ledger):
    """Two B2B clients with overdue invoices and the company identity."""
    ledger.set_setting("company", COMPANY)
    ids = {}
    for n, name in enumerate(("Alpha SARL", "Bêta & Cie"), start=1):
        cid = ledger.add_client(name, street=f"{n} rue A", postal_code="75001", city="Paris")
        ids[name] = cid
        ids[f"F-{n}"] = ledger.add_invoice(
            cid, f"F-{n}", dt.date(2026, 9, 1), Decimal(f"{n}00.00"), dt.date(2026, 10, 1)
        )
    return ids


def test_iter_letters_matches_ledger_letter(ledger, filled):
    requests = [
        LetterRequest(filled[name], name, "reminder_2", (filled[f"F-{n}"],), (f"F-{n}",), DAY)
        for n, name in enumerate(("Alpha SARL", "Bêta & Cie"), start=1)
    ]
    got = list(iter_letters(ledger, requests, DAY))
    assert got == [ledger.letter(r.client_id, r.kind, DAY, r.invoice_ids) for r in requests]
    assert [d.client_name for d in got] == ["Alpha SARL", "Bêta & Cie"]


def test_notice_letter_with_its_own_deadline(ledger, filled):
    client, ids = filled["Alpha SARL"], [filled["F-1"]]
    letter = ledger.letter(client, "formal_notice", DAY, ids, deadline_days=15)
    assert letter.kind == "formal_notice"
    # The notice's delay runs from its receipt (issue 11): the text says so, no fixed date.
    assert letter.deadline is None
    text = " ".join(letter.paragraphs)
    assert "dans un délai de 15 jours à compter de la réception de la présente" in text
    same = ledger.letter(client, "formal_notice", DAY, ids)
    assert "dans un délai de 8 jours" in " ".join(same.paragraphs)  # the default policy's 8
    assert letter.total == same.total
    with pytest.raises(InputError, match="entre 1 et 90 jours"):
        ledger.letter(client, "formal_notice", DAY, ids, deadline_days=0)


def test_a_second_batch_the_same_day_finds_nothing_left(ledger, filled):
    """Issue 10 item 7: one letter per client covers every invoice due for a letter step."""
    from models.letters.batch import LETTER_RANK

    alpha = filled["Alpha SARL"]
    soon = ledger.add_invoice(
        alpha, "F-9", dt.date(2026, 11, 1), Decimal("90.00"), DAY + dt.timedelta(days=3)
    )
    ledger.record_letter_sent(alpha, "reminder_1", [filled["F-1"]], dt.date(2026, 10, 8))
    first = letters_due(ledger.todo(DAY))
    mine = next(r for r in first if r.client_id == alpha)
    assert mine.kind in LETTER_RANK
    assert mine.kind != "preventive"
    assert set(mine.invoice_ids) == {filled["F-1"], soon}
    for r in first:
        for kind, ids in r.recorded_steps():
            ledger.record_letter_sent(r.client_id, kind, list(ids), DAY)
    assert letters_due(ledger.todo(DAY)) == []
    stages = {row.invoice: row.stage for row in ledger.stages(DAY)}
    assert stages["F-9"] != mine.kind  # reminded of its coming due date, not claimed


def test_the_batch_lists_clients_in_french_order():
    """Issue 14: 'Éditions du Quai' sorts with the E's, not after 'Zola' (accents ignored)."""
    from models.letters.batch import letters_due
    from models.todo import TodoItem

    names = ["Zola Bois", "Éditions du Quai", "Durand", "électricité Bonnet"]
    items = [
        TodoItem(
            dt.date(2026, 3, 1),
            "reminder_1",
            "reminder_1",
            "Relance 1",
            "email",
            i,
            n,
            [f"F-{i}"],
            [i],
        )
        for i, n in enumerate(names, start=1)
    ]
    assert [r.client for r in letters_due(items)] == [
        "Durand",
        "Éditions du Quai",
        "électricité Bonnet",
        "Zola Bois",
    ]
