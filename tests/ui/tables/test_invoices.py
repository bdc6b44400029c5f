"""The invoice table model (ui/tables/invoices.py): French text, raw sorting, colours, filters."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from models.law.stages import STAGES
from models.todo import StageRow
from tests.ui.conftest import FIXED_STAGES, TODAY
from ui.colours import bucket_colours, text_colour
from ui.tables.invoice_index import (
    COL_BALANCE,
    COL_CLIENT,
    COL_DATE,
    COL_DUE,
    COL_LATE,
    COL_NEXT,
    COL_NUMBER,
    COL_STAGE,
    COL_TOTAL,
    UNPAID,
    Filters,
    fold,
)
from ui.tables.invoices import ID_ROLE, SORT_ROLE, InvoiceTableModel

NBSP = "\u00a0"
d = dt.date


def row(number: str, total: int, issue: dt.date, stage: str = "overdue", **kw) -> StageRow:
    """A stage row built by hand (no database)."""
    values = {
        "invoice_id": int(number.split("-")[-1]),
        "invoice": number,
        "client_id": 1,
        "client": "Client",
        "stage": stage,
        "balance_cents": total,
        "total_cents": total,
        "issue_date": issue,
        "due": issue + dt.timedelta(days=30),
        "days_late": 3,
        "next_action": "",
        "next_action_label": "",
        "next_action_on": None,
        "b2c": False,
        "subject": "",
    } | kw
    return StageRow(**values)


@pytest.fixture
def model(ledger, data) -> InvoiceTableModel:
    """The model on the fixed data set as of 2026-03-15."""
    m = InvoiceTableModel()
    m.set_rows(ledger.stages(TODAY), TODAY)
    return m


def cell(m: InvoiceTableModel, r: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    return m.data(m.index(r, col), role)


def numbers(m: InvoiceTableModel) -> list[str]:
    return [cell(m, r, COL_NUMBER) for r in range(m.rowCount())]


def test_shows_every_live_invoice_with_its_french_stage_and_colour(model):
    assert model.rowCount() == 8
    assert model.columnCount() == 9
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert headers == [
        "Client",
        "N°",
        "Date",
        "Échéance",
        "Montant TTC",
        "Solde",
        "Retard (j)",
        "Étape",
        "Prochaine action",
    ]
    for r in range(model.rowCount()):
        code = FIXED_STAGES[cell(model, r, COL_NUMBER)]
        assert cell(model, r, COL_STAGE) == STAGES[code].label
        for col in (COL_CLIENT, COL_STAGE, COL_NEXT):
            brush = cell(model, r, col, Qt.ItemDataRole.BackgroundRole)
            assert brush.color() == QColor(STAGES[code].colour)
        assert cell(model, r, 0, ID_ROLE) == model.row_at(r).invoice_id
    by_number = {cell(model, r, COL_NUMBER): r for r in range(8)}
    assert cell(model, by_number["F-001"], COL_STAGE) == "Payée"
    assert cell(model, by_number["F-020"], COL_STAGE) == "Mise en demeure"
    assert cell(model, by_number["F-021"], COL_STAGE) == "Litige client"
    assert cell(model, by_number["F-030"], COL_STAGE) == "Échéance proche"


def test_french_formatting_of_dates_amounts_and_next_action(model):
    by_number = {cell(model, r, COL_NUMBER): r for r in range(8)}
    r = by_number["F-012"]
    assert cell(model, r, COL_CLIENT) == "Studio Kasba"
    assert cell(model, r, COL_DATE) == "25/01/2026"
    assert cell(model, r, COL_DUE) == "24/02/2026"
    assert cell(model, r, COL_TOTAL) == f"1{NBSP}000,00{NBSP}€"
    assert cell(model, r, COL_BALANCE) == f"600,00{NBSP}€"
    assert cell(model, r, COL_LATE) == "19"
    assert cell(model, r, COL_NEXT).endswith("— 03/03/2026")
    paid = by_number["F-001"]
    assert cell(model, paid, COL_LATE) == ""
    assert cell(model, paid, COL_NEXT) == ""
    assert cell(model, paid, COL_BALANCE) == f"0,00{NBSP}€"
    align = cell(model, r, COL_TOTAL, Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)


def test_sort_role_returns_raw_values(model):
    r = numbers(model).index("F-012")
    assert cell(model, r, COL_TOTAL, SORT_ROLE) == 100000
    assert cell(model, r, COL_BALANCE, SORT_ROLE) == 60000
    assert cell(model, r, COL_DATE, SORT_ROLE) == d(2026, 1, 25)
    assert cell(model, r, COL_LATE, SORT_ROLE) == 19
    assert cell(model, r, COL_STAGE, SORT_ROLE) == STAGES["overdue"].rank


def test_sorting_by_amount_and_date_uses_raw_values_not_text():
    m = InvoiceTableModel()
    # As text "10,00 €" < "100,00 €" < "9,00 €"; as dates written dd/mm/yyyy 01/02/2025 sorts
    # before 05/01/2026 but after 01/01/2026.
    m.set_rows(
        [
            row("F-1", 1000, d(2026, 1, 1)),
            row("F-2", 900, d(2025, 2, 1)),
            row("F-3", 10000, d(2026, 1, 5)),
        ],
        TODAY,
    )
    m.sort(COL_TOTAL, Qt.SortOrder.AscendingOrder)
    assert numbers(m) == ["F-2", "F-1", "F-3"]
    m.sort(COL_TOTAL, Qt.SortOrder.DescendingOrder)
    assert numbers(m) == ["F-3", "F-1", "F-2"]
    m.sort(COL_DATE, Qt.SortOrder.AscendingOrder)
    assert numbers(m) == ["F-2", "F-1", "F-3"]


def test_sort_on_every_column_is_consistent_with_the_sort_role(model):
    for col in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(col, order)
            keys = [cell(model, r, col, SORT_ROLE) for r in range(model.rowCount())]
            expected = sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
            assert keys == expected, (col, order)


def test_sorting_keeps_the_filter(model):
    model.set_filters(Filters(text="kasba"))
    model.sort(COL_BALANCE, Qt.SortOrder.DescendingOrder)
    assert numbers(model) == ["F-010", "F-012", "F-011"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(text="kasba"), {"F-010", "F-011", "F-012"}),
        (Filters(text="F-02"), {"F-020", "F-021"}),
        (Filters(text="logo"), {"F-021"}),  # the subject
        (Filters(text="  FONTAINE   cours "), {"F-030"}),  # words, any case
        (Filters(text="studio zzz"), set()),
        (Filters(stage="overdue"), {"F-002", "F-012"}),
        (Filters(stage="paid"), {"F-001"}),
        (Filters(stage=UNPAID), set(FIXED_STAGES) - {"F-001"}),
        (Filters(kind="b2c"), {"F-030"}),
        (Filters(kind="b2b", stage="not_due"), {"F-011"}),
        (Filters(overdue_only=True), {"F-002", "F-010", "F-012", "F-020", "F-021"}),
        (Filters(todo_today=True), {"F-002", "F-010", "F-012", "F-020", "F-030"}),
        (Filters(todo_today=True, text="martin"), {"F-002"}),
    ],
)
def test_filters(model, data, filters, expected):
    model.set_filters(filters)
    assert set(numbers(model)) == expected
    assert model.total_count() == 8


def test_client_filter_and_owed_total(model, data):
    model.set_filters(Filters(client_id=data["kasba"]))
    assert set(numbers(model)) == {"F-010", "F-011", "F-012"}
    assert model.owed_cents() == 240000 + 50000 + 60000
    model.set_filters(Filters())
    assert model.owed_cents() == 1110000  # the aged balance's total: 11 100,00 €


def test_search_ignores_accents():
    m = InvoiceTableModel()
    m.set_rows([row("F-1", 100, d(2026, 1, 1), client="Librairie L'Écume")], TODAY)
    m.set_filters(Filters(text="ecume"))
    assert m.rowCount() == 1
    m.set_filters(Filters(text="écume"))
    assert m.rowCount() == 1
    assert fold("Électricité Bonnet") == "electricite bonnet"


def test_row_of_and_new_rows_keep_filters(model, data):
    model.set_filters(Filters(stage="overdue"))
    assert model.row_of(data["F-002"]) >= 0
    assert model.row_of(data["F-001"]) == -1
    model.set_rows(model.index_data.rows, TODAY)
    assert set(numbers(model)) == {"F-002", "F-012"}


def test_readable_text_on_dark_stage_colours():
    m = InvoiceTableModel()
    m.set_rows(
        [row("F-1", 100, d(2026, 1, 1), "litigation"), row("F-2", 100, d(2026, 1, 1), "paid")],
        TODAY,
    )
    m.sort(COL_NUMBER)
    dark = cell(m, 0, COL_CLIENT, Qt.ItemDataRole.ForegroundRole).color()
    light = cell(m, 1, COL_CLIENT, Qt.ItemDataRole.ForegroundRole).color()
    assert dark == QColor("#ffffff")
    assert light == QColor("#1a1a1a")
    assert text_colour(QColor("#c0392b")) == QColor("#ffffff")


def test_bucket_colours_go_from_neutral_to_red():
    for n in (2, 5, 7):
        colours = bucket_colours(n)
        assert len(colours) == n
        assert colours[0].saturation() < 60  # neutral grey
        assert colours[-1].red() > 150
        assert colours[-1].green() < 60


_TEXT = st.text(
    alphabet=st.sampled_from(list("aAzZ éÉèœŒæßﬁ’-'ÇçÅ\u0301\u0327ΣσςİıDŽǅ0189 ")), max_size=12
)


@given(client=_TEXT, number=_TEXT, subject=_TEXT)
def test_the_parts_searched_fold_like_the_whole_line(client, number, subject):
    """The search looks in the folded client, number and subject apart: the same text as
    folding the whole line (so a word, which holds no tab, is found in the same rows)."""
    from ui.tables.invoice_index import InvoiceIndex, fold

    row = StageRow(
        1, number, 1, client, "paid", 0, 0, TODAY, TODAY, 0, "", "", None, False, subject
    )
    index = InvoiceIndex([row, row], TODAY)
    parts = [index.folded_names[0], index.folded_numbers[1], index.folded_subjects[0]]
    assert "\t".join(parts) == fold(f"{client}\t{number}\t{subject}")


_WORDS = st.text(alphabet=st.sampled_from(list("aeé dÉ-1")), max_size=6)


@given(
    names=st.lists(_WORDS, min_size=1, max_size=8),
    typed=st.lists(_WORDS, min_size=1, max_size=8),
)
def test_search_typed_letter_by_letter_finds_what_a_fresh_search_finds(names, typed):
    """Each keystroke looks only among the rows the last one found (when the text grows):
    after any sequence of texts, the rows shown are those a fresh index shows."""
    from ui.tables.invoice_index import InvoiceIndex

    rows = [
        row(f"FA-{i + 1}", 100, TODAY, client=name, subject=name[::-1])
        for i, name in enumerate(names)
    ]
    typing = InvoiceIndex(rows, TODAY)
    for text in typed:
        for end in range(len(text) + 1):  # "d", "dé", "dé ", ... then the next text
            fresh = InvoiceIndex(rows, TODAY)
            got = typing.select(Filters(text=text[:end]), COL_CLIENT, False)
            assert got == fresh.select(Filters(text=text[:end]), COL_CLIENT, False)
