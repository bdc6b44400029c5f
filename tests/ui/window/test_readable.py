"""Readable at 1280×720, and the small things (issue 14): names whole, tooltips, title."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, Qt

from models.store.ledger import Ledger
from ui.ops import Ops
from ui.tables.invoice_index import COL_CLIENT, COL_NEXT
from ui.window.main import TAB_CLIENTS, MainWindow, window_title


def window_at(qtbot, ops, tmp_path, name: str = "r.ini") -> MainWindow:
    settings = QSettings(str(tmp_path / name), QSettings.Format.IniFormat)
    win = MainWindow(ops, settings)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data)
    return win


def test_client_names_are_whole_at_1280_by_720(qtbot, ops, data, tmp_path, ledger):
    """Rule: at 1280×720 the first client's name is displayed whole (its rect holds its text)."""
    led_client = ledger.add_client("Architectes Morel Associés Lyon")  # 31 characters
    assert led_client
    win = window_at(qtbot, ops, tmp_path)
    win.show_tab(TAB_CLIENTS)
    view = win.clients_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 5)
    table = view.table
    for row in range(view.proxy.rowCount()):
        index = view.proxy.index(row, 0)
        name = str(index.data())
        needed = table.fontMetrics().horizontalAdvance(name)
        if len(name) <= 20:  # at least 20 characters are always whole
            assert table.visualRect(index).width() >= needed, name
        assert index.data(Qt.ItemDataRole.ToolTipRole) == name  # the whole name in a tip
    assert table.columnWidth(0) >= view.name_room()


def test_cut_text_in_the_invoice_table_has_a_tooltip(qtbot, ops, data, tmp_path):
    """Rule: a cell cut with '…' shows its whole text as a tooltip."""
    win = window_at(qtbot, ops, tmp_path)
    model = win.invoices.model
    for row in range(model.rowCount()):
        cell = model.index(row, COL_NEXT)
        if model.data(cell):
            assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == model.data(cell)
        name = model.index(row, COL_CLIENT)
        assert str(model.data(name, Qt.ItemDataRole.ToolTipRole)).startswith(model.data(name))


def test_history_share_is_remembered(qtbot, ops, data, tmp_path):
    """Rule: the history pane's share of the client page is kept from one start to the next."""
    win = window_at(qtbot, ops, tmp_path)
    win.show_tab(TAB_CLIENTS)
    lower = win.clients_view.page.lower
    total = sum(lower.sizes())
    lower.setSizes([total // 4, total - total // 4])
    wanted = lower.sizes()
    win.save_layout()
    again = window_at(qtbot, ops, tmp_path)
    again.show_tab(TAB_CLIENTS)
    assert again.clients_view.page.lower.sizes() == wanted


def test_title_names_the_file_once(tmp_path):
    """Rule: the title is 'Relance — <file name>', Relance said once."""
    assert window_title(f"sqlite:///{tmp_path / 'compta.relance'}") == "Relance — compta.relance"
    assert window_title("sqlite://") == "Relance"


def test_opening_a_client_keeps_the_archived_filter_off(qtbot, ops, data, tmp_path):
    """Rule: opening a live client (from the to-do) leaves 'archivés' as it was."""
    win = window_at(qtbot, ops, tmp_path)
    win.show_client(data["lumen"])
    view = win.clients_view
    qtbot.waitUntil(lambda: view.current_client() == data["lumen"])
    assert not view.archived.isChecked()


def test_file_window_title(qtbot, tmp_path):
    """Rule: the window of a database file carries its name."""
    ledger = Ledger.open(str(tmp_path / "compta.relance"))
    try:
        win = window_at(qtbot, Ops(ledger), tmp_path)
        assert win.windowTitle() == "Relance — compta.relance"
    finally:
        ledger.close()


def test_header_leaves_room_for_the_sort_arrow(qtbot, ops, data, tmp_path):
    """Rule: every invoice column is wide enough for its title and the sort arrow beside it."""
    from ui.widgets import header_room

    win = window_at(qtbot, ops, tmp_path)
    header = win.invoices.table.horizontalHeader()
    model = win.invoices.model
    for col in range(model.columnCount() - 1):  # the last one stretches
        title = str(model.headerData(col, Qt.Orientation.Horizontal))
        arrow = header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMarkSize)
        text = header.fontMetrics().horizontalAdvance(title)
        assert header.sectionSize(col) >= text + 2 * arrow, title
        assert header.sectionSize(col) >= header_room(header, title)


def test_the_history_keeps_rows_to_read_at_1280x720(qtbot, ledger):
    """Issue 14: at 1280x720 the client page shows several history lines, not two."""
    from models.demo import build_demo

    build_demo(ledger, dt.date(2026, 3, 15))
    window = MainWindow(Ops(ledger, today=lambda: dt.date(2026, 3, 15)))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.show_tab(TAB_CLIENTS)
    clients = window.clients_view
    qtbot.waitUntil(lambda: clients.table.model().rowCount() > 0, timeout=10000)
    clients.table.selectRow(0)
    qtbot.waitUntil(lambda: clients.page.history_model.rowCount() > 4, timeout=10000)
    view = clients.page.history_view
    qtbot.wait(50)
    row_height = view.verticalHeader().defaultSectionSize()
    assert view.viewport().height() >= 4 * row_height
