"""Two writers at once: BEGIN IMMEDIATE makes the second wait its turn instead of failing."""

import datetime as dt
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from models.errors import StorageError
from models.store import db
from models.store.ledger import Ledger

ROOT = Path(__file__).resolve().parents[3]

WRITER = """
import datetime as dt, sys, time
from decimal import Decimal
from models.store.ledger import Ledger
led = Ledger.open(sys.argv[1], create=False)
invoice = led.find_invoice(sys.argv[2]).id
while time.time() < float(sys.argv[3]):  # start together
    time.sleep(0.001)
for n in range(200):
    led.record_payment(invoice, dt.date(2026, 2, 1), Decimal("0.01"), "transfer")
led.close()
"""


def test_two_processes_record_400_payments_none_refused(tmp_path):
    # Issue 12, item 4: deferred BEGIN failed with "database is locked" in 0.03 s.
    import time

    path = tmp_path / "r.sqlite"
    led = Ledger.open(str(path))
    c = led.add_client("A")
    led.add_invoice(c, "FA-1", dt.date(2026, 1, 5), Decimal("100"))
    led.add_invoice(c, "FA-2", dt.date(2026, 1, 5), Decimal("100"))
    led.close()
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), number, start],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in ("FA-1", "FA-2")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    led = Ledger.open(str(path))
    assert led.counts()["payments"] == 400
    led.close()


def test_a_lock_held_too_long_is_said_in_french(tmp_path, monkeypatch):
    # Past the busy timeout the write is refused with the sentence of issue 12, nothing written.
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "r.sqlite"
    led = Ledger.open(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError) as refused:
            led.add_client("Pendant le verrou")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert str(refused.value) == db.BUSY_MESSAGE
    assert str(refused.value) == (
        "la base est utilisée par une autre fenêtre ou un autre programme, réessayez"
    )
    assert led.counts()["clients"] == 0
    led.add_client("Après le verrou")
    assert led.counts()["clients"] == 1
    led.close()
