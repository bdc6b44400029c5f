"""The history table (ui/tables/history.py): the "Par" column says who noted each line."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import text

from models.ids import ClientId
from models.store.tables import Action
from models.user import set_local_user_name
from ui.tables.history import COL_BY, HEADERS, HistoryTableModel


def test_the_by_column_shows_who_recorded_the_line(ledger):
    ledger.user = "Marie"
    c = ledger.add_client("Studio Kasba")
    ledger.record_action(c, dt.date(2026, 3, 1), "call", notes="absent")
    ledger.user = "Paul"
    ledger.record_action(c, dt.date(2026, 3, 2), "note", notes="rappelé")
    model = HistoryTableModel()
    model.set_rows(ledger.history(ClientId(c)))
    assert HEADERS[COL_BY] == "Par"
    assert model.headerData(COL_BY, Qt.Orientation.Horizontal) == "Par"
    assert [model.index(r, COL_BY).data() for r in range(2)] == ["Marie", "Paul"]
    tip = model.index(0, COL_BY).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Noté par Marie le ")


def test_lines_older_than_the_column_show_nothing():
    model = HistoryTableModel()
    old = Action(id=1, client_id=1, date=dt.date(2025, 1, 5), kind="call")
    model.set_rows([(old, [])])
    assert model.index(0, COL_BY).data() == ""


def test_the_by_column_shows_the_role_on_a_server_and_the_name_chosen_on_a_file(
    ledger_any, monkeypatch
):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    set_local_user_name("Claire Martin")  # chosen on this machine (the start-up question)
    ledger_any.forget_user()
    c = ledger_any.add_client("Studio Kasba")
    ledger_any.record_action(c, dt.date(2026, 3, 1), "call", notes="absent")
    model = HistoryTableModel()
    model.set_rows(ledger_any.history(ClientId(c)))
    if ledger_any.shared:  # the server's role first, the name chosen here after it
        with ledger_any.engine.connect() as conn:
            role = conn.execute(text("SELECT current_user")).scalar()
        assert model.index(0, COL_BY).data() == f"Claire Martin ({role})"
    else:
        assert model.index(0, COL_BY).data() == "Claire Martin"
