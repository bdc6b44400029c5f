"""The demo data set: realistic size, every stage, dated relative to the day given."""

import collections
import datetime as dt
from decimal import Decimal

from stdnum.fr import siren

from models.demo import build_demo, luhn_siren
from models.law.stages import STAGES
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

TODAY = dt.date(2026, 11, 23)


def test_demo_covers_every_stage(ledger):
    summary = build_demo(ledger, TODAY)
    assert summary["clients"] >= 40
    assert summary["invoices"] >= 400
    stages = collections.Counter(r.stage for r in ledger.stages(TODAY))
    assert set(stages) == set(STAGES)
    assert any(c.kind == "b2c" for c in ledger.clients())
    kinds = {t.step for t in ledger.todo(TODAY)}
    assert {"promise", "reminder_1", "formal_notice", "legal_action"} <= kinds
    assert ledger.company().name == "Atelier Exemple"


def test_demo_is_relative_to_the_day(ledger):
    build_demo(ledger, dt.date(2024, 3, 1))
    rows = ledger.stages(dt.date(2024, 3, 1))
    assert max(r.issue_date for r in rows) <= dt.date(2024, 3, 1)
    assert {r.stage for r in rows} == set(STAGES)


def test_generated_siren_are_valid():
    import random

    rng = random.Random(1)
    assert all(siren.is_valid(luhn_siren(rng)) for _ in range(50))


def test_open_only_reads_exactly_the_invoices_still_owed(ledger):
    from models.todo import todo_items

    build_demo(ledger, TODAY)
    every = ledger.stages(TODAY)
    owed = ledger.stages(TODAY, open_only=True)
    assert owed == [r for r in every if r.balance_cents > 0]
    assert 0 < len(owed) < len(every)
    assert "paid" not in {r.stage for r in owed}
    # The to-do reads only those, and says the same as over every invoice.
    everything = todo_items(ledger.facts(), TODAY, ledger.policy_for)  # every history
    assert ledger.todo(TODAY) == everything
    # A payment after the as-of date does not settle the invoice as of that date.
    later = next(r for r in owed if r.stage == "reminder_2")
    ledger.record_payment(
        later.invoice_id, TODAY + dt.timedelta(days=1), Decimal(later.balance_cents) / 100
    )
    assert later.invoice_id in {r.invoice_id for r in ledger.stages(TODAY, open_only=True)}


def test_stage_of_every_invoice_same_by_the_short_paths(ledger):
    from models.todo import stage_rows

    build_demo(ledger, TODAY)
    for day in (TODAY, TODAY - dt.timedelta(days=45)):
        full = stage_rows(ledger.facts(), day, ledger.policy_for)  # every history read
        fast = ledger.stages(day)  # settled invoices straight from the paid sums
        assert fast == full
        assert sum(r.stage == "paid" for r in fast) > 100


def test_long_id_lists_are_read_in_chunks(ledger, monkeypatch):
    import models.store.facts as facts

    build_demo(ledger, TODAY)
    whole = ledger.stages(TODAY), ledger.todo(TODAY)
    monkeypatch.setattr(facts, "ID_CHUNK", 7)  # many IN (...) lists instead of one
    assert (ledger.stages(TODAY), ledger.todo(TODAY)) == whole
