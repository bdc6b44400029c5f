"""A French bank's CSV: dates JJ/MM/AAAA, amounts '1 200,00', credit/debit or signed columns."""

import datetime as dt

import pytest

from models.bank.csv import payer_in, read_bank_csv
from models.bank.read import read_statement
from models.errors import InputError
from tests.models.bank.statements import MOVES, bank_csv


@pytest.mark.parametrize("signed", [False, True])
def test_credits_and_debits_with_french_amounts_and_dates(tmp_path, signed):
    path = tmp_path / "releve.csv"
    path.write_bytes(bank_csv(MOVES, signed))
    statement = read_statement(path)
    assert statement.kind == "CSV"
    assert [(e.credit, e.amount_cents) for e in statement.entries] == [
        (True, 120000),
        (True, 30000),
        (True, 65000),
        (False, 4590),
        (True, 120000),
        (True, 9900),
    ]
    first = statement.entries[0]
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.debtor == "BOULANGERIE DUPONT"
    assert first.text == "VIR SEPA RECU /DE BOULANGERIE DUPONT /MOTIF Facture F2026-01"
    assert first.where == "ligne 5"


def test_payer_read_from_the_libelle():
    assert payer_in("VIR SEPA RECU /DE SARL DUPONT /MOTIF FACT 12 /REF 3") == "SARL DUPONT"
    assert payer_in("VIREMENT RECU DE M. PAUL MARTIN REF 1234") == "M. PAUL MARTIN"
    assert payer_in("CARTE 12/03 BOULANGERIE") == ""


def test_a_payer_column_wins_over_the_libelle(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "Date;Libellé;Tiers;Montant\n02/03/2026;VIR FACT F-1;Studio Kasba;1 250,50\n",
        encoding="utf-8",
    )
    (entry,) = read_bank_csv(path).entries
    assert (entry.debtor, entry.amount_cents, entry.text) == (
        "Studio Kasba",
        125050,
        "VIR FACT F-1",
    )


def test_bad_values_name_the_file_line_and_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Date;Libellé;Crédit\n31/02/2026;X;10,00\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv : ligne 2, date : date impossible"):
        read_statement(path)
    path.write_text("Date;Libellé;Crédit\n02/03/2026;X;dix euros\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv : ligne 2, crédit : montant illisible"):
        read_statement(path)
    path.write_text("Nom;Adresse\nA;B\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv : colonnes d'un relevé non reconnues"):
        read_statement(path)


def test_an_excel_export_is_read_like_the_csv(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Relevé du compte courant"])
    sheet.append([])
    sheet.append(["Date", "Libellé", "Débit", "Crédit"])
    sheet.append(
        [dt.datetime(2026, 3, 2), "VIR SEPA RECU /DE SARL DUPONT /MOTIF F-1", None, 1200.5]
    )
    sheet.append(["03/03/2026", "PRLV EDF", 45.9, None])
    path = tmp_path / "releve.xlsx"
    book.save(path)
    statement = read_statement(path)
    assert [(e.booking_date, e.credit, e.amount_cents, e.debtor) for e in statement.entries] == [
        (dt.date(2026, 3, 2), True, 120050, "SARL DUPONT"),
        (dt.date(2026, 3, 3), False, 4590, ""),
    ]
