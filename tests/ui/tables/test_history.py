"""The history table (ui/tables/history.py): the "Par" column says who noted each line."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from models.ids import ClientId
from models.store.tables import Action
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
