"""The main window (ui/window/main.py): tabs, menus, shortcuts, status bar, saved layout."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

import ui.window.first_run as first_run
import ui.wizards.launch as wizards
from models.demo import build_demo
from models.ids import InvoiceId
from models.store.ledger import Ledger
from tests.ui.conftest import TODAY, fixed_data
from ui.dialogs.invoice import InvoiceDialog
from ui.dialogs.payment import PaymentDialog
from ui.ops import Ops
from ui.tables.invoice_index import COL_CLIENT, COL_STAGE
from ui.window.main import TAB_AGED, TAB_CLIENTS, TAB_INVOICES, TAB_TODO, MainWindow

NBSP = "\u00a0"


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """A private settings file (never the user's)."""
    return QSettings(str(tmp_path / "relance.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, ops: Ops, settings: QSettings) -> MainWindow:
    win = MainWindow(ops, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data and win.balance is not None)
    return win


@pytest.fixture
def window(qtbot, ops, data, settings) -> MainWindow:
    """The window on the fixed data set, loaded."""
    return open_window(qtbot, ops, settings)


def select(win: MainWindow, number: str) -> None:
    row = next(r for r in win.invoices.model.index_data.rows if r.invoice == number)
    assert win.invoices.select_invoice(row.invoice_id)
    win.invoices.table.setFocus()


def status(win: MainWindow) -> list[str]:
    return [t.replace(NBSP, " ") for t in win.status_texts()]


def test_opens_on_demo_data_with_four_tabs_and_menus(qtbot, ops, settings):
    build_demo(ops.ledger, TODAY, clients=6, invoices_per_client=(3, 5))
    win = open_window(qtbot, ops, settings)
    tabs = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert tabs == ["Factures", "Clients", "À faire", "Balance âgée"]
    menus = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert menus == ["Fichier", "Édition", "Relances", "Rapports", "Aide"]
    assert win.invoices.model.rowCount() == len(ops.ledger.stages(TODAY))
    assert win.invoices.model.rowCount() > 15
    assert status(win)[0].startswith("Encours : ")
    for index in (TAB_CLIENTS, TAB_TODO, TAB_AGED):
        win.show_tab(index)
        qtbot.waitUntil(lambda: win.tabs.currentWidget().isVisible())
    assert win.clients_view is not None
    assert win.todo_panel is not None


def test_shortcuts(qtbot, window):
    shortcuts = {
        window.act_find: "Ctrl+F",
        window.act_new_invoice: "Ctrl+N",
        window.act_print: "Ctrl+P",
        window.act_quit: "Ctrl+Q",
        window.act_archive: "Del",
        window.act_pay: "Ctrl+Shift+P",
    }
    for action, keys in shortcuts.items():
        assert action.shortcut().toString() == keys


def test_ctrl_f_focuses_the_search_box(qtbot, window):
    window.activateWindow()
    window.show_tab(TAB_AGED)
    window.aged.table.setFocus()
    qtbot.keyClick(window.aged.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == TAB_INVOICES
    assert QApplication.focusWidget() is window.invoices.search
    qtbot.keyClicks(window.invoices.search, "kasba")
    assert window.invoices.model.rowCount() == 3
    qtbot.keyClick(window.invoices.search, Qt.Key.Key_Return)  # into the table, first row
    assert window.invoices.current_row().client == "Studio Kasba"


def test_status_bar_totals_follow_a_payment(qtbot, window, ledger, data):
    assert status(window) == ["Encours : 11 100,00 €", "Échu : 10 300,00 €", "DSO : 129,7 j"]
    select(window, "F-020")
    qtbot.keyClick(window.invoices.table, Qt.Key.Key_P)
    dialog = window.invoices.dialog
    assert isinstance(dialog, PaymentDialog)
    assert dialog.amount.text() == f"5{NBSP}000,00"
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert status(window) == ["Encours : 6 100,00 €", "Échu : 5 300,00 €", "DSO : 71,3 j"]
    m = window.invoices.model
    assert m.data(m.index(m.row_of(data["F-020"]), COL_STAGE)) == "Payée"


def test_refusal_is_shown_in_the_status_bar(qtbot, window, refusals):
    select(window, "F-002")
    window.act_pay.trigger()
    window.invoices.dialog.amount.setText("-3")
    window.invoices.dialog.save()
    assert refusals
    assert "montant" in window.statusBar().currentMessage()


def test_invoice_actions_need_a_selected_invoice(qtbot, window):
    window.invoices.table.clearSelection()
    window.update_actions()
    assert not window.act_pay.isEnabled()
    select(window, "F-021")
    assert window.act_pay.isEnabled()
    assert window.act_dispute.text() == "Lever le litige…"
    window.show_tab(TAB_AGED)
    assert not window.act_archive.isEnabled()


def test_del_archives_after_confirmation(qtbot, window, ledger, data):
    select(window, "F-011")
    window.confirm = lambda *_: True
    window.act_archive.trigger()
    assert ledger.invoice(InvoiceId(data["F-011"])).archived
    assert window.invoices.model.total_count() == 7


def test_drill_down_from_the_aged_balance(qtbot, window, data):
    window.show_tab(TAB_AGED)
    m = window.aged.model
    kasba = next(r for r in range(m.rowCount()) if m.data(m.index(r, 0)) == "Studio Kasba")
    window.aged.table.activated.emit(m.index(kasba, 1))
    assert window.tabs.currentIndex() == TAB_INVOICES
    iv = window.invoices
    assert {iv.model.row_at(r).invoice for r in range(iv.model.rowCount())} == {
        "F-010",
        "F-011",
        "F-012",
    }
    assert "Studio Kasba" in iv.client_chip.text()
    iv.client_clear.click()
    assert iv.model.rowCount() == 8
    assert iv.client_chip.isHidden()


def test_layout_is_restored(qtbot, ops, data, settings):
    win = open_window(qtbot, ops, settings)
    win.invoices.table.horizontalHeader().resizeSection(COL_CLIENT, 321)
    win.show_tab(TAB_AGED)
    win.close()
    again = open_window(qtbot, ops, settings)
    assert again.tabs.currentIndex() == TAB_AGED
    assert again.invoices.table.horizontalHeader().sectionSize(COL_CLIENT) == 321


def test_letter_actions_open_the_wizard_with_the_selection(qtbot, window, data, monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(wizards, "open_wizard", lambda _p, _o, *args: calls.append(args))
    select(window, "F-010")
    m = window.invoices.model
    window.invoices.table.selectRow(m.row_of(data["F-012"]))  # extended: both of Kasba
    window.invoices.table.selectionModel().select(
        m.index(m.row_of(data["F-010"]), 0),
        window.invoices.table.selectionModel().SelectionFlag.Select
        | window.invoices.table.selectionModel().SelectionFlag.Rows,
    )
    window.act_remind.trigger()
    window.act_notice.trigger()
    window.act_plan.trigger()
    ids = sorted([data["F-010"], data["F-012"]])
    assert [(c[0], sorted(c[1]), c[2]) for c in calls] == [
        (data["kasba"], ids, ""),
        (data["kasba"], ids, "formal_notice"),
        (data["kasba"], ids, "payment_plan"),
    ]


def test_clients_and_todo_tabs_are_wired(qtbot, window, data, monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(wizards, "open_wizard", lambda _p, _o, *args: calls.append(args))
    window.show_tab(TAB_CLIENTS)
    clients = window.clients_view
    assert type(clients).__name__ == "ClientsView"
    clients.documentRequested.emit(data["lumen"], [data["F-020"]], "formal_notice")
    clients.invoiceOpenRequested.emit(data["F-021"])
    assert isinstance(window.dialog, InvoiceDialog)
    assert window.dialog.number.text() == "F-021"
    window.dialog.reject()
    window.show_tab(TAB_TODO)
    todo = window.todo_panel
    assert type(todo).__name__ == "TodoPanel"
    todo.documentRequested.emit(data["kasba"], [data["F-010"]], "reminder_2")
    assert calls == [
        (data["lumen"], [data["F-020"]], "formal_notice"),
        (data["kasba"], [data["F-010"]], "reminder_2"),
    ]
    todo.clientOpenRequested.emit(data["martin"])
    assert window.tabs.currentIndex() == TAB_CLIENTS
    assert clients.current_client() == data["martin"]


def test_ctrl_p_exports_the_visible_invoices_as_csv(qtbot, window, tmp_path):
    window.invoices.search.setText("lumen")
    out = tmp_path / "factures.csv"
    window.ask_save_path = lambda *_: out
    assert window.export_view() == out
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Client;N°;Date;Échéance;Montant TTC;Solde")
    assert len(lines) == 3
    assert any(";5000,00;5000,00;" in line for line in lines)


def test_ctrl_p_exports_the_client_list_and_the_todo(qtbot, window, tmp_path):
    out = tmp_path / "clients.csv"
    window.ask_save_path = lambda *_: out  # reads `out` when called: each export its file
    window.show_tab(TAB_CLIENTS)
    window.clients_view.search.setText("lumen")
    assert window.export_view() == out
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Client;Type;Encours;Échu;Étape la plus avancée"
    assert len(lines) == 2
    assert lines[1].startswith("Agence Lumen;Pro;6500,00;")  # 5,000.00 + 1,500.00 owed
    out = tmp_path / "a-faire.csv"
    window.show_tab(TAB_TODO)
    assert window.export_view() == out
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Rubrique;Date;Client;Factures;À faire"
    assert len(lines) == 1 + len(window.todo_panel.items)
    assert any(";Agence Lumen;F-020;" in line for line in lines[1:])


def test_aged_balance_pdf(qtbot, window, tmp_path):
    out = tmp_path / "balance.pdf"
    window.ask_save_path = lambda *_: out
    window.show_tab(TAB_AGED)
    window.act_export.trigger()  # Ctrl+E exports; Ctrl+P now prints (issue 14)
    assert out.read_bytes().startswith(b"%PDF")
    window.ask_save_path = lambda *_: None  # cancelled: nothing happens
    assert window.export_aged_pdf() is None


def test_unwritable_export_is_reported_not_raised(qtbot, window, tmp_path):
    told: list[str] = []
    window.inform = lambda _p, title, _text: told.append(title)
    window.ask_save_path = lambda *_: tmp_path / "missing" / "x.csv"
    assert window.export_view() is None
    assert told == ["Enregistrement impossible"]


def test_settings_dialog_opens(qtbot, window):
    window.open_settings()
    assert type(window.dialog).__name__ == "SettingsDialog"
    window.dialog.reject()


def test_file_database_loads_in_a_worker_thread(qtbot, tmp_path, settings):
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    try:
        ids = fixed_data(led)
        ops = Ops(led, today=lambda: TODAY)
        win = MainWindow(ops, settings)
        qtbot.addWidget(win)
        assert win.invoices.loader.threaded
        with qtbot.waitSignal(win.invoices.loaded, timeout=10000):
            win.show()
        assert win.invoices.model.rowCount() == 8
        qtbot.waitUntil(lambda: win.balance is not None)
        ops.run(None, lambda: led.record_payment(InvoiceId(ids["F-002"]), TODAY, Decimal(10)))
        qtbot.waitUntil(lambda: "11 090,00" in status(win)[0], timeout=10000)
    finally:
        led.close()


def test_first_run_offers_the_demo_on_an_empty_database(qtbot, ops, settings):
    win = open_window(qtbot, ops, settings)
    assert win.invoices.model.rowCount() == 0
    assert win.offer_first_run(first_run.DEMO) == first_run.DEMO
    assert ops.ledger.counts()["invoices"] > 100
    assert win.invoices.model.rowCount() > 100
    assert win.offer_first_run() is None  # not empty any more: no question


def test_import_with_an_invalid_row_can_skip_it(qtbot, ops, settings, tmp_path, monkeypatch):
    sheet = tmp_path / "suivi.csv"
    sheet.write_text(
        "Client;Date facture;N° facture;Montant dû TTC;Payé\n"
        "Studio Kasba;15/01/2026;FA-1;1 200,00;non\n"
        "Agence Lumen;32/01/2026;FA-2;300,00;non\n",
        encoding="utf-8",
    )
    win = open_window(qtbot, ops, settings)
    asked: list[int] = []
    told: list[str] = []
    monkeypatch.setattr(first_run, "choose_file_hook", lambda _p: sheet)
    monkeypatch.setattr(first_run, "ask_skip_hook", lambda _p, rep: asked.append(1) or True)
    monkeypatch.setattr(first_run, "tell_hook", lambda _p, _t, text: told.append(text))
    win.act_import.trigger()
    assert asked == [1]
    assert ops.ledger.counts()["invoices"] == 1
    assert told
    assert told[0].startswith("1 facture(s)")
    assert win.invoices.model.rowCount() == 1


def test_new_invoice_is_selected_once_saved(qtbot, window, ledger, data):
    select(window, "F-002")
    window.act_new_invoice.trigger()
    dialog = window.dialog
    assert isinstance(dialog, InvoiceDialog)
    assert dialog.client.currentText() == "Boulangerie Martin"
    dialog.number.setText("F-003")
    dialog.issue.setDate(dt.date(2026, 3, 14))
    dialog.ttc.setText("99,90")
    dialog.save()
    assert window.invoices.current_row().invoice == "F-003"


def test_no_traceback_when_the_database_cannot_be_opened(tmp_path, monkeypatch):
    import ui.app as app

    shown: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    assert app.open_ledger(str(folder)) is None
    assert shown == ["La base de données n'a pas pu être ouverte."]


def test_on_a_file_the_table_is_read_first_then_the_status_bar_totals(qtbot, tmp_path, settings):
    """Both reads compute stages in worker threads sharing one interpreter lock: the table,
    what the user looks at first, is read alone, the aged balance once it is shown."""
    led = Ledger.open(str(tmp_path / "fichier.sqlite"))
    fixed_data(led)
    ops = Ops(led, today=lambda: TODAY)
    win = MainWindow(ops, settings)
    qtbot.addWidget(win)
    order: list[str] = []
    win.invoices.loaded.connect(lambda: order.append("table"))
    win.balance_loader.done.connect(lambda _ab: order.append("totals"))
    win.show()
    qtbot.waitUntil(lambda: len(order) == 2, timeout=10_000)
    assert order == ["table", "totals"]
    assert win.invoices.model.rowCount() > 0
    assert win.balance is not None
    assert win.balance.total > 0
    win.follower.stop()
    led.close()
