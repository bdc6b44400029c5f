"""The columnar invoice table (issue 17) answers exactly like the row-object one it replaced.

The frozen copy of the former model (`legacy_invoices.py`) and the columnar model get the same
random rows; after each of a random sequence of filters and sort orders, every role of every
cell, the rows made again, the counts, the totals, the positions of ids and the CSV bytes are
compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from models.law.stages import STAGES
from models.store.stage_cache import stage_tuple
from models.todo import StageRow
from tests.ui.conftest import TODAY
from tests.ui.tables import legacy_invoices as legacy
from ui.tables import invoice_index
from ui.tables import invoices as columnar

ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ToolTipRole,
    columnar.SORT_ROLE,
    columnar.ID_ROLE,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.EditRole,
]
_LETTERS = list("aAéÉeE zZ-1ŒœçÇ'\u0301")
_TEXT = st.text(alphabet=st.sampled_from(_LETTERS), max_size=8)
_DAY = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31))
_STAGE = st.sampled_from([*STAGES, "mystery"])
_LABELS = st.sampled_from(["", "Relance 1", "Relance 2", "Mise en demeure", "Appeler"])


@st.composite
def stage_rows(draw: st.DrawFn) -> list[StageRow]:
    """Random rows: a few clients (an id may come with two names), any stage, any amounts."""
    clients = draw(st.lists(st.tuples(st.integers(1, 4), _TEXT), min_size=1, max_size=5))
    count = draw(st.integers(0, 25))
    rows = []
    for n in range(count):
        client_id, name = draw(st.sampled_from(clients))
        issue = draw(_DAY)
        rows.append(
            StageRow(
                invoice_id=draw(st.integers(1, 10_000)) * 100 + n,  # distinct
                invoice=draw(st.sampled_from(["FA-", "fa-", "Fé-", "F"])) + str(n % 7),
                client_id=client_id,
                client=name,
                stage=draw(_STAGE),
                balance_cents=draw(st.integers(-50_000, 200_000_000)),
                total_cents=draw(st.integers(-50_000, 200_000_000)),
                issue_date=issue,
                due=issue + dt.timedelta(days=draw(st.integers(0, 90))),
                days_late=draw(st.integers(-60, 900)),
                next_action=draw(st.sampled_from(["", "reminder_1", "call"])),
                next_action_label=draw(_LABELS),
                next_action_on=draw(st.none() | _DAY),
                b2c=draw(st.booleans()),
                subject=draw(_TEXT),
                prescription_on=draw(st.none() | _DAY),
                time_barred=draw(st.booleans()),
                archived=draw(st.booleans()),
            )
        )
    return rows


@st.composite
def filter_values(draw: st.DrawFn, client_ids: list[int]) -> dict:
    """The fields of a Filters, for either module's class."""
    return {
        "text": draw(_TEXT),
        "stage": draw(st.sampled_from(["", invoice_index.UNPAID, "paid", "overdue", "mystery"])),
        "kind": draw(st.sampled_from(["", "b2b", "b2c"])),
        "overdue_only": draw(st.booleans()),
        "todo_today": draw(st.booleans()),
        "client_id": draw(st.none() | st.sampled_from([*client_ids, 99])),
        "archived": draw(st.booleans()),
    }


def same_models(old: legacy.InvoiceTableModel, new: columnar.InvoiceTableModel) -> None:
    """Every answer the window, the dialogs and the exports read, compared."""
    assert new.rowCount() == old.rowCount()
    assert new.columnCount() == old.columnCount()
    assert new.total_count() == old.total_count()
    assert new.owed_cents() == old.owed_cents()
    for r in range(old.rowCount()):
        assert new.row_at(r) == old.row_at(r)
        for c in range(old.columnCount()):
            for role in ROLES:
                got = new.data(new.index(r, c), role)
                want = old.data(old.index(r, c), role)
                assert got == want, (r, c, role, got, want)
                assert type(got) is type(want), (r, c, role)
    assert new.visible_rows() == old.visible_rows()
    for row in old.index_data.rows:
        assert new.row_of(row.invoice_id) == old.row_of(row.invoice_id)
    assert new.row_of(-5) == old.row_of(-5) == -1


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rows=stage_rows())
def test_the_columnar_model_answers_like_the_row_model(data, rows):
    old, new = legacy.InvoiceTableModel(), columnar.InvoiceTableModel()
    old.set_rows(rows, TODAY)
    new.set_rows(iter(rows), TODAY)  # a stream, as the window's load gives it
    assert list(new.index_data.rows) == rows  # every field made again, in load order
    same_models(old, new)
    # The window loads stage tuples (the stage cache's rows as the driver gives them).
    tup = columnar.InvoiceTableModel()
    tup.set_rows(map(stage_tuple, rows), TODAY)
    assert list(tup.index_data.rows) == rows
    same_models(old, tup)
    ids = sorted({r.client_id for r in rows})
    for _ in range(data.draw(st.integers(1, 6))):
        values = data.draw(filter_values(ids))
        column = data.draw(st.integers(0, len(columnar.HEADERS) - 1))
        order = data.draw(st.sampled_from(list(Qt.SortOrder)))
        for model, module in ((old, legacy), (new, columnar)):
            model.set_filters(module.Filters(**values))
            model.sort(column, order)
        same_models(old, new)


@settings(max_examples=40, deadline=None)
@given(rows=stage_rows(), text=_TEXT)
def test_typing_letter_by_letter_finds_what_the_row_model_finds(rows, text):
    """The search narrowed from the last one, on both models, keystroke by keystroke."""
    old, new = legacy.InvoiceTableModel(), columnar.InvoiceTableModel()
    old.set_rows(rows, TODAY)
    new.set_rows(rows, TODAY)
    for end in [*range(len(text) + 1), *range(len(text), -1, -1)]:
        old.set_filters(legacy.Filters(text=text[:end]))
        new.set_filters(invoice_index.Filters(text=text[:end]))
        assert new.visible_rows() == old.visible_rows()


@settings(max_examples=30, deadline=None)
@given(rows=stage_rows(), column=st.integers(0, 8), descending=st.booleans())
def test_the_same_csv_bytes(tmp_path_factory, rows, column, descending):
    folder: Path = tmp_path_factory.mktemp("csv")
    old, new = legacy.InvoiceTableModel(), columnar.InvoiceTableModel()
    old.set_rows(rows, TODAY)
    new.set_rows(rows, TODAY)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    old.sort(column, order)
    new.sort(column, order)
    assert columnar.write_csv(folder / "new.csv", new) == len(rows) - sum(r.archived for r in rows)
    legacy.write_csv(folder / "old.csv", old)
    assert (folder / "new.csv").read_bytes() == (folder / "old.csv").read_bytes()
    texts = [[old.cell_text(r, c) for c in range(9)] for r in old.visible_rows()]
    assert list(new.visible_texts()) == texts  # what Ctrl+P prints


def test_rows_are_made_on_demand_and_shared_strings_kept_once():
    """100 invoices of 2 clients: two names kept, each row made again equal to the original."""
    names = ("Dupont", "Électricité Bonnet")
    step = ("reminder_1", "Relance 1", None, False, "Logo")
    rows = [
        StageRow(i, f"FA-{i:03}", i % 2, names[i % 2], "overdue", i, i, TODAY, TODAY, 3, *step)
        for i in range(1, 101)
    ]
    index = invoice_index.InvoiceIndex(iter(rows), TODAY)
    assert index.names == ["Électricité Bonnet", "Dupont"]
    assert index.subject_texts == ["Logo"]
    assert [asdict(index.row(i)) for i in range(100)] == [asdict(r) for r in rows]
    assert index.rows[-1] == rows[-1]
    assert index.rows[10:12] == rows[10:12]
    assert index.position(57) == 56
    assert index.position(1000) is None
