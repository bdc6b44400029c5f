"""The faster reading of a spreadsheet (issue 17) against the reading it replaced.

`legacy_read.py` (with `legacy_headers.py`) is a frozen copy of the reading before it was made
faster. The same files, samples and generated ones, must give the same rows, the same errors
(field, message, line) in the same order, the same skipped lines and the same columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.errors import InputError
from models.importing import headers, read
from tests.models.importing import legacy_headers, legacy_read
from tests.models.importing.test_apply_equivalence import csv_files

DATA = Path(__file__).resolve().parent.parent / "data"


def canonical(parsed: Any) -> dict[str, Any]:
    """Everything a parsed file holds, rows as plain dicts, errors also as their text."""
    return {
        "rows": [dataclasses.asdict(r) for r in parsed.rows],
        "errors": [(e.field, e.message, e.row, str(e)) for e in parsed.errors],
        "columns": parsed.columns,
        "encoding": parsed.encoding,
        "delimiter": parsed.delimiter,
        "skipped": parsed.skipped,
    }


def outcome(parse: Any, source: Any) -> dict[str, Any] | str:
    """What a reader makes of a source: its canonical content, or the refusal's text."""
    try:
        return canonical(parse(source))
    except InputError as exc:
        return f"refusé : {exc}"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.csv")))
def test_sample_files_read_identically(name) -> None:
    new = outcome(read.parse_file, DATA / name)
    assert new == outcome(legacy_read.parse_file, DATA / name)
    assert isinstance(new, dict)
    assert new["rows"]


def test_a_workbook_reads_identically(tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Relevé des factures"])
    sheet.append(["Client", "N° facture", "Date facture", "Montant TTC", "Payé", "Code postal"])
    sheet.append(["Studio Kasba", "F-1", dt.datetime(2025, 1, 5), 1200.5, True, 1000])
    sheet.append(["Studio Kasba", 102, dt.date(2025, 1, 6), 99, "non", "75001"])
    sheet.append(["Agence Lumen", "F-3", "31/02/2025", 10.123, 1, None])
    sheet.append(["Agence Lumen", "f-1 ", dt.date(2025, 1, 7), -3, "x", "123"])
    sheet.append([None, "TOTAL", None, 1300, None, None])
    path = tmp_path / "suivi.xlsx"
    book.save(path)
    new = outcome(read.parse_file, path)
    assert new == outcome(legacy_read.parse_file, path)
    assert isinstance(new, dict)
    assert new["errors"]


EXTRA_LINES = [
    "Suivi des factures 2025",
    ";;;",
    "",
    "TOTAL;;;12 000,00",
    "Sous-total HT;;;",
    ";;01/01/2025;",
    "Remarque : à relancer;;;",
    "Studio Kasba;F-9;01/01/2025;10,00;oui;extra;cellules",
    '"Café ""Zèbre""";F-10;01/01/2025;"1 234,56"',
    "Réf. facture;Client;Date;Montant",
    "Hélène Durand;Ü-1;01/01/25;10.5",
]


@st.composite
def messy_files(draw: st.DrawFn) -> str:
    """A generated spreadsheet with titles, totals, notes and odd lines slipped in."""
    lines = draw(csv_files()).splitlines()
    for _ in range(draw(st.integers(0, 4))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(EXTRA_LINES)))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(csv_files(), messy_files()))
def test_generated_files_read_identically(text) -> None:
    new = outcome(read.parse_csv_text, text)
    assert new == outcome(legacy_read.parse_csv_text, text)


@settings(max_examples=300, deadline=None)
@given(
    cell=st.one_of(
        st.text(alphabet="0123456789 ,.-+€\u00a0\u202f'eurEURhtHT", max_size=14),
        st.from_regex(r"\d{1,3}( \d{3}){0,3}(,\d{1,3})?", fullmatch=True),
        st.from_regex(r"\d{1,7}(\.\d{1,3})?", fullmatch=True),
    )
)
def test_amounts_read_identically(cell) -> None:
    def outcome(read_amount: Any) -> tuple[str, str]:
        try:
            value = read_amount(cell)
        except ValueError as exc:
            return "refusé", str(exc)
        return "lu", repr(value)

    assert outcome(headers.read_amount) == outcome(legacy_headers.read_amount)
