"""Stages computed in streamed batches say exactly what the one-pass computation said.

And the to-do, read for the invoices still owed only, what it says over every invoice.

The reference is the former `Ledger.stages` (every fact loaded, stage rows made, one sort):
the streamed version must give the same rows, in the same order, on random ledgers (demo
data of random seeds and sizes, then random archives, cancellations, write-offs, disputes and
due dates beyond the legal maximum), at several dates, with and without archived invoices.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text

from models.demo import build_demo
from models.store.ledger import Ledger
from models.store.todo_reads import mark_missing_contacts, mark_unknown_mails, pending_mails
from models.todo import StageRow, TodoItem, stage_rows, todo_items

TODAY = dt.date(2026, 11, 23)


def reference_stages(ledger: Ledger, as_of: dt.date, include_archived: bool) -> list[StageRow]:
    """The stages as computed before the streaming: all the facts, then one sort."""
    settled: list[StageRow] = []
    facts = ledger.facts(owed_on=as_of, settled_rows=settled, include_archived=include_archived)
    rows = stage_rows(facts, as_of, ledger.policy_for)
    if settled:
        rows = sorted(rows + settled, key=lambda r: (r.due, r.invoice))
    if include_archived:
        hidden = set(ledger.archived_invoice_ids())
        for r in rows:
            r.archived = r.invoice_id in hidden
    return rows


def reference_todo(ledger: Ledger, as_of: dt.date) -> list[TodoItem]:
    """The to-do computed over the facts of every invoice, history and all."""
    items = todo_items(ledger.facts(), as_of, ledger.policy_for)
    with ledger._read() as conn:
        mark_missing_contacts(conn, items)
        mark_unknown_mails(items, pending_mails(conn))
    return items


def random_ledger(path: str, seed: int) -> Ledger:
    """Demo data of a random size, then random edits straight in the tables."""
    rng = random.Random(seed)
    ledger = Ledger.open(path)
    build_demo(ledger, TODAY, seed=seed, clients=rng.randint(3, 40), invoices_per_client=(1, 9))
    with ledger.engine.begin() as conn:
        ids = [i for (i,) in conn.execute(text("SELECT id FROM invoice"))]
        clients = [i for (i,) in conn.execute(text("SELECT id FROM client"))]
        payments = [i for (i,) in conn.execute(text("SELECT id FROM payment"))]

        def some(pool: list[int], share: float) -> list[int]:
            return [i for i in pool if rng.random() < share]

        for i in some(ids, 0.05):
            conn.execute(text(f"UPDATE invoice SET archived = 1 WHERE id = {i}"))
        for i in some(clients, 0.05):
            conn.execute(text(f"UPDATE client SET archived = 1 WHERE id = {i}"))
        for i in some(payments, 0.05):
            conn.execute(text(f"UPDATE payment SET cancelled_on = '2026-10-01' WHERE id = {i}"))
        for i in some(ids, 0.03):
            conn.execute(text(f"UPDATE invoice SET written_off_on = '2026-09-15' WHERE id = {i}"))
        for i in some(ids, 0.03):
            conn.execute(text(f"UPDATE invoice SET disputed_on = '2026-08-01' WHERE id = {i}"))
        # Due dates beyond the legal maximum, counted from that maximum (C. com. L441-10 I):
        # their rows sort on the maximum, not on the stated date.
        for i in some(ids, 0.08):
            days = rng.randint(70, 200)
            conn.execute(
                text(
                    "UPDATE invoice SET penalties_from_max_term = 1,"
                    f" due_date = date(issue_date, '+{days} days') WHERE id = {i}"
                )
            )
    return ledger


@pytest.mark.parametrize("seed", range(12))
def test_streamed_stages_equal_the_reference_on_random_ledgers(tmp_path, seed):
    ledger = random_ledger(str(tmp_path / "r.sqlite"), seed)
    rng = random.Random(seed)
    try:
        for as_of in (TODAY, TODAY - dt.timedelta(days=rng.randint(1, 400)), dt.date(2030, 1, 1)):
            for archived in (False, True):
                expected = reference_stages(ledger, as_of, archived)
                assert ledger.stages(as_of, include_archived=archived) == expected
                # Small batches: the rows cross many batch boundaries.
                streamed = list(ledger.iter_stages(as_of, include_archived=archived, batch=7))
                assert streamed == expected
            # The to-do reads only the invoices still owed: the same as over every invoice.
            assert ledger.todo(as_of) == reference_todo(ledger, as_of)
    finally:
        ledger.close()


def test_streamed_stages_on_the_demo_ledger(ledger):
    build_demo(ledger, TODAY)
    expected = reference_stages(ledger, TODAY, False)
    assert len(expected) > 400
    assert list(ledger.iter_stages(TODAY, batch=50)) == expected
    assert ledger.stages(TODAY) == expected
    assert ledger.stages(TODAY, open_only=True) == [r for r in expected if r.balance_cents > 0]
