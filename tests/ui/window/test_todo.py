"""Today's to-do grouped by kind, with a working button per line (ui/window/todo.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.ui.window.test_clients import fixed_clients
from ui.dialogs.call import CallDialog
from ui.ops import Ops
from ui.window.todo import COL_BUTTON, COL_CLIENT, COL_LABEL, TodoPanel, invoices_text

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def todo_ops(ledger) -> Ops:
    """Ops on the fixed data set, today 2026-03-15; a refusal fails the test."""
    ops = Ops(ledger, today=lambda: TODAY)

    def refuse(_parent: object, exc: Exception) -> None:
        raise AssertionError(f"unexpected refusal: {exc}")

    ops.show_refusal = refuse
    ops.ids = fixed_clients(ledger)
    return ops


@pytest.fixture
def panel(qtbot, todo_ops) -> TodoPanel:
    """The to-do panel, shown."""
    widget = TodoPanel(todo_ops)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def line_texts(panel: TodoPanel, section: str) -> list[list[str]]:
    """The text of each line of a section, button cell left out."""
    items = panel.sections[section]
    return [
        [panel.line_index(section, r, c).data() for c in range(COL_BUTTON)]
        for r in range(len(items))
    ]


def click(qtbot, panel: TodoPanel, section: str, row: int, column: int = COL_BUTTON) -> None:
    """Left click in the middle of a cell of a line."""
    rect = panel.view.visualRect(panel.line_index(section, row, column))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_sections_and_counts(panel):
    assert panel.section_counts() == {
        "Appels à passer": 1,
        "Relances à envoyer": 2,
        "Mises en demeure": 1,
        "Délais expirés / actions en justice": 1,
        "Échéanciers": 1,
    }
    heads = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert heads == [
        "Appels à passer (1)",
        "Relances à envoyer (2)",
        "Mises en demeure (1)",
        "Délais expirés / actions en justice (1)",
        "Échéanciers (1)",
    ]
    assert panel.heading.text() == "À faire au 15/03/2026 : 6 actions"
    assert line_texts(panel, "calls") == [
        ["14/03/2026 — en retard de 1 j", "Mme Claire Fontaine", "F-020", "Appel de courtoisie"]
    ]
    assert line_texts(panel, "reminders") == [
        [
            "25/02/2026 — en retard de 18 j",
            "Boulangerie Martin",
            "F-001",
            "Relance 3 (dernière avant procédure)",
        ],
        ["10/03/2026 — en retard de 5 j", "Studio Kasba", "F-010", "Relance 1 (courtoise)"],
    ]
    assert line_texts(panel, "notices")[0][1:] == [
        "Librairie L'Écume",
        "F-040",
        "Mise en demeure (LRAR)",
    ]
    assert line_texts(panel, "legal")[0][1:3] == ["Agence Lumen", "F-030"]
    assert line_texts(panel, "plans")[0][1:3] == ["Garage des Tilleuls", "F-050"]
    assert panel.line_index("calls", 0).data(Qt.ItemDataRole.UserRole + 2) == "Noter l'appel…"
    assert panel.line_index("notices", 0).data(Qt.ItemDataRole.UserRole + 2) == "Préparer…"


def test_prepare_button_emits_document_request(qtbot, panel, todo_ops):
    ids = todo_ops.ids
    with qtbot.waitSignal(panel.documentRequested) as sig:
        click(qtbot, panel, "reminders", 0)
    assert sig.args == [ids["martin"], [ids["F-001"]], "reminder_3"]
    with qtbot.waitSignal(panel.documentRequested) as sig:
        click(qtbot, panel, "notices", 0)
    assert sig.args == [ids["ecume"], [ids["F-040"]], "formal_notice"]
    with qtbot.waitSignal(panel.documentRequested) as sig:
        click(qtbot, panel, "legal", 0)
    assert sig.args == [ids["lumen"], [ids["F-030"]], "legal_action"]


def test_call_button_opens_prefilled_dialog_and_the_call_clears_the_line(qtbot, panel, todo_ops):
    ids = todo_ops.ids
    with qtbot.waitSignal(panel.callRequested) as sig:
        click(qtbot, panel, "calls", 0)
    assert sig.args == [ids["fontaine"], [ids["F-020"]]]
    dialog = panel.dialog
    assert isinstance(dialog, CallDialog)
    assert dialog.client_id == ids["fontaine"]
    assert dialog.checked_ids() == [ids["F-020"]]
    dialog.set_outcome("Pas de réponse / message laissé")
    dialog.accept()
    # The courtesy call is recorded: the panel, visible, refreshed on ops.changed.
    assert "calls" not in {k for k, v in panel.sections.items() if v}
    assert panel.heading.text() == "À faire au 15/03/2026 : 5 actions"


def test_double_click_opens_the_client(qtbot, panel, todo_ops):
    rect = panel.view.visualRect(panel.line_index("plans", 0, COL_CLIENT))
    with qtbot.waitSignal(panel.clientOpenRequested) as sig:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [todo_ops.ids["tilleuls"]]


def test_empty_day_and_hidden_panel_refreshes_when_shown(qtbot, ledger):
    ops = Ops(ledger, today=lambda: TODAY)
    widget = TodoPanel(ops)
    qtbot.addWidget(widget)
    assert widget.heading.text() == "Rien à faire au 15/03/2026."
    assert widget.model.rowCount() == 0
    fixed_clients(ledger)
    ops.changed.emit("all")  # hidden: the to-do waits until it is shown
    assert widget.items == []
    widget.show()
    assert len(widget.items) == 6


def test_invoices_text_shortens_long_lists():
    assert invoices_text(["A", "B"]) == "A, B"
    assert invoices_text(["A", "B", "C", "D", "E"]) == "A, B, C (+2)"


def test_long_section_shows_the_oldest_lines_and_says_how_many_more(qtbot, todo_ops, monkeypatch):
    import ui.window.todo as module

    monkeypatch.setattr(module, "MAX_LINES", 1)
    widget = TodoPanel(todo_ops)
    qtbot.addWidget(widget)
    head = widget.model.index(1, 0)
    assert head.data() == "Relances à envoyer (2)"
    assert widget.model.rowCount(head) == 2
    assert widget.model.index(0, COL_CLIENT, head).data() == "Boulangerie Martin"
    more = widget.model.index(1, 0, head)
    assert more.data() == "… et 1 autres, plus récentes : traitez d'abord celles-ci"
    assert widget.item_at(more) is None


def test_file_database_loads_in_the_background(qtbot, tmp_path):
    from models.store.ledger import Ledger

    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    try:
        fixed_clients(led)
        widget = TodoPanel(Ops(led, today=lambda: TODAY))
        qtbot.addWidget(widget)
        assert widget.loader.threaded
        qtbot.waitUntil(lambda: not widget.loader.running, timeout=10_000)
        assert widget.heading.text() == "À faire au 15/03/2026 : 6 actions"
    finally:
        led.close()


def test_clients_whose_record_lacks_the_channel_are_marked(panel):
    """Issue 10 item 6: a letter step for a client with no street is marked before any letter."""
    marked = {}
    for section, items in panel.sections.items():
        for row, item in enumerate(items):
            cell = panel.line_index(section, row, COL_CLIENT)
            tip = cell.data(Qt.ItemDataRole.ToolTipRole)
            has_icon = cell.data(Qt.ItemDataRole.DecorationRole) is not None
            assert has_icon == bool(item.missing)
            if item.missing:
                marked[(item.client, item.step)] = tip
    assert marked
    for (_client, _step), tip in marked.items():
        assert tip.startswith("Fiche client à compléter : ")
    assert (
        marked[("Boulangerie Martin", "reminder_3")]
        == "Fiche client à compléter : adresse postale incomplète (rue (ou boîte postale), "
        "code postal)"
    )


def test_an_email_step_in_unknown_state_says_so(qtbot, ledger):
    """Issue 15: a reminder e-mail whose server answer was lost is flagged on its line."""
    from tests.mail_server import COMPANY, add_clients

    day = dt.date(2026, 11, 23)
    ledger.set_company(COMPANY)
    add_clients(ledger, 2, day=day)
    client = ledger.clients()[0]
    ledger.mail_pending(
        client.id,
        "reminder_1",
        [1],
        ["compta1@client1.fr"],
        "Rappel",
        "<x@testard.fr>",
        dt.datetime(2026, 11, 22, 18, 5).astimezone(),
    )
    widget = TodoPanel(Ops(ledger, today=lambda: day))
    qtbot.addWidget(widget)
    labels = {}
    for section, items in widget.sections.items():
        for row, item in enumerate(items):
            cell = widget.line_index(section, row, COL_LABEL)
            labels[item.client] = (cell.data(), cell.data(Qt.ItemDataRole.ToolTipRole))
    flagged, tip = labels[client.name]
    assert flagged.endswith(" — e-mail en état inconnu")
    assert tip.startswith("e-mail du 22/11/2026 en état inconnu")
    other, _tip = labels[ledger.clients()[1].name]
    assert "état inconnu" not in other
