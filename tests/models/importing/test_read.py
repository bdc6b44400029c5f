"""Tests for models.importing.read: reading CSV/XLSX invoice lists into rows and row errors."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import FieldError, InputError
from models.importing.headers import field_of
from models.importing.read import HEADER_ALIASES, ImportRow, parse_csv_text, parse_file
from models.money import format_eur

DATA = Path(__file__).parents[1] / "data"
ROOT = Path(__file__).parents[3]
HEAD = "Client;Date facture;N° facture;Date règlement prévu;Montant dû TTC;Payé oui ou non\n"


def excel_day(year: int, month: int, day: int) -> datetime:
    """Return a naive midnight datetime, what Excel stores and openpyxl gives back for a date."""
    return datetime.combine(date(year, month, day), time())


def parse(*lines: str, head: str = HEAD) -> tuple[list[ImportRow], list[FieldError]]:
    """Parse a `;` file made of the sample header and the given data lines."""
    parsed = parse_csv_text(head + "\n".join(lines) + "\n")
    return parsed.rows, parsed.errors


# --- good files --------------------------------------------------------------------------------


def test_shared_sample_reads_all_thirty_invoices() -> None:
    parsed = parse_file(DATA / "suivi-factures.csv")
    assert parsed.errors == []
    assert len(parsed.rows) == 30
    assert (parsed.encoding, parsed.delimiter) == ("utf-8-sig", ";")
    assert parsed.columns == {
        "client": "Client",
        "issue_date": "Date facture",
        "number": "N° facture",
        "due_date": "Date règlement prévu",
        "amount_ttc": "Montant dû TTC",
        "paid": "Payé oui ou non",
    }
    assert parsed.rows[0] == ImportRow(
        row=2,
        client="Studio Kasba",
        number="FA-2025-0001",
        issue_date=date(2025, 9, 15),
        due_date=date(2025, 9, 30),
        amount_ttc=Decimal("7855.72"),
        amount_ht=None,
        paid=True,
        amount_paid=None,
        payment_date=None,
        kind=None,
    )
    last = parsed.rows[-1]
    assert (last.row, last.number, last.amount_ttc, last.paid) == (
        31,
        "FA-2025-0030",
        Decimal("5710.54"),
        False,
    )
    assert parsed.rows[13].amount_ttc == Decimal("916.67")
    assert parsed.rows[5].client == "Librairie L'Écume"
    assert sum(r.paid is True for r in parsed.rows) == 13
    assert sum(r.amount_ttc for r in parsed.rows) == Decimal("141536.94")


def test_cp1252_comma_file_with_every_column() -> None:
    parsed = parse_file(DATA / "factures-cp1252.csv")
    assert parsed.errors == []
    assert (parsed.encoding, parsed.delimiter) == ("cp1252", ",")
    assert "Remarque" not in parsed.columns.values()
    assert parsed.columns["due_date"] == "Échéance"
    assert parsed.columns["payment_date"] == "Date de règlement"
    assert parsed.columns["amount_paid"] == "Montant réglé"
    first, second, third = parsed.rows
    assert first == ImportRow(
        row=2,
        client="Boulangerie Lefèvre",
        number="F-101",
        issue_date=date(2025, 1, 5),
        due_date=date(2025, 2, 4),
        amount_ttc=Decimal("1200.00"),
        amount_ht=Decimal("1000.00"),
        paid=False,
        amount_paid=None,
        payment_date=None,
        kind="b2b",
        email="contact@lefevre.fr",
        address="12 rue de l'Église\r\nBâtiment B",
        postal_code="01000",
        city="Bourg-en-Bresse",
        order_number="BC-7",
        subject="Pâtisseries",
    )
    # The quoted address spans two text lines but is one spreadsheet row: rows count records.
    assert second.row == 3
    assert (second.client, second.kind, second.paid, second.due_date) == (
        "Hélène Durand",
        "b2c",
        True,
        None,
    )
    assert (second.amount_paid, second.payment_date) == (Decimal("300.00"), date(2025, 1, 20))
    assert third.client == 'Café "Le Zébre", SARL'
    assert (third.issue_date, third.amount_ttc, third.paid) == (
        date(2025, 1, 12),
        Decimal("99.90"),
        None,
    )


def test_utf8_tab_file_with_french_amounts_and_short_years() -> None:
    parsed = parse_file(DATA / "factures-tabulations.csv")
    assert parsed.errors == []
    assert (parsed.encoding, parsed.delimiter) == ("utf-8", "\t")
    got = [(r.row, r.number, r.issue_date, r.due_date, r.amount_ttc, r.paid) for r in parsed.rows]
    assert got == [
        (2, "T-1", date(2025, 9, 15), date(2025, 10, 15), Decimal("1234.56"), True),
        (3, "T-2", date(2025, 9, 20), date(2025, 10, 20), Decimal("1234.56"), None),
        (5, "T-3", date(2025, 10, 1), date(2025, 10, 31), Decimal("12345.60"), False),
        (6, "T-4", date(2025, 10, 2), None, Decimal("1234.56"), True),
    ]


def test_xlsx_with_real_dates_floats_and_a_title_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Suivi des factures 2025"])
    sheet.append([])
    sheet.append(["Client", "N° facture", "Date facture", "Échéance", "Montant TTC", "Payé", "CP"])
    sheet.append(
        [
            "Studio Kasba",
            "FA-1",
            excel_day(2025, 9, 15),
            excel_day(2025, 9, 30),
            7855.72,
            "oui",
            1000,
        ]
    )
    sheet.append(["Agence  Lumen ", 2025002, excel_day(2025, 9, 29), None, 100, False, 75011])
    sheet.append([None] * 7)
    sheet.append(["Cabinet Aubry", "FA-3", "10/11/2025", "2025-12-10", "8 776,93", None, None])
    sheet.append(["Cabinet Aubry", "FA-4", excel_day(2025, 11, 10), None, 94.80000000000001])
    sheet.append(["Cabinet Aubry", "FA-5", 45915, None, 10.5])
    other = book.create_sheet("Autre")
    other.append(["Client", "N° facture", "Date facture", "Montant TTC"])
    other.append(["Ne pas lire", "X-1", "01/01/2025", "1"])
    book.active = other  # the first sheet is read, not the active one
    path = tmp_path / "factures.xlsx"
    book.save(path)

    parsed = parse_file(path)
    assert (parsed.encoding, parsed.delimiter) == ("xlsx", "")
    got = [
        (r.row, r.client, r.number, r.issue_date, r.due_date, r.amount_ttc, r.paid, r.postal_code)
        for r in parsed.rows
    ]
    assert got == [
        (4, "Studio Kasba", "FA-1", date(2025, 9, 15), date(2025, 9, 30), Decimal("7855.72"), True,
         "01000"),
        (5, "Agence Lumen", "2025002", date(2025, 9, 29), None, Decimal("100.00"), False,
         "75011"),
        (7, "Cabinet Aubry", "FA-3", date(2025, 11, 10), date(2025, 12, 10), Decimal("8776.93"),
         None, ""),
    ]  # fmt: skip
    assert all(isinstance(r.amount_ttc, Decimal) for r in parsed.rows)
    assert [(e.row, e.field) for e in parsed.errors] == [(8, "Montant TTC"), (9, "Date facture")]
    assert parsed.errors[0].message == "montant avec plus de deux décimales : « 94.80000000000001 »"
    assert parsed.errors[1].message == "date illisible : « 45915 » (format attendu JJ/MM/AAAA)"


# --- header matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Date règlement prévu", "due_date"),
        ("Date de règlement prévue", "due_date"),
        ("Date de règlement", "payment_date"),
        ("Montant dû TTC", "amount_ttc"),
        ("MONTANT TTC (€)", "amount_ttc"),
        ("N°facture", "number"),
        ("Nº de facture", "number"),
        ("NUMERO DE FACTURE", "number"),
        ("Num. facture", "number"),
        ("  Échéance ", "due_date"),
        ("Date d’échéance", "due_date"),
        ("Payé (oui/non)", "paid"),
        ("E-mail", "email"),
        ("Montant HT", "amount_ht"),
        ("Déjà réglé", "amount_paid"),
        ("Commentaire", None),
        ("Date de naissance", None),
    ],
)
def test_header_matching(header: str, field: str | None) -> None:
    assert field_of(header) == field


def test_every_documented_alias_maps_to_its_field() -> None:
    for field, names in HEADER_ALIASES.items():
        for name in names:
            assert field_of(name) == field, name


def test_docs_list_every_alias() -> None:
    doc = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    missing = [n for names in HEADER_ALIASES.values() for n in names if f"`{n}`" not in doc]
    assert missing == []


def test_excel_sep_line_and_quoted_delimiter() -> None:
    parsed = parse_csv_text("sep=;\r\n" + HEAD + '"Dupont; Fils";01/02/2025;F1;;10;\n')
    assert parsed.errors == []
    assert (parsed.rows[0].row, parsed.rows[0].client) == (2, "Dupont; Fils")


def test_unquoted_decimal_comma_in_comma_file_is_refused() -> None:
    parsed = parse_csv_text(
        "Client,Date,N°,Montant TTC\nA,01/02/2025,F1,7855,72\nB,01/02/2025,F2,9\n"
    )
    assert [r.number for r in parsed.rows] == ["F2"]
    assert [(e.row, e.field) for e in parsed.errors] == [(2, "Montant TTC")]
    assert "5 au lieu de 4" in parsed.errors[0].message


# --- value formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["15/09/2025", "15/09/25", "2025-09-15", "15-09-2025", "15.09.2025", "15/9/2025",
     "2025-09-15 00:00:00", " 15/09/2025 "],
)  # fmt: skip
def test_date_formats(text: str) -> None:
    rows, errors = parse(f"A;{text};F1;;10,00;")
    assert errors == []
    assert rows[0].issue_date == date(2025, 9, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7 855,72", "7855.72"), ("1.234,56", "1234.56"), ("1234.56", "1234.56"),
     ("1\u00a0234,56\u00a0€", "1234.56"), ("1\u202f234,5", "1234.50"), ("0", "0.00"),
     ("12 EUR", "12.00")],
)  # fmt: skip
def test_amount_formats(text: str, expected: str) -> None:
    rows, errors = parse(f"A;01/02/2025;F1;;{text};")
    assert errors == []
    assert rows[0].amount_ttc == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("oui", True), ("OUI", True), ("o", True), ("yes", True), ("x", True), ("X", True),
     ("1", True), ("vrai", True), ("true", True), ("Payé", True), ("non", False), ("n", False),
     ("no", False), ("0", False), ("faux", False), ("false", False), ("", None), ("  ", None)],
)  # fmt: skip
def test_paid_values(text: str, expected: bool | None) -> None:
    rows, errors = parse(f"A;01/02/2025;F1;;10;{text}")
    assert errors == []
    assert rows[0].paid is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("pro", "b2b"), ("Professionnel", "b2b"), ("entreprise", "b2b"), ("B2B", "b2b"),
     ("particulier", "b2c"), ("Part.", "b2c"), ("b2c", "b2c"), ("Consommateur", "b2c"),
     ("", None)],
)  # fmt: skip
def test_kind_values(text: str, expected: str | None) -> None:
    rows, errors = parse(f"A;F1;01/02/2025;10;{text}", head="Client;Facture;Date;Montant;Type\n")
    assert errors == []
    assert rows[0].kind == expected


def test_client_name_spaces_collapsed_and_cells_stripped() -> None:
    rows, errors = parse("  Studio    Kasba  ; 15/09/2025 ; FA-1 ; 30/09/2025 ; 10,00 ; oui ")
    assert errors == []
    assert (rows[0].client, rows[0].number, rows[0].due_date) == (
        "Studio Kasba",
        "FA-1",
        date(2025, 9, 30),
    )


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers() -> None:
    rows, errors = parse("", ";;;;;", "A;01/02/2025;F1;;10;", "   ", "B;01/02/2025;F2;;10;")
    assert errors == []
    assert [(r.row, r.number) for r in rows] == [(4, "F1"), (6, "F2")]


def test_overpayment_is_passed_on() -> None:
    head = "Client;Facture;Date;Montant;Montant payé;Date de paiement\n"
    rows, errors = parse("A;F1;01/02/2025;10;12,50;03/02/2025", head=head)
    assert errors == []
    assert (rows[0].amount_paid, rows[0].payment_date) == (Decimal("12.50"), date(2025, 2, 3))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_round_trip_in_every_format(day: date) -> None:
    for text in (f"{day:%d/%m/%Y}", f"{day:%d/%m/%y}", day.isoformat(), f"{day:%d.%m.%Y}"):
        rows, errors = parse(f"A;{text};F1;;1;")
        assert errors == []
        assert rows[0].issue_date == day


@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False))
def test_french_formatted_amounts_round_trip(amount: Decimal) -> None:
    rows, errors = parse(f"A;01/02/2025;F1;;{format_eur(amount)};")
    assert errors == []
    assert rows[0].amount_ttc == amount


# --- row errors --------------------------------------------------------------------------------


def test_row_errors_name_line_and_column_and_keep_good_rows() -> None:
    rows, errors = parse(
        "Studio Kasba;31/02/2025;FA-1;30/09/2025;10,00;oui",  # 2: impossible date
        "Agence Lumen;29/09/2025;FA-2;14/10/2025;-5,00;non",  # 3: negative amount
        "Agence Lumen;29/09/2025;FA-3;14/10/2025;1 000,00;non",  # 4: good
        "Pressing;04/09/2025;FA-3;19/09/2025;2,00;non",  # 5: duplicate of line 4
        "Pressing;17/11/2025;FA-5;02/11/2025;5,00;non",  # 6: due before issue
        ";17/11/2025;FA-6;;beaucoup;peut-être",  # 7: no client, bad amount, bad paid
        "Cabinet;demain;FA-7;;3;",  # 8: unreadable date
        "Cabinet;01/12/2025;;;3;",  # 9: no number
    )
    assert [r.number for r in rows] == ["FA-3"]
    assert [(e.row, e.field) for e in errors] == [
        (2, "Date facture"),
        (3, "Montant dû TTC"),
        (5, "N° facture"),
        (6, "Date règlement prévu"),
        (7, "Client"),
        (7, "Montant dû TTC"),
        (7, "Payé oui ou non"),
        (8, "Date facture"),
        (9, "N° facture"),
    ]
    messages = [e.message for e in errors]
    assert messages[0] == "date impossible : « 31/02/2025 » (ce jour n'existe pas)"
    assert messages[1] == "montant négatif : « -5,00 »"
    assert messages[2] == "numéro de facture « FA-3 » déjà présent ligne 4"
    assert messages[3] == "échéance (02/11/2025) antérieure à la date de facture (17/11/2025)"
    assert messages[4] == "valeur obligatoire manquante"
    assert messages[5] == "montant illisible : « beaucoup »"
    assert "peut-être" in messages[6]
    assert messages[7] == "date illisible : « demain » (format attendu JJ/MM/AAAA)"
    assert (
        str(errors[0])
        == "ligne 2, Date facture : date impossible : « 31/02/2025 » (ce jour n'existe pas)"
    )


def test_duplicate_is_reported_even_when_first_row_is_invalid() -> None:
    rows, errors = parse("A;01/02/2025;F1;;-1;", "B;01/02/2025;F1;;1;")
    assert rows == []
    assert [(e.row, e.field) for e in errors] == [(2, "Montant dû TTC"), (3, "N° facture")]
    assert errors[1].message.endswith("déjà présent ligne 2")


def test_unknown_type_and_negative_payment_are_errors() -> None:
    head = "Client;Facture;Date;Montant;Type;Déjà réglé\n"
    rows, errors = parse("A;F1;01/02/2025;10;association;-2", head=head)
    assert rows == []
    assert [(e.row, e.field) for e in errors] == [(2, "Type"), (2, "Déjà réglé")]
    assert errors[0].message.startswith("type de client non reconnu : « association »")
    assert errors[1].message == "montant négatif : « -2 »"


# --- unreadable files --------------------------------------------------------------------------


def _message(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        parse_file(path)
    return str(caught.value)


def test_png_renamed_csv(tmp_path: Path) -> None:
    path = tmp_path / "factures.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)))
    assert (
        _message(path) == "factures.csv : ce fichier est une image PNG, pas un tableau CSV ou XLSX"
    )


def test_pdf_renamed_csv(tmp_path: Path) -> None:
    path = tmp_path / "relevé.csv"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert _message(path).startswith("relevé.csv : ce fichier est un document PDF")


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Client;Date\x00\x01\x02;N\xc2\xb0 facture\n" * 3)
    assert "contenu binaire" in _message(path)


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b";;;\n;;;\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "vide.csv"
    path.write_bytes(content)
    assert _message(path) == "vide.csv : fichier vide"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert _message(tmp_path / "absent.csv").startswith("absent.csv : fichier introuvable")
    assert "dossier" in _message(tmp_path)


def test_fake_and_foreign_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "faux.xlsx"
    fake.write_text("Client;Date\n", encoding="utf-8")
    assert _message(fake) == "faux.xlsx : ce n'est pas un vrai classeur Excel .xlsx"
    other = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("notes.txt", "rien")
    assert _message(other).startswith("archive.xlsx : classeur illisible")


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "incomplet.csv"
    path.write_text("Client;Date;Commentaire\nA;01/02/2025;x\n", encoding="utf-8")
    assert _message(path) == (
        "incomplet.csv : colonnes obligatoires absentes : N° facture, Montant TTC "
        "(colonnes trouvées : « Client », « Date », « Commentaire »)"
    )


def test_two_columns_for_one_field() -> None:
    with pytest.raises(InputError, match="« Date » et « Date facture »"):
        parse_csv_text("Client;Date;Date facture;Facture;Montant\nA;01/02/2025;01/02/2025;F1;1\n")


def test_xlsx_without_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nom", "Montant"])
    path = tmp_path / "sans-entete.xlsx"
    book.save(path)
    assert _message(path) == (
        "sans-entete.xlsx : colonnes obligatoires absentes : Client, N° facture, Date facture "
        "(colonnes trouvées : « Nom », « Montant »)"
    )


def test_utf16_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        "Client\tFacture\tDate\tMontant\nÉcole\tF1\t01/02/2025\t3,00\n".encode("utf-16")
    )
    parsed = parse_file(path)
    assert (parsed.encoding, parsed.delimiter) == ("utf-16", "\t")
    assert parsed.rows[0].client == "École"


def test_models_import_no_qt() -> None:
    code = "import sys, models.importing.read; sys.exit('PySide6' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PYTHONPATH": "."})


def test_header_only_file_is_read_with_no_rows() -> None:
    parsed = parse_csv_text(HEAD)
    assert (parsed.rows, parsed.errors, parsed.delimiter) == ([], [], ";")
