"""Every spreadsheet people keep: the same ledger saved by LibreOffice as .ods, .xls and .xlsx.

The fixtures were made once from grand-livre.csv by tests/models/data/make_spreadsheets.sh
(LibreOffice headless, French locale: amounts and dates are real number and date cells).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlmodel import Session, select

from models.errors import InputError
from models.importing.read import parse_file
from models.store.ledger import Ledger
from models.store.tables import Client, Invoice, Payment

DATA = Path(__file__).resolve().parents[1] / "data"
AS_OF = dt.date(2025, 12, 1)
WORKBOOKS = ("ods", "xls", "xlsx")


def snapshot(ledger: Ledger) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    """What an import left: invoices, clients (with address) and the total owed, in cents."""
    with Session(ledger.engine) as s:
        names = {c.id: c.name for c in s.exec(select(Client))}
        invoices = sorted(
            (
                i.number,
                names[i.client_id],
                i.issue_date,
                i.due_date,
                i.amount_ht_cents,
                i.vat_cents,
                i.amount_ttc_cents,
            )
            for i in s.exec(select(Invoice))
        )
        clients = sorted(
            (c.name, c.kind, c.street, c.postal_code, c.city, c.email)
            for c in s.exec(select(Client))
        )
        paid = sum(p.amount_cents for p in s.exec(select(Payment)))
    total = sum(row[-1] for row in invoices)
    return invoices, clients, total - paid


@pytest.mark.parametrize("suffix", WORKBOOKS)
def test_fixture_cells_are_typed_as_a_user_typing_them_gets(suffix: str) -> None:
    book = CalamineWorkbook.from_path(str(DATA / f"grand-livre.{suffix}"))
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert rows[1][:3] == ["Studio Kasba", "GL-2025-001", dt.date(2025, 9, 15)]
    assert rows[1][5] == pytest.approx(7855.72)  # a number cell, not the text "7855,72"


@pytest.mark.parametrize("suffix", WORKBOOKS)
def test_workbook_reads_the_same_rows_as_its_csv(suffix: str) -> None:
    from_csv = parse_file(DATA / "grand-livre.csv")
    from_book = parse_file(DATA / f"grand-livre.{suffix}")
    assert from_book.encoding == suffix
    assert (from_book.errors, from_book.skipped) == ([], [])
    assert from_book.rows == from_csv.rows
    assert len(from_book.rows) == 10
    assert from_book.rows[0].postal_code == "01000"  # the number 1000 gets its zero back


@pytest.mark.parametrize("suffix", WORKBOOKS)
def test_workbook_imports_identical_invoices_and_totals(suffix: str) -> None:
    by_csv, by_book = Ledger.open("sqlite://"), Ledger.open("sqlite://")
    try:
        csv_report = by_csv.import_file(DATA / "grand-livre.csv", AS_OF)
        book_report = by_book.import_file(DATA / f"grand-livre.{suffix}", AS_OF)
        assert (book_report.invoices_created, book_report.clients_created) == (10, 7)
        assert book_report.payments_created == csv_report.payments_created == 3
        assert book_report.errors == []
        assert snapshot(by_book) == snapshot(by_csv)
        invoices, _clients, owed = snapshot(by_book)
        assert sum(row[-1] for row in invoices) == 15_357_068
        assert owed == 15_357_068 - 785_572 - 45_000 - 100
        again = by_book.import_file(DATA / f"grand-livre.{suffix}", AS_OF)
        assert (again.invoices_created, again.unchanged) == (0, 10)
    finally:
        by_csv.close()
        by_book.close()


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        parse_file(path)
    return str(caught.value)


def test_a_text_document_or_a_fake_workbook_is_named(tmp_path: Path) -> None:
    odt = tmp_path / "lettre.ods"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert _refusal(odt) == (
        "lettre.ods : classeur illisible (formats acceptés : .xlsx, .xls, .xlsb, .ods, .csv) : "
        "c'est un document texte LibreOffice, pas un tableau"
    )
    fake = tmp_path / "faux.ods"
    fake.write_text("Client;Date\n", encoding="utf-8")
    assert _refusal(fake) == "faux.ods : ce n'est pas un vrai classeur LibreOffice .ods"


def test_a_damaged_ods_is_called_damaged(tmp_path: Path) -> None:
    broken = tmp_path / "abîmé.ods"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content><not closed")
    assert _refusal(broken).startswith("abîmé.ods : classeur LibreOffice endommagé ; rouvrez-le")


def test_an_ole_file_that_is_not_a_workbook_is_named(tmp_path: Path) -> None:
    xls = (DATA / "grand-livre.xls").read_bytes()
    other = tmp_path / "courrier.xls"  # the same compound file, its workbook stream renamed
    other.write_bytes(xls.replace("Workbook".encode("utf-16-le"), "Wordbook".encode("utf-16-le")))
    assert _refusal(other) == (
        "courrier.xls : ce fichier est un ancien document Office qui n'est pas un classeur ; "
        "enregistrez le tableau au format .xlsx ou .ods"
    )
