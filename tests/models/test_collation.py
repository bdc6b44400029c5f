"""French collation of names (issue 14): accents, case and ligatures ignored."""

import datetime as dt
from decimal import Decimal

from models.collation import sort_key

NAMES = ["Zola", "Durand", "dupont, Éric", "Dupont, Éric", "Œuvres d'Art", "Éditions Ober", "Eden"]


def test_e_acute_sorts_among_the_e_and_case_is_ignored():
    """Rule: 'Dupont, Éric' < 'Durand' < 'Zola'; 'Éditions' between 'Eden' and 'Œuvres'."""
    ordered = sorted(NAMES, key=lambda n: (sort_key(n), n))
    assert ordered == [
        "Dupont, Éric",
        "dupont, Éric",
        "Durand",
        "Eden",
        "Éditions Ober",
        "Œuvres d'Art",
        "Zola",
    ]
    assert sort_key("Œuvre") == "oeuvre"


def test_aged_balance_clients_and_todo_in_french_order(ledger):
    """Rule: every list and report sorts names the French way (aged balance, client list)."""
    for name in ("Zola", "Durand", "Dupont, Éric"):
        c = ledger.add_client(name)
        ledger.add_invoice(c, f"F-{name[:3]}", dt.date(2026, 1, 1), Decimal(100), None)
    ab = ledger.aged_balance(dt.date(2026, 3, 1))
    assert [r.client for r in ab.rows] == ["Dupont, Éric", "Durand", "Zola"]
    assert [c.name for c in ledger.clients()] == ["Dupont, Éric", "Durand", "Zola"]
    todo = ledger.todo(dt.date(2026, 3, 1))
    firsts = list(dict.fromkeys(t.client for t in todo))
    assert firsts == ["Dupont, Éric", "Durand", "Zola"]
