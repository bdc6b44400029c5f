"""Ops.run: a database or file error is said in French, rolled back, and the views re-read."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QSettings

from models.store import db
from models.store.ledger import Ledger
from tests.ui.conftest import TODAY, fixed_data
from ui.ops import Ops
from ui.tables.invoice_index import COL_BALANCE, COL_STAGE
from ui.window.main import MainWindow

BUSY = "la base est utilisée par une autre fenêtre ou un autre programme, réessayez"


def shown(win: MainWindow, number: str) -> tuple[str, str]:
    m = win.invoices.model
    r = next(i for i in range(m.rowCount()) if m.row_at(i).invoice == number)
    return m.data(m.index(r, COL_STAGE)), m.data(m.index(r, COL_BALANCE))


def test_a_database_error_during_a_payment_changes_nothing(qtbot, tmp_path, monkeypatch):
    # Issue 12, item 5: "database is locked" while recording a payment went to stderr only.
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    fixed_data(led)
    ops = Ops(led, today=lambda: TODAY)
    problems: list[str] = []
    ops.show_problem = lambda _parent, text: problems.append(text)
    win = MainWindow(ops, QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data and win.balance is not None, timeout=10000)
    before_view, before_counts = shown(win, "F-002"), led.counts()
    row = next(r for r in win.invoices.model.index_data.rows if r.invoice == "F-002")
    assert win.invoices.select_invoice(row.invoice_id)
    dialog = win.invoices.record_payment()
    other = sqlite3.connect(tmp_path / "relance.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writes for a long while
    try:
        dialog.save()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert problems == [BUSY]
    assert not dialog.saved
    assert led.counts() == before_counts
    qtbot.wait(200)
    qtbot.waitUntil(lambda: win.invoices.has_data, timeout=10000)
    assert shown(win, "F-002") == before_view
    dialog.save()  # the lock is gone: the same payment goes through
    assert dialog.saved
    assert led.counts()["payments"] == before_counts["payments"] + 1
    win.close()
    led.close()


@pytest.mark.parametrize("error", ["disk", "file"])
def test_file_and_database_errors_become_a_message(qtbot, ops, error):
    import errno

    from sqlalchemy.exc import OperationalError

    problems: list[str] = []
    ops.show_problem = lambda _parent, text: problems.append(text)

    def work() -> None:
        if error == "disk":
            raise OperationalError(
                "INSERT", {}, sqlite3.OperationalError("database or disk is full")
            )
        raise OSError(errno.ENOSPC, "No space left on device", "/media/cle/x.pdf")

    with qtbot.waitSignal(ops.changed):  # the views re-read the database as it is
        assert ops.run(None, work) is None
    assert "disque plein" in problems[0]
    if error == "file":
        assert "/media/cle/x.pdf" in problems[0]
