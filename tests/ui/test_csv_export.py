"""CSV cells for a French spreadsheet (ui/csv_export.py)."""

from ui.csv_export import cell, write_rows


def test_amounts_become_numbers_other_text_stays():
    assert cell("15\u202f805,51\u00a0€") == "15805,51"
    assert cell("-1 200,00 €") == "-1200,00"
    assert cell("0,00") == "0,00"
    assert cell("F-2025-00028") == "F-2025-00028"
    assert cell("Relance 2") == "Relance 2"
    assert cell("Dupont & Fils <SARL>") == "Dupont & Fils <SARL>"
    assert cell("—") == "—"


def test_rows_are_written_with_a_bom_and_semicolons(tmp_path):
    out = tmp_path / "x.csv"
    assert write_rows(out, ["Client", "Solde"], [["Agence; Lumen", "1 500,00 €"]]) == 1
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "Client;Solde",
        '"Agence; Lumen";1500,00',
    ]


PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_formulas_are_written_as_text_in_csv(tmp_path):
    # Issue 12, item 8: a client named like a formula must not run in the spreadsheet.
    import csv

    out = tmp_path / "clients.csv"
    rows = [[p, "-1 200,00 €"] for p in PAYLOADS]
    assert write_rows(out, ["Client", "Solde"], rows) == len(PAYLOADS)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh, delimiter=";"))
    assert [r[0] for r in back[1:]] == [f"'{p}" for p in PAYLOADS]
    assert {r[1] for r in back[1:]} == {"-1200,00"}  # a negative amount stays a number


def test_formulas_are_string_cells_in_xlsx(tmp_path):
    import zipfile
    from decimal import Decimal

    from openpyxl import load_workbook

    out = tmp_path / "clients.xlsx"
    rows = [[p, "1 500,00 €"] for p in PAYLOADS]
    assert write_rows(out, ["Client", "Solde"], rows) == len(PAYLOADS)
    sheet = load_workbook(out).active
    names = [sheet.cell(row=r, column=1) for r in range(2, len(PAYLOADS) + 2)]
    assert [c.data_type for c in names] == ["s"] * len(PAYLOADS)
    # XML stores a carriage return as a line feed; the text is otherwise as typed.
    assert [c.value.replace("\n", "\r") for c in names] == PAYLOADS
    with zipfile.ZipFile(out) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()  # no formula at all
    assert Decimal(str(sheet.cell(row=2, column=2).value)) == Decimal("1500")
    assert not list(tmp_path.glob(".*.tmp"))
