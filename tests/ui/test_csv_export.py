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
