"""The demo data set: realistic size, every stage, dated relative to the day given."""

import collections
import datetime as dt

from stdnum.fr import siren

from models.demo import build_demo, luhn_siren
from models.stages import STAGES

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
