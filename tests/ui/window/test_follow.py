"""The window follows the changes made from another machine on the same ledger (issue 18)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings

from models.ids import InvoiceId
from models.store.ledger import Ledger
from tests.ui.conftest import TODAY, fixed_data
from ui.ops import Ops
from ui.window.main import MainWindow


@pytest.fixture
def shared(tmp_path):
    """The fixed data set in a file, and a second ledger on it (another machine)."""
    path = str(tmp_path / "partagee.sqlite")
    first = Ledger.open(path)
    ids = fixed_data(first)
    other = Ledger.open(path)
    other.user = "Paul"
    yield first, other, ids
    other.close()
    first.close()


def test_a_payment_recorded_elsewhere_shows_after_the_poll_selection_kept(qtbot, tmp_path, shared):
    first, other, ids = shared
    ops = Ops(first, today=lambda: TODAY)
    win = MainWindow(ops, QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    win.follower.timer.stop()  # the test polls itself: no timing
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data and win.balance is not None, timeout=10_000)
    assert win.invoices.select_invoice(ids["F-012"])
    assert win.invoices.row_for(ids["F-030"]).balance_cents == 30000
    assert win.follower.poll() is False  # nothing new yet

    other.record_payment(InvoiceId(ids["F-030"]), TODAY, Decimal("300"), "cheque")

    messages: list[str] = []
    win.follower.followed.connect(messages.append)
    assert win.follower.poll() is True
    qtbot.waitUntil(lambda: win.invoices.row_for(ids["F-030"]).balance_cents == 0, timeout=10_000)
    assert win.invoices.row_for(ids["F-030"]).stage == "paid"
    assert win.invoices.current_id() == ids["F-012"]  # the selection stayed
    assert messages == ["Mis à jour : des changements ont été faits depuis un autre poste."]
    qtbot.waitUntil(lambda: not win.balance_loader.running, timeout=10_000)
    # The window's own writes are not "someone else's".
    first.record_payment(InvoiceId(ids["F-012"]), TODAY, Decimal("10"), "cheque")
    assert win.follower.poll() is False


@pytest.fixture
def server_url(request: pytest.FixtureRequest) -> str:
    """An empty PostgreSQL database's URL from the `pg_url` fixture, else the test is skipped."""
    try:
        return str(request.getfixturevalue("pg_url"))
    except pytest.FixtureLookupError:
        pytest.skip("pas de serveur PostgreSQL de test (fixture pg_url absente)")


def test_on_the_server_a_notify_brings_the_change_without_waiting_for_the_poll(qtbot, server_url):
    """Issue 18: on PostgreSQL the window LISTENs; the other's write NOTIFYs it at once."""
    from ui.window.follow import ChangeFollower

    first, other = Ledger.open(server_url), Ledger.open(server_url)
    c = first.add_client("Boulangerie Martin")
    inv = first.add_invoice(c, "F-1", TODAY, Decimal("300"))
    ops = Ops(first, today=lambda: TODAY)
    follower = ChangeFollower(ops, interval_ms=3_600_000)  # the poll never fires here
    follower.start()
    assert follower.listener is not None
    seen: list[str] = []
    ops.changed.connect(seen.append)
    other.record_payment(InvoiceId(inv), TODAY, Decimal("300"), "cheque")
    qtbot.waitUntil(lambda: seen == ["all"], timeout=10_000)
    follower.stop()
    other.close()
    first.close()
