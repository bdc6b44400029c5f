"""The aged balance tab (ui/window/aged.py): buckets, totals row, chart, drill-down."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from ui.window.aged import CLIENT_ROLE, SORT_ROLE, AgedView

NBSP = "\u00a0"


def eur(text: str) -> str:
    return text.replace(" ", NBSP) + f"{NBSP}€"


@pytest.fixture
def view(qtbot, ops, data) -> AgedView:
    """The aged balance of the fixed data on 2026-03-15, shown."""
    widget = AgedView(ops)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def line(view: AgedView, row: int) -> list[str]:
    m = view.model
    return [m.data(m.index(row, c)) for c in range(m.columnCount())]


def test_buckets_clients_and_totals(view):
    m = view.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == [
        "Client",
        "Non échu",
        "1-30 j",
        "31-60 j",
        "61-90 j",
        "> 90 j",
        "Total",
        "Échu",
        "DSO (j)",
    ]
    assert m.rowCount() == 5  # four clients owing, then the totals
    assert line(view, 0) == [
        "Agence Lumen",
        "",
        eur("1 500,00"),
        "",
        "",
        eur("5 000,00"),
        eur("6 500,00"),
        eur("6 500,00"),
        "390,0",
    ]
    assert line(view, 3)[:4] == ["Studio Kasba", eur("500,00"), eur("600,00"), eur("2 400,00")]
    assert line(view, 4) == [
        "Total",
        eur("800,00"),
        eur("2 900,00"),
        eur("2 400,00"),
        eur("0,00"),
        eur("5 000,00"),
        eur("11 100,00"),
        eur("10 300,00"),
        "129,7",
    ]
    assert m.data(m.index(4, 0), CLIENT_ROLE) is None
    assert m.data(m.index(4, 6), Qt.ItemDataRole.FontRole).bold()
    assert "11 100,00" in view.title.text().replace(NBSP, " ")
    assert "15/03/2026" in view.title.text()


def test_chart_shows_the_bucket_totals(view):
    assert view.chart.labels == ("Non échu", "1-30 j", "31-60 j", "61-90 j", "> 90 j")
    assert view.chart.amounts == tuple(
        Decimal(v) for v in ("800.00", "2900.00", "2400.00", "0.00", "5000.00")
    )
    image = view.chart.grab().toImage()
    assert not image.isNull()


def test_sort_on_raw_amounts_keeps_totals_last(view):
    m = view.model
    view.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert [line(view, r)[0] for r in range(5)] == [
        "Agence Lumen",
        "Studio Kasba",
        "Boulangerie Martin",
        "Mme Claire Fontaine",
        "Total",
    ]
    assert m.data(m.index(0, 6), SORT_ROLE) == Decimal("6500.00")
    view.table.sortByColumn(8, Qt.SortOrder.AscendingOrder)  # DSO
    assert [line(view, r)[8] for r in range(5)] == ["36,0", "80,8", "90,0", "390,0", "129,7"]


def test_double_click_asks_for_the_client_invoices(qtbot, view, data):
    m = view.model
    with qtbot.waitSignal(view.clientActivated) as signal:
        view.table.activated.emit(m.index(3, 2))
    assert signal.args == [data["kasba"], "Studio Kasba"]
    with qtbot.assertNotEmitted(view.clientActivated):
        view.table.activated.emit(m.index(4, 0))  # the totals line


def test_follows_changes_when_shown(qtbot, view, ops, ledger, data):
    from models.ids import InvoiceId
    from tests.ui.conftest import TODAY

    ops.run(None, lambda: ledger.record_payment(InvoiceId(data["F-020"]), TODAY, Decimal(5000)))
    assert line(view, 4)[6] == eur("6 100,00")


def test_empty_database(qtbot, ops):
    widget = AgedView(ops)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.model.rowCount() == 1
    assert line(widget, 0)[6] == eur("0,00")
    assert line(widget, 0)[8] == "—"
