"""The light read path (plain sqlite3, no ORM) gives the aged balance, stages and to-do the
Ledger gives.

And it is taken only when opening the Ledger would change nothing: a file that needs its daily
backup, an upgrade, its stamp, or is not a file at all goes through the full Ledger.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import replace
from itertools import chain
from pathlib import Path

import pytest

from models.law.aging import Buckets
from models.store.ledger import Ledger
from models.store.quick import QuickReader
from tests.models.store.test_stages_stream import TODAY, random_ledger
from tests.models.store.test_todo_reads import todo_ledger

NOW = dt.datetime(2026, 11, 23, 9, 30)


def opened(path: Path, now: dt.datetime = NOW) -> Ledger:
    """Open as the command line does: the daily backup made for `now`."""
    return Ledger.open(str(path), now=now, create=False)


@pytest.mark.parametrize("seed", range(6))
def test_quick_aged_balance_equals_the_ledgers_on_random_ledgers(tmp_path, seed):
    path = tmp_path / "r.sqlite"
    random_ledger(str(path), seed).close()
    ledger = opened(path)
    rng = random.Random(seed)
    if seed % 2:
        ledger.set_setting("aging_bounds", [15, 45, 120, 365])
    try:
        reader = QuickReader.open(str(path), NOW)
        assert reader is not None
        try:
            assert reader.buckets() == ledger.buckets()
            for as_of in (
                TODAY,
                TODAY - dt.timedelta(days=rng.randint(1, 400)),
                TODAY.replace(2030),
            ):
                expected = ledger.aged_balance(as_of)
                assert expected.rows or as_of != TODAY
                assert reader.aged_balance(as_of) == expected
                other = Buckets((7, 14))
                assert reader.aged_balance(as_of, other) == ledger.aged_balance(as_of, other)
        finally:
            reader.close()
    finally:
        ledger.close()


def test_quick_reader_only_when_the_ledger_would_change_nothing(tmp_path, monkeypatch):
    path = tmp_path / "q.sqlite"
    assert QuickReader.open(str(path), NOW) is None  # missing: the Ledger says so or makes it
    Ledger.open(str(path)).close()  # made, no backup yet
    assert QuickReader.open(str(path), NOW) is None  # today's backup to make
    opened(path).close()
    reader = QuickReader.open(str(path), NOW)
    assert reader is not None
    reader.close()
    assert QuickReader.open(str(path), NOW + dt.timedelta(days=1)) is None  # a new day
    assert QuickReader.open(f"sqlite:///{path}", NOW) is None  # a URL: the full path
    monkeypatch.setenv("RELANCE_DB", str(path))
    reader = QuickReader.open(None, NOW)  # $RELANCE_DB as the Ledger reads it
    assert reader is not None
    reader.close()
    with sqlite3.connect(path) as conn:  # an older stamp: the Ledger restamps it
        conn.execute("PRAGMA user_version=1")
    assert QuickReader.open(str(path), NOW) is None
    opened(path).close()
    with sqlite3.connect(path) as conn:  # an older revision: the Ledger upgrades it
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert QuickReader.open(str(path), NOW) is None


def test_the_current_file_is_read_whether_backed_up_or_not(tmp_path):
    """`open_current` (the window's read ahead): the same conditions but today's backup,
    which the window's Ledger makes while the child reads (a copy: no row changes)."""
    path = tmp_path / "c.sqlite"
    assert QuickReader.open_current(str(path)) is None  # missing
    Ledger.open(str(path)).close()  # made, no backup yet
    reader = QuickReader.open_current(str(path))
    assert reader is not None
    reader.close()
    assert QuickReader.open(str(path), NOW) is None  # the command line's: backup first
    assert QuickReader.open_current(f"sqlite:///{path}") is None
    with sqlite3.connect(path) as conn:  # an older revision: the Ledger upgrades it
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert QuickReader.open_current(str(path)) is None


@pytest.mark.parametrize("seed", range(6))
def test_quick_stages_equal_the_ledgers_on_random_ledgers(tmp_path, seed):
    path = tmp_path / "s.sqlite"
    random_ledger(str(path), seed).close()
    ledger = opened(path)
    rng = random.Random(seed)
    reader = QuickReader.open(str(path), NOW)
    assert reader is not None
    try:
        for as_of in (TODAY, TODAY - dt.timedelta(days=rng.randint(1, 400)), dt.date(2030, 1, 1)):
            for archived in (False, True):
                expected = list(ledger.iter_stages(as_of, include_archived=archived))
                assert list(reader.iter_stages(as_of, include_archived=archived)) == expected
                small = list(reader.iter_stages(as_of, include_archived=archived, batch=7))
                assert small == expected
                tuples = list(chain.from_iterable(ledger.iter_stage_tuple_batches(as_of, archived)))
                got = reader.iter_stage_tuple_batches(as_of, archived)
                assert list(chain.from_iterable(got)) == tuples
        assert sorted(reader.archived_invoice_ids()) == sorted(ledger.archived_invoice_ids())
        # The stage cache's epoch (the read ahead's check) is the same seen from both, and a
        # write that moves a stage moves it.
        epoch = reader.stage_epoch()
        assert epoch is not None
        assert epoch == ledger.stage_epoch()
        ledger.mark_disputed(expected[0].invoice_id, TODAY, "Contestée")
        assert reader.stage_epoch() == ledger.stage_epoch() != epoch
    finally:
        reader.close()
        ledger.close()


def test_quick_stages_follow_the_stored_policies(tmp_path):
    path = tmp_path / "p.sqlite"
    random_ledger(str(path), 4).close()
    ledger = opened(path)
    strict = replace(
        ledger.policy(),
        steps=tuple(replace(s, offset_days=s.offset_days + 3) for s in ledger.policy().steps),
    )
    ledger.set_policy(strict)
    ledger.set_policy(replace(strict, name="Souple", preventive_window_days=2), "Souple")
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE client SET policy_name = 'Souple' WHERE id % 2 = 0")
    ledger.close()
    ledger = opened(path)
    reader = QuickReader.open(str(path), NOW)
    assert reader is not None
    try:
        assert reader.policy() == ledger.policy() == strict
        assert reader.policy("Souple") == ledger.policy("Souple")
        expected = list(ledger.iter_stages(TODAY))
        assert any(r.next_action for r in expected)
        assert list(reader.iter_stages(TODAY)) == expected
    finally:
        reader.close()
        ledger.close()


@pytest.mark.parametrize("seed", range(8))
def test_quick_todo_equals_the_ledgers_on_random_ledgers(tmp_path, seed):
    """Marks included: missing contacts, e-mails in "état inconnu", promises, plans, policies."""
    path = tmp_path / "t.sqlite"
    todo_ledger(str(path), seed).close()
    ledger = opened(path)
    rng = random.Random(seed)
    reader = QuickReader.open(str(path), NOW)
    assert reader is not None
    try:
        assert reader.pending_mails() == ledger.pending_mails()
        for as_of in (
            TODAY,
            TODAY - dt.timedelta(days=rng.randint(1, 400)),
            TODAY + dt.timedelta(days=rng.randint(1, 60)),
            dt.date(2030, 1, 1),
        ):
            expected = ledger.todo(as_of)
            assert reader.todo(as_of) == expected
            assert expected or as_of != TODAY
    finally:
        reader.close()
        ledger.close()


def test_quick_todo_cases_are_all_there(tmp_path):
    """The random to-do ledgers of seeds 0-7 hold every case the equivalence is about."""
    seen: set[str] = set()
    for seed in range(8):
        path = tmp_path / f"c{seed}.sqlite"
        todo_ledger(str(path), seed).close()
        opened(path).close()  # today's backup made
        reader = QuickReader.open(str(path), NOW)
        assert reader is not None
        try:
            for item in reader.todo(TODAY) + reader.todo(dt.date(2030, 1, 1)):
                seen.add(item.step)
                seen.update(("postal",) if "postale" in item.missing else ())
                seen.update(("no e-mail",) if "e-mail" in item.missing else ())
                seen.update(("unknown",) if item.unknown_mail else ())
                seen.update(("barred",) if "créance prescrite" in item.label else ())
        finally:
            reader.close()
    cases = {"postal", "no e-mail", "unknown", "promise", "instalment", "limitation", "barred"}
    assert cases <= seen
