"""The invoice table read ahead in a child process (ui/tables/ahead.py).

The page takes the child's table only when it is the one it would read itself: same file, same
day, no write since the child began. The fork is done in a fresh interpreter (as `main` does,
before any thread); here, in a process that runs Qt's threads, the child is started with exec.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from models.store import db
from models.store.ledger import Ledger
from tests.models.store.test_stages_stream import TODAY, random_ledger
from tests.ui.conftest import FIXED_STAGES, fixed_data
from tests.ui.conftest import TODAY as UI_TODAY
from ui.ops import Ops
from ui.tables import ahead
from ui.tables.invoice_index import COL_CLIENT, Filters, InvoiceIndex
from ui.window.invoices import InvoiceView

ROOT = Path(__file__).resolve().parents[3]

# Started as `main.open_window` starts it (the first thing, no thread yet), then, once the
# child is done, what the test asks: a write by another program, another day, another file.
SCRIPT = r"""
import datetime as dt, json, sqlite3, sys
from pathlib import Path
from ui.tables import ahead
path, day, mode = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), sys.argv[3]
reading = ahead.start(str(path), day)
if reading is None:
    print(json.dumps({"started": False}))
    sys.exit(0)
assert reading.finished(120)
from models.store.stage_cache import StageCache
from ui.tables.invoice_index import COL_CLIENT, Filters, InvoiceIndex
if mode == "write":  # another program (a script, an older Relance) disputes an invoice
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE invoice SET disputed_on = '2026-08-01' WHERE id ="
            " (SELECT MIN(id) FROM invoice WHERE disputed_on IS NULL AND written_off_on IS NULL)"
        )

def epoch_now():
    conn = sqlite3.connect(path)
    try:
        return StageCache(path).epoch(conn.cursor())
    finally:
        conn.close()

asked = path.with_name("other.sqlite") if mode == "file" else path
on = day + dt.timedelta(days=1) if mode == "day" else day
took = reading.take(asked, on, epoch_now)
again = reading.take(asked, on, epoch_now)
out = {"started": True, "took": took is not None, "again": again is not None}
if took is not None and mode != "old":
    from models.store.ledger import Ledger
    ledger = Ledger.open(str(path))
    fresh = InvoiceIndex.of_batches(ledger.iter_stage_tuple_batches(day, True), day)
    out["rows"] = fresh.count
    out["same_rows"] = list(took.rows) == list(fresh.rows)
    out["same_view"] = all(
        took.select(f, COL_CLIENT, desc) == fresh.select(f, COL_CLIENT, desc)
        for f in (Filters(), Filters(overdue_only=True), Filters(text="a"), Filters(archived=True))
        for desc in (False, True)
    )
    ledger.close()
print(json.dumps(out))
"""


def run_script(path: Path, mode: str, **env: str) -> dict[str, object]:
    """The script in a fresh interpreter; what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), TODAY.isoformat(), mode],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    """A random ledger in a file, its stage cache filled for TODAY."""
    path = tmp_path / "ledger.sqlite"
    ledger = random_ledger(str(path), seed=7)
    try:
        assert ledger.stages(TODAY)  # fills the cache
    finally:
        ledger.close()
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read ahead on Linux only")
def test_the_child_reads_the_table_the_page_would_read(ledger_file):
    got = run_script(ledger_file, "same")
    assert got["started"]
    assert got["took"]
    assert got["rows"] > 20
    assert got["same_rows"]
    assert got["same_view"]
    assert got["again"] is False  # handed over once: a later load reads the database


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read ahead on Linux only")
@pytest.mark.parametrize("mode", ["write", "day", "file"])
def test_a_write_since_the_child_read_or_another_day_or_file_gets_nothing(ledger_file, mode):
    got = run_script(ledger_file, mode)
    assert got == {"started": True, "took": False, "again": False}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read ahead on Linux only")
def test_a_file_to_upgrade_is_not_read_ahead(ledger_file):
    """The window's Ledger upgrades it first: the child reads nothing (its exit says so)."""
    with sqlite3.connect(ledger_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0011'")
    assert run_script(ledger_file, "old") == {"started": True, "took": False, "again": False}


def test_no_read_ahead_when_turned_off_without_the_cache_or_with_threads(ledger_file, monkeypatch):
    """No fork with another thread running (it would copy the locks it holds), nor when
    nothing could tell the child's table still holds (no stage cache), nor when asked."""
    gate = threading.Event()
    other = threading.Thread(target=gate.wait)
    other.start()
    try:
        assert ahead.start(str(ledger_file), TODAY) is None
    finally:
        gate.set()
        other.join()
    assert run_script(ledger_file, "same", RELANCE_READ_AHEAD="0") == {"started": False}
    assert run_script(ledger_file, "same", RELANCE_STAGE_CACHE="0") == {"started": False}
    assert run_script(ledger_file.with_name("nothing.sqlite"), "same") == {"started": False}


# -- the page --------------------------------------------------------------------------------
CHILD = (
    "import sys, datetime as dt; from pathlib import Path; from ui.tables import ahead;"
    "p = ahead.read_table(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]));"
    "sys.exit(1) if p is None else ahead.send(1, p)"
)


def child_reading(path: Path, as_of: dt.date) -> ahead.Ahead:
    """An `Ahead` on a child started with exec (this test process runs threads: no fork)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), as_of.isoformat()],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    fd = os.dup(proc.stdout.fileno())
    proc.stdout.close()
    return ahead.Ahead(proc.pid, fd, path.resolve(), as_of)


@pytest.fixture
def file_ops(tmp_path: Path, refusals) -> Ops:
    """Ops on a file ledger (read in worker threads, as the window reads) with the fixed data."""
    path = tmp_path / "ui.sqlite"
    ledger = Ledger.open(str(path))
    fixed_data(ledger)
    ledger.stages(UI_TODAY)  # the cache filled, as after any earlier listing
    ops = Ops(ledger, today=lambda: UI_TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    yield ops
    ledger.close()


def shown(view: InvoiceView) -> dict[str, str]:
    return {r.invoice: r.stage for r in view.model.visible_rows()}


@pytest.mark.parametrize("write", [False, True])
def test_the_page_shows_the_table_as_it_stands(qtbot, file_ops, write):
    """The first load takes the child's table when nothing changed; after a write made once
    the child had read, it reads the database itself: the write is shown either way."""
    path = db.sqlite_path(file_ops.ledger.url)
    assert path is not None
    reading = child_reading(path, UI_TODAY)
    assert reading.finished(120)
    expected = dict(FIXED_STAGES)
    if write:  # F-002 disputed meanwhile (another program's write)
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE invoice SET disputed_on = '2026-03-14' WHERE number = 'F-002'")
        expected["F-002"] = "disputed"
    taken: list[int | None] = []
    real_take = reading.take

    def take(*args):  # the page's call, told what it gave
        index = real_take(*args)
        taken.append(None if index is None else index.count)
        return index

    reading.take = take  # type: ignore[method-assign]
    view = InvoiceView(file_ops, ahead=reading)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.reload()
    assert shown(view) == expected
    assert taken == ([None] if write else [len(FIXED_STAGES)])
    with qtbot.waitSignal(view.loaded, timeout=30_000):  # later loads: from the database
        view.reload()
    assert shown(view) == expected
    assert len(taken) == 1


def test_a_table_read_ahead_is_the_index_the_page_builds(ledger_file):
    """What the child sends is an `InvoiceIndex` equal, field by field, to the page's own."""
    reading = child_reading(ledger_file, TODAY)
    ledger = Ledger.open(str(ledger_file))
    try:
        took = reading.take(ledger_file, TODAY, ledger.stage_epoch)
        fresh = InvoiceIndex.of_batches(ledger.iter_stage_tuple_batches(TODAY, True), TODAY)
    finally:
        ledger.close()
    assert took is not None
    assert vars(took) == vars(fresh)
    assert took.select(Filters(text="e"), COL_CLIENT, False) == fresh.select(
        Filters(text="e"), COL_CLIENT, False
    )


def test_a_write_while_the_child_reads_sends_nothing(ledger_file, monkeypatch):
    """Rows read across a write (another program's, between two of the child's reads) may
    mix two states of the ledger: the epochs read before and after differ, nothing is sent."""
    from models.store.quick import QuickReader

    real = QuickReader.iter_stage_tuple_batches

    def reading_across_a_write(self, as_of, include_archived=False):
        batches = real(self, as_of, include_archived)
        yield next(batches)
        with sqlite3.connect(ledger_file) as conn:
            conn.execute("UPDATE client SET name = name || ' SA' WHERE id = 1")
        yield from batches

    assert ahead.read_table(ledger_file, TODAY) is not None
    monkeypatch.setattr(QuickReader, "iter_stage_tuple_batches", reading_across_a_write)
    assert ahead.read_table(ledger_file, TODAY) is None


@pytest.mark.parametrize(
    "child",
    [
        "import os, struct; os.write(1, struct.pack('<Q', 1000) + b'x' * 10)",  # cut short
        "import os, struct; os.write(1, struct.pack('<Q', 4) + b'abcd')",  # not a table
        "import sys; sys.exit(3)",  # gave up (an error, a file to upgrade)
    ],
)
def test_a_child_cut_short_or_failed_gives_nothing(tmp_path, child):
    """The page then reads the database itself (nothing raised, nothing half-read kept)."""
    path = tmp_path / "x.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    fd = os.dup(proc.stdout.fileno())
    proc.stdout.close()
    reading = ahead.Ahead(proc.pid, fd, path, TODAY)
    assert reading.take(path, TODAY, lambda: 0) is None


def test_a_copied_index_is_the_index(ledger_file):
    """What a copy leaves out (orders, last search, folded numbers, cached masks) is made
    again the same, non-ASCII invoice numbers included."""
    import pickle

    ledger = Ledger.open(str(ledger_file))
    try:
        with sqlite3.connect(ledger_file) as conn:
            conn.execute("UPDATE invoice SET number = 'FÉ-' || number WHERE id % 3 = 0")
        index = InvoiceIndex.of_batches(ledger.iter_stage_tuple_batches(TODAY, True), TODAY)
    finally:
        ledger.close()
    fresh = pickle.loads(pickle.dumps(index))
    views = [(Filters(text="fé"), COL_CLIENT), (Filters(overdue_only=True), 5), (Filters(), 2)]
    for f, col in views:  # fills the orders, the last search, the masks
        index.select(f, col, False)
    copy = pickle.loads(pickle.dumps(index))
    assert vars(copy) == vars(fresh)
    assert any(not n.isascii() for n in copy.numbers)
    for f, col in views:
        assert copy.select(f, col, True) == index.select(f, col, True)
