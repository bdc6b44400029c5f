"""The stage cache never says what a fresh computation would not.

Properties, on random ledgers: a cached row holds, as the cache serves it, at every date of
its span; after any write (through the Ledger, or straight in the tables as another program
would), the cached listing equals the fresh one; rows computed before a write are never kept;
a cache of other rules or missing a trigger is rebuilt, never used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain
from pathlib import Path

import pytest

from models.errors import InputError
from models.law.policy import DEFAULT_POLICY
from models.store.facts import _stream_entries
from models.store.ledger import Ledger
from models.store.stage_cache import ROW_COLUMNS, TRIGGERS, StageCache, row_of, stage_tuple
from models.todo import stage_rows
from tests.models.store.test_stages_stream import TODAY, random_ledger, reference_stages


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another program holding the file's write lock meanwhile."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def cached_at(path: Path, as_of: dt.date) -> dict[int, object]:
    """The rows the cache holds as true on `as_of` (nothing recomputed), by invoice; hidden
    (not issued yet) ones as None."""
    conn = sqlite3.connect(path)
    try:
        cur = conn.cursor()
        shown = {r.invoice_id: r for r in StageCache.rows(cur, as_of, include_archived=True)}
        day = as_of.toordinal()
        for (i,) in cur.execute(
            "SELECT invoice_id FROM stagecache WHERE NOT shown AND valid_from <= ?"
            " AND valid_until >= ?",
            (day, day),
        ):
            shown[i] = None
        return shown
    finally:
        conn.close()


@pytest.mark.parametrize("seed", range(10))
def test_a_cached_row_holds_on_each_day_of_its_span(tmp_path, seed):
    path = tmp_path / "c.sqlite"
    ledger = random_ledger(str(path), seed)
    rng = random.Random(seed)
    try:
        start = TODAY - dt.timedelta(days=rng.randint(0, 200))
        _vary(ledger, rng, seed, start)
        assert ledger.stages(start, include_archived=True) == reference_stages(ledger, start, True)
        facts = {f.id: f for f in ledger.facts(include_archived=True)}
        with sqlite3.connect(path) as conn:
            entries = conn.execute(
                f"SELECT {ROW_COLUMNS}, valid_from, valid_until, shown FROM stagecache"
            ).fetchall()
        assert len(entries) == len(facts)
        checked = 0
        for r in entries:
            f = facts[r[0]]
            first, last = r[16], min(r[17], r[16] + 400)  # "forever" checked over 400 days
            for day in range(first, last + 1):
                fresh = stage_rows([f], dt.date.fromordinal(day), ledger.policy_for)
                if not r[18]:
                    assert fresh == [], (f.number, day)  # not issued yet
                    continue
                cached = dataclasses.replace(row_of(r, day, {}), archived=False)
                if cached.stage == "paid":  # a settled row keeps the stated due date
                    cached.due = fresh[0].due
                assert cached == fresh[0], (f.number, dt.date.fromordinal(day))
                checked += 1
        assert checked > len(entries)
    finally:
        ledger.close()


def _vary(ledger: Ledger, rng: random.Random, seed: int, start: dt.date) -> None:
    """Policies whose dates do not line up with each other, and plans around `start`."""
    if seed % 3 == 1:  # a preventive window without the preventive step
        steps = tuple(s for s in DEFAULT_POLICY.steps if s.code != "preventive")
        ledger.set_policy(
            dataclasses.replace(DEFAULT_POLICY, steps=steps, preventive_window_days=12)
        )
    elif seed % 3 == 2:
        ledger.set_policy(dataclasses.replace(DEFAULT_POLICY, preventive_window_days=0))
    owed = [r for r in ledger.stages(start) if r.balance_cents > 500 and r.stage != "disputed"]
    for r in rng.sample(owed, min(4, len(owed))):
        first = start + dt.timedelta(days=rng.randint(-10, 40))
        half = Decimal(r.balance_cents // 2) / 100
        try:
            ledger.create_plan(
                r.client_id,
                [r.invoice_id],
                start - dt.timedelta(days=rng.randint(0, 20)),
                [
                    (first, half),
                    (first + dt.timedelta(days=30), Decimal(r.balance_cents) / 100 - half),
                ],
            )
        except InputError:
            continue
        if rng.random() < 0.5:  # an instalment paid on time
            ledger.record_payment(r.invoice_id, first - dt.timedelta(days=1), half)


def _random_edit(ledger: Ledger, rng: random.Random, path: Path) -> str:
    """One random write that may move a stage; its name (for the failure message)."""
    invoices = [r.invoice_id for r in ledger.stages(TODAY, include_archived=True)]
    invoice_id = rng.choice(invoices)
    inv = ledger.invoice(invoice_id)
    on = TODAY - dt.timedelta(days=rng.randint(-20, 200))
    kind = rng.randrange(18)
    if kind == 0:
        ledger.record_payment(invoice_id, on, Decimal(rng.randint(1, 90000)) / 100)
    elif kind == 1:
        paid = ledger.payments(invoice_id)
        if paid:
            ledger.cancel_payment(rng.choice(paid).id, TODAY, "saisie erronée")
    elif kind == 2:
        step = rng.choice(["reminder_1", "reminder_2", "reminder_3", "formal_notice", ""])
        ledger.record_action(
            inv.client_id,
            on,
            rng.choice(["letter", "call", "email"]),
            invoice_ids=[invoice_id],
            step=step,
        )
    elif kind == 3:
        ledger.record_action(
            inv.client_id,
            on,
            "promise",
            invoice_ids=[invoice_id],
            promise_date=on + dt.timedelta(days=rng.randint(1, 40)),
        )
    elif kind == 4:
        ledger.mark_disputed(invoice_id, on, "contestation")
    elif kind == 5:
        ledger.write_off(invoice_id, on, "client disparu")
    elif kind == 6:
        ledger.pause(on + dt.timedelta(days=rng.randint(1, 60)), "vacances", invoice_id=invoice_id)
    elif kind == 7:
        ledger.archive_invoice(invoice_id, not inv.archived)
    elif kind == 8:
        ledger.update_client(inv.client_id, kind=rng.choice(["b2b", "b2c"]))
    elif kind == 9:
        ledger.update_invoice(
            invoice_id,
            on=TODAY,
            reason="erreur",
            due_date=inv.due_date + dt.timedelta(days=rng.randint(-40, 40)),
        )
    elif kind == 10:
        balance = ledger.balance_cents(invoice_id)
        if balance > 200:
            half = Decimal(balance // 2) / 100
            rest = Decimal(balance) / 100 - half
            ledger.create_plan(
                inv.client_id,
                [invoice_id],
                on,
                [(on + dt.timedelta(days=20), half), (on + dt.timedelta(days=50), rest)],
            )
    elif kind == 11:
        window = rng.randint(0, 20)
        ledger.set_policy(dataclasses.replace(DEFAULT_POLICY, preventive_window_days=window))
    elif kind == 12:  # another program (or an older Relance) writes straight in the tables
        with sqlite3.connect(path) as conn:
            conn.execute(
                "UPDATE payment SET date = ? WHERE id = (SELECT MIN(id) FROM payment"
                " WHERE invoice_id = ?)",
                (on.isoformat(), invoice_id),
            )
    elif kind == 13:
        with sqlite3.connect(path) as conn:
            conn.execute(
                "UPDATE action SET cancelled_on = ? WHERE id IN (SELECT action_id FROM"
                " actioninvoice WHERE invoice_id = ?)",
                (TODAY.isoformat(), invoice_id),
            )
    else:  # rows added or changed straight in the tables
        with sqlite3.connect(path) as conn:
            raw = rng.randrange(6)
            if raw == 0:
                conn.execute(
                    "INSERT INTO payment (invoice_id, date, amount_cents, method, reference,"
                    " cancel_reason, version) VALUES (?, ?, ?, 'transfer', '', '', 1)",
                    (invoice_id, on.isoformat(), rng.randint(100, 200000)),
                )
            elif raw == 1:
                cur = conn.execute(
                    "INSERT INTO action (client_id, date, kind, channel, step, outcome, notes,"
                    " document_path, registered_number, cancel_reason) VALUES"
                    " (?, ?, 'letter', 'letter', ?, '', '', '', '', '')",
                    (inv.client_id, on.isoformat(), rng.choice(["reminder_2", "formal_notice"])),
                )
                conn.execute(
                    "INSERT INTO actioninvoice (action_id, invoice_id) VALUES (?, ?)",
                    (cur.lastrowid, invoice_id),
                )
            elif raw == 2:  # the latest plan's first instalment moved
                conn.execute(
                    "UPDATE instalment SET due_date = ? WHERE id = (SELECT MIN(id) FROM"
                    " instalment WHERE plan_id = (SELECT MAX(id) FROM paymentplan))",
                    (on.isoformat(),),
                )
            elif raw == 3:
                conn.execute(
                    "UPDATE client SET paused_until = ?, is_new = NOT is_new WHERE id = ?",
                    ((on + dt.timedelta(days=30)).isoformat(), inv.client_id),
                )
            elif raw == 4:  # an invoice taken out of the latest plan
                conn.execute(
                    "DELETE FROM planinvoice WHERE plan_id = (SELECT MAX(plan_id) FROM planinvoice)"
                )
            else:
                conn.execute(
                    "DELETE FROM actioninvoice WHERE invoice_id = ? AND action_id ="
                    " (SELECT MAX(action_id) FROM actioninvoice WHERE invoice_id = ?)",
                    (invoice_id, invoice_id),
                )
            kind = 14 + raw
    return f"edit {kind} on invoice {invoice_id} dated {on}"


@pytest.mark.parametrize("seed", range(6))
def test_after_any_write_the_cached_listing_is_the_fresh_one(tmp_path, seed):
    path = tmp_path / "w.sqlite"
    ledger = random_ledger(str(path), seed)
    rng = random.Random(100 + seed)
    try:
        for _ in range(40):
            day = TODAY + dt.timedelta(days=rng.choice([0, 0, 1, 9, 40]))
            ledger.stages(day, include_archived=True)  # fills or completes the cache
            try:
                what = _random_edit(ledger, rng, path)
            except InputError:
                continue  # refused (an amount over the balance...): nothing written
            for archived in (False, True):
                assert ledger.stages(day, include_archived=archived) == reference_stages(
                    ledger, day, archived
                ), what
            for archived in (False, True):
                assert list(
                    chain.from_iterable(ledger.iter_stage_tuple_batches(day, archived))
                ) == [stage_tuple(r) for r in reference_stages(ledger, day, archived)], what
            assert list(ledger.iter_stage_briefs(day)) == [
                (
                    r.invoice,
                    r.client,
                    r.stage,
                    r.balance_cents,
                    r.due.toordinal(),
                    r.days_late,
                    r.next_action,
                    r.next_action_on and r.next_action_on.toordinal(),
                )
                for r in reference_stages(ledger, day, False)
            ], what
    finally:
        ledger.close()


def test_rows_computed_before_a_write_are_never_kept(tmp_path):
    path = tmp_path / "r.sqlite"
    ledger = random_ledger(str(path), 3)
    try:
        ledger.stages(TODAY)  # the cache installed and filled
        cache = StageCache(path)
        with ledger._read() as conn:
            epoch = cache.epoch(conn.connection.dbapi_connection.cursor())
            assert epoch is not None
            entries = [
                e
                for batch in _stream_entries(conn, TODAY, ledger.policy_for, None)
                for e, _ in batch
            ]
        owed = next(r for r in ledger.stages(TODAY) if r.balance_cents > 0)
        ledger.record_payment(owed.invoice_id, TODAY, Decimal(owed.balance_cents) / 100)
        assert not cache.store(epoch, entries)  # the payment moved the epoch: nothing kept
        cache.close()
        assert ledger.stages(TODAY) == reference_stages(ledger, TODAY, False)
        assert next(r for r in ledger.stages(TODAY) if r.invoice_id == owed.invoice_id).stage == (
            "paid"
        )
    finally:
        ledger.close()


def test_a_cache_of_other_rules_or_missing_a_trigger_is_rebuilt(tmp_path):
    path = tmp_path / "t.sqlite"
    ledger = random_ledger(str(path), 5)
    try:
        expected = reference_stages(ledger, TODAY, False)
        assert ledger.stages(TODAY) == expected
        with sqlite3.connect(path) as conn:  # as a migration rebuilding the table would
            conn.execute("DROP TRIGGER stagecache_payment_insert")
            # and rows that no longer match the facts: they must not be served
            conn.execute("UPDATE stagecache SET stage = 'litigation'")
        assert StageCache(path).epoch(sqlite3.connect(path).cursor()) is None
        assert ledger.stages(TODAY) == expected
        with sqlite3.connect(path) as conn:
            names = {
                n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            assert set(TRIGGERS) <= names
            conn.execute("UPDATE stagecache_meta SET fingerprint = 'older rules'")
            conn.execute("UPDATE stagecache SET stage = 'litigation'")
        assert ledger.stages(TODAY) == expected
        kept = {i: r for i, r in cached_at(path, TODAY).items() if r is not None}
        assert sorted(kept.values(), key=lambda r: (r.due, r.invoice)) == reference_stages(
            ledger, TODAY, True
        )  # the rows put there by hand are gone, the true ones back
    finally:
        ledger.close()


def test_a_busy_or_read_only_file_gives_the_rows_all_the_same(tmp_path):
    path = tmp_path / "b.sqlite"
    ledger = random_ledger(str(path), 7)
    try:
        expected = reference_stages(ledger, TODAY, False)
        with write_lock(path):  # another program holds the write lock
            assert ledger.stages(TODAY) == expected  # computed, nothing kept
        with sqlite3.connect(path) as conn:
            assert conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'stagecache'"
            ).fetchone() == (0,)
        assert ledger.stages(TODAY) == expected  # now installed and filled
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM stagecache").fetchone()[0] > 0
        # Busy again on a later day: the rows no longer true are computed and merged into the
        # cached ones (nothing kept), in order, archived ones and briefs too.
        later = TODAY + dt.timedelta(days=45)
        with write_lock(path):
            for archived in (False, True):
                assert ledger.stages(later, include_archived=archived) == reference_stages(
                    ledger, later, archived
                )
            assert list(chain.from_iterable(ledger.iter_stage_tuple_batches(later, True))) == [
                stage_tuple(r) for r in reference_stages(ledger, later, True)
            ]
            assert [b[0] for b in ledger.iter_stage_briefs(later)] == [
                r.invoice for r in reference_stages(ledger, later, False)
            ]
        with sqlite3.connect(path) as conn:  # nothing was kept for that day
            day = later.toordinal()
            valid = conn.execute(
                "SELECT COUNT(*) FROM stagecache WHERE valid_from <= ? AND valid_until >= ?",
                (day, day),
            ).fetchone()[0]
            assert 0 < valid < conn.execute("SELECT COUNT(*) FROM invoice").fetchone()[0]
    finally:
        ledger.close()


def test_without_a_file_or_with_the_cache_off_every_row_is_computed(tmp_path, monkeypatch):
    ledger = random_ledger(str(tmp_path / "o.sqlite"), 2)
    try:
        monkeypatch.setenv("RELANCE_STAGE_CACHE", "0")
        assert ledger.stage_cache() is None
        assert ledger.stages(TODAY) == reference_stages(ledger, TODAY, False)
        with sqlite3.connect(tmp_path / "o.sqlite") as conn:
            assert conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'stagecache'"
            ).fetchone() == (0,)
    finally:
        ledger.close()


def _plan_ledger(path: Path) -> tuple[Ledger, int, int, int]:
    """Two invoices under one plan, on schedule today: its first instalment paid."""
    ledger = Ledger.open(str(path))
    client = ledger.add_client("Atelier Dupuis")
    issued = TODAY - dt.timedelta(days=90)
    a = ledger.add_invoice(client, "P-1", issued, Decimal("1000.00"))
    b = ledger.add_invoice(client, "P-2", issued, Decimal("500.00"))
    plan = ledger.create_plan(
        client,
        [a, b],
        TODAY - dt.timedelta(days=20),
        [
            (TODAY - dt.timedelta(days=10), Decimal("500.00")),
            (TODAY + dt.timedelta(days=20), Decimal("1000.00")),
        ],
        waive_penalties=True,
    )
    ledger.record_payment(a, TODAY - dt.timedelta(days=11), Decimal("500.00"))
    return ledger, a, b, plan


@pytest.mark.parametrize(
    "sql",
    [
        # the second instalment moved to last month, unpaid: the plan is missed
        "UPDATE instalment SET due_date = '{past}' WHERE plan_id = {plan} AND due_date = '{later}'",
        # the payment that kept it on schedule cancelled: both invoices fall back
        "UPDATE payment SET cancelled_on = '{today}' WHERE invoice_id = {a}",
        # the second invoice paid in full, by another program: paid, the first still in plan
        "INSERT INTO payment (invoice_id, date, amount_cents, method, reference,"
        " cancel_reason, version) VALUES ({b}, '{past}', 50000, 'transfer', '', '', 1)",
        "DELETE FROM planinvoice WHERE plan_id = {plan} AND invoice_id = {b}",
        "UPDATE paymentplan SET cancelled_on = '{past}' WHERE id = {plan}",
    ],
)
def test_plan_edits_straight_in_the_tables_clear_every_invoice_of_the_plan(tmp_path, sql):
    path = tmp_path / "p.sqlite"
    ledger, a, b, plan = _plan_ledger(path)
    try:
        before = ledger.stages(TODAY)  # the cache filled
        assert {r.stage for r in before} == {"payment_plan"}
        with sqlite3.connect(path) as conn:
            conn.execute(
                sql.format(
                    a=a,
                    b=b,
                    plan=plan,
                    today=TODAY,
                    past=TODAY - dt.timedelta(days=30),
                    later=TODAY + dt.timedelta(days=20),
                )
            )
        after = ledger.stages(TODAY)
        assert after == reference_stages(ledger, TODAY, False)
        assert after != before
    finally:
        ledger.close()


@pytest.mark.parametrize("seed", range(4))
def test_a_fill_makes_the_entries_its_rows_would(tmp_path, seed):
    # The whole fill builds a settled invoice's entry straight from its columns: the same
    # entry as the one made from its stage row (with archived, hidden and max-term invoices).
    ledger = random_ledger(str(tmp_path / "f.sqlite"), seed)
    try:
        for day in (TODAY, TODAY - dt.timedelta(days=90)):
            with ledger._read() as conn:
                plain = [
                    e
                    for batch in _stream_entries(conn, day, ledger.policy_for, None, False)
                    for e, _ in batch
                ]
                made = [
                    e
                    for batch in _stream_entries(conn, day, ledger.policy_for, None)
                    for e, _ in batch
                ]
            assert plain == made
            assert any(e.stage == "paid" for e in plain)
    finally:
        ledger.close()


WRITER = """
import datetime as dt, random, sys, time
from decimal import Decimal
from models.store.ledger import Ledger
led = Ledger.open(sys.argv[1], create=False)
today = dt.date.fromisoformat(sys.argv[2])
owed = [r for r in led.stages(today) if r.balance_cents > 100]
rng = random.Random(4)
while time.time() < float(sys.argv[3]):  # start together
    time.sleep(0.001)
for n in range(60):
    r = rng.choice(owed)
    led.record_payment(r.invoice_id, today, Decimal("0.01"), "transfer")
    if n % 3 == 0:
        led.record_action(r.client_id, today, "call", invoice_ids=[r.invoice_id], notes=str(n))
    time.sleep(0.005)
led.close()
"""

LISTER = """
import datetime as dt, sys, time
from models.store.ledger import Ledger
led = Ledger.open(sys.argv[1], create=False)
today = dt.date.fromisoformat(sys.argv[2])
while time.time() < float(sys.argv[3]):
    time.sleep(0.001)
for n in range(24):
    day = today + dt.timedelta(days=n % 3 * 20)  # other days: rows computed and kept
    rows = led.stages(day, include_archived=bool(n % 2))
    assert rows and len({r.invoice_id for r in rows}) == len(rows), n
led.close()
"""


def test_a_writer_and_a_lister_at_once_leave_a_true_cache(tmp_path):
    # Real processes on one file: the listings keep rows while payments and calls are written;
    # no write is refused, and what the cache holds at the end is what a fresh computation says.
    import subprocess
    import sys
    import time

    from models.demo import build_demo

    path = tmp_path / "p.sqlite"
    ledger = Ledger.open(str(path))
    build_demo(ledger, TODAY, seed=9, clients=30, invoices_per_client=(2, 8))
    payments = ledger.counts()["payments"]
    ledger.stages(TODAY)  # the cache installed and filled
    ledger.close()
    root = Path(__file__).resolve().parents[3]
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path), TODAY.isoformat(), start],
            cwd=root,
            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
            stderr=subprocess.PIPE,
            text=True,
        )
        for code in (WRITER, LISTER)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    ledger = Ledger.open(str(path))
    try:
        assert ledger.counts()["payments"] == payments + 60
        for day in (TODAY, TODAY + dt.timedelta(days=20), TODAY + dt.timedelta(days=40)):
            fresh = reference_stages(ledger, day, True)
            kept = [r for r in cached_at(path, day).values() if r is not None]
            assert kept  # the lister's rows were kept between the writes
            by_id = {r.invoice_id: r for r in fresh}
            for row in kept:  # every row the cache holds as true is true
                assert row == by_id[row.invoice_id]
            assert ledger.stages(day, include_archived=True) == fresh
    finally:
        ledger.close()
