"""Import into the ledger: the truth about past payments, non-invoice lines, bounds, conflicts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from models.importing.read import parse_csv_text
from models.store.ledger import Ledger
from models.store.tables import Payment
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

AS_OF = dt.date(2025, 3, 10)
HEADER = "Client;Date facture;N° facture;Échéance;Montant TTC;Payé\n"


def imported(ledger: Ledger, text: str, as_of: dt.date = AS_OF, **options: bool):
    """Import CSV text as of a date; return the report."""
    return ledger.import_parsed(parse_csv_text(text), as_of, **options)


def payment_dates(ledger: Ledger, number: str) -> list[dt.date]:
    """The dates of the payments recorded against an invoice."""
    return [p.date for p in ledger.payments(ledger.find_invoice(number).id)]


def stage_of(ledger: Ledger, number: str, as_of: dt.date) -> str:
    """The stage of one invoice as of a date."""
    return next(r.stage for r in ledger.stages(as_of) if r.invoice == number)


# --- paid without a date: the earlier of the due date and the import date (issue 10 item 1) ----


def test_paid_flag_on_an_invoice_not_yet_due_means_paid_by_the_import_date(ledger: Ledger) -> None:
    report = imported(ledger, HEADER + "Studio Kasba;01/03/2025;FA-1;31/03/2025;1 200,00;oui\n")
    assert payment_dates(ledger, "FA-1") == [AS_OF]  # not 31/03: the file says paid by 10/03
    assert report.inferred_payment_dates == 1
    assert any("1 date(s) de paiement supposée(s)" in w for w in report.warnings)
    assert stage_of(ledger, "FA-1", AS_OF) == "paid"
    assert ledger.todo(AS_OF) == []  # no preventive reminder to a client who has paid
    assert ledger.aged_balance(AS_OF).total == 0


def test_paid_flag_on_an_overdue_invoice_means_paid_on_its_due_date(ledger: Ledger) -> None:
    report = imported(ledger, HEADER + "Studio Kasba;01/01/2025;FA-2;31/01/2025;500,00;oui\n")
    assert payment_dates(ledger, "FA-2") == [dt.date(2025, 1, 31)]
    assert report.inferred_payment_dates == 1
    assert stage_of(ledger, "FA-2", AS_OF) == "paid"


def test_a_given_payment_date_is_kept_and_not_counted_as_inferred(ledger: Ledger) -> None:
    text = (
        "Client;Date facture;N° facture;Échéance;Montant TTC;Payé;Date de paiement\n"
        "Studio Kasba;01/03/2025;FA-3;31/03/2025;80,00;oui;05/03/2025\n"
    )
    report = imported(ledger, text)
    assert payment_dates(ledger, "FA-3") == [dt.date(2025, 3, 5)]
    assert report.inferred_payment_dates == 0


def test_no_imported_event_is_dated_after_the_import_date(ledger: Ledger) -> None:
    text = (
        "Client;Date facture;N° facture;Échéance;Montant TTC;Payé;Date de paiement\n"
        "Studio Kasba;01/03/2025;FA-4;31/03/2025;80,00;oui;20/03/2025\n"
        "Studio Kasba;12/03/2025;FA-5;31/03/2025;80,00;non;\n"
    )
    report = imported(ledger, text)
    messages = [str(e) for e in report.errors]
    assert messages == [
        "ligne 2, Date de paiement : date de paiement 20/03/2025 postérieure à la date "
        "d'import (10/03/2025)",
        "ligne 3, Date facture : date de facture 12/03/2025 postérieure à la date "
        "d'import (10/03/2025)",
    ]
    assert ledger.counts()["invoices"] == 0


def test_cli_as_of_dates_the_inferred_payment(tmp_path: Path, capsys) -> None:
    import main

    sheet = tmp_path / "suivi.csv"
    sheet.write_text(HEADER + "Studio Kasba;01/03/2025;FA-1;30/04/2025;1 200,00;oui\n", "utf-8")
    db = str(tmp_path / "r.sqlite")
    assert main.run(["--db", db, "--new", "import", str(sheet), "--as-of", "2025-03-15"]) == 0
    err = capsys.readouterr().err
    assert "1 paiement(s) dont 1 à date supposée" in err
    assert "payé à l'échéance ou au plus tard le 15/03/2025" in err
    ledger = Ledger.open(db)
    assert payment_dates(ledger, "FA-1") == [dt.date(2025, 3, 15)]
    ledger.close()


# --- lines that are not invoices are skipped with a warning naming each line -------------------

SHEET_ROWS: list[list[object]] = [
    ["Suivi des factures 2025", None, None, None, None, None],
    ["Exporté le 10/03/2025", None, None, None, None, None],
    ["Client", "Date facture", "N° facture", "Échéance", "Montant TTC", "Payé"],
    ["Studio Kasba", "15/01/2025", "FA-1", "14/02/2025", "1 200,00", "non"],
    ["Agence Lumen", "20/01/2025", "FA-2", "19/02/2025", "300,50", "oui"],
    ["Sous-total janvier", None, None, None, "1 500,50", None],
    ["Studio Kasba", "03/02/2025", "FA-3", "05/03/2025", "99,50", "non"],
    [None, None, None, None, "99,50", None],
    ["TOTAL", None, None, None, "1 600,00", None],
]
SKIPPED = [
    "ligne 1 ignorée : au-dessus de la ligne d'en-tête (« Suivi des factures 2025 »)",
    "ligne 2 ignorée : au-dessus de la ligne d'en-tête (« Exporté le 10/03/2025 »)",
    "ligne 6 ignorée : ligne de total (« Sous-total janvier »), pas une facture",
    "ligne 8 ignorée : ni client, ni numéro, ni date : une ligne de sommes ou une note, pas une "
    "facture",
    "ligne 9 ignorée : ligne de total (« TOTAL »), pas une facture",
]


def check_sheet_import(ledger: Ledger, path: Path) -> None:
    """The three invoices are imported, every other line is named in a warning."""
    report = ledger.import_file(path, AS_OF)
    assert report.errors == []
    assert report.invoices_created == 3
    assert report.warnings[: len(SKIPPED)] == SKIPPED
    rows = ledger.stages(AS_OF)
    assert sum(r.total_cents for r in rows) == 160000  # the file's own TOTAL: 1 600,00
    assert sum(r.balance_cents for r in rows) == 129950  # FA-2 paid


def test_csv_with_title_and_total_lines_imports_with_warnings(ledger: Ledger, tmp_path) -> None:
    path = tmp_path / "suivi.csv"
    lines = [";".join("" if c is None else str(c) for c in row) for row in SHEET_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_sheet_import(ledger, path)


def test_xlsx_with_title_and_total_lines_imports_with_warnings(ledger: Ledger, tmp_path) -> None:
    path = tmp_path / "suivi.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in SHEET_ROWS:
        sheet.append(row)
    # Excel users type real numbers and dates, and a formula total.
    sheet["E4"], sheet["E5"], sheet["E7"] = 1200, 300.5, 99.5
    sheet["B4"] = dt.datetime(2025, 1, 15)
    sheet["E9"] = 1600
    book.save(path)
    check_sheet_import(ledger, path)


def test_a_real_invoice_row_with_an_error_is_still_refused(ledger: Ledger) -> None:
    text = HEADER + "Studio Kasba;;FA-1;;1 200,00;non\nStudio Kasba;01/02/2025;;;50,00;non\n"
    report = imported(ledger, text)
    assert [str(e) for e in report.errors] == [
        "ligne 2, Date facture : valeur obligatoire manquante",
        "ligne 3, N° facture : valeur obligatoire manquante",
    ]
    assert ledger.counts()["invoices"] == 0


def test_a_client_named_total_with_a_date_is_an_invoice_row_not_a_total(ledger: Ledger) -> None:
    report = imported(ledger, HEADER + "Total Énergies;01/02/2025;;;50,00;non\n")
    assert [str(e) for e in report.errors] == ["ligne 2, N° facture : valeur obligatoire manquante"]


# --- bounds (issue 12 item 6) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "01/02/2025;F-1;;12345678901234567890;non",
            "ligne 2, Montant TTC : montant trop élevé : « 12345678901234567890 » "
            "(au plus 999 999 999,99 €)",
        ),
        (
            "01/02/2025;F-1;;" + "9" * 30 + ";non",
            "ligne 2, Montant TTC : montant trop élevé : « " + "9" * 30 + " » "
            "(au plus 999 999 999,99 €)",
        ),
        (
            "31/12/9999;F-1;;100;non",
            "ligne 2, Date facture : date hors limites : « 31/12/9999 » "
            "(années 1990 à 2100 seulement)",
        ),
        (
            "01/01/0001;F-1;;100;non",
            "ligne 2, Date facture : date hors limites : « 01/01/0001 » "
            "(années 1990 à 2100 seulement)",
        ),
        (
            "01/02/2025;F-1;01/02/2027;100;non",
            "ligne 2, Échéance : échéance (01/02/2027) plus d'un an après la date de facture "
            "(01/02/2025) : faute de frappe dans l'année ?",
        ),
    ],
)
def test_out_of_bounds_values_are_line_errors(ledger: Ledger, cells: str, message: str) -> None:
    report = imported(ledger, HEADER + "Studio Kasba;" + cells + "\n")
    assert [str(e) for e in report.errors] == [message]
    assert ledger.counts() == {"clients": 0, "invoices": 0, "payments": 0, "actions": 0}


def test_largest_amount_is_accepted(ledger: Ledger) -> None:
    imported(ledger, HEADER + "Studio Kasba;01/02/2025;F-1;;999 999 999,99;non\n")
    assert ledger.find_invoice("F-1").amount_ttc_cents == 99999999999


def test_cli_bounds_are_line_errors_never_internal_errors(tmp_path: Path, capsys) -> None:
    import main

    sheet = tmp_path / "fuzz.csv"
    sheet.write_text(
        HEADER
        + "A;01/02/2025;F-1;;12345678901234567890;non\n"
        + "A;01/02/2025;F-2;;"
        + "1" * 30
        + ";non\nA;31/12/9999;F-3;;100;non\nA;01/01/0001;F-4;;100;non\n",
        "utf-8",
    )
    db = str(tmp_path / "r.sqlite")
    assert main.run(["--db", db, "--new", "import", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert "erreur interne" not in err
    lines = [line for line in err.splitlines() if not line.startswith("nouvelle base créée")]
    assert [line.split(",")[0] for line in lines[:4]] == [
        f"fuzz.csv : ligne {n}" for n in (2, 3, 4, 5)
    ]


# --- conflicts: the same number with another amount or client (issue 12 item 6) ----------------


def test_numbers_are_compared_without_case_or_spaces(ledger: Ledger) -> None:
    imported(ledger, HEADER + "Studio Kasba;01/02/2025;FZ-1;;100,00;non\n")
    report = imported(ledger, HEADER + "Studio Kasba;01/02/2025; fz-1 ;;100,00;oui\n")
    assert (report.invoices_created, report.payments_created, report.conflicts) == (0, 1, [])
    assert ledger.counts()["invoices"] == 1
    same_file = imported(ledger, HEADER + "A;01/02/2025;X-1;;1;non\nA;01/02/2025;x-1 ;;1;non\n")
    assert [str(e) for e in same_file.errors] == [
        "ligne 3, N° facture : numéro de facture « x-1 » déjà présent ligne 2"
    ]


def test_a_conflicting_amount_is_listed_and_kept(ledger: Ledger) -> None:
    imported(ledger, HEADER + "Studio Kasba;01/02/2025;FZ-1;;100,00;non\n")
    report = imported(ledger, HEADER + "Studio Kasba;01/02/2025;fz-1;;120,00;non\n")
    assert [str(c) for c in report.conflicts] == [
        "ligne 2 : la facture FZ-1 est enregistrée pour 100,00\u00a0€ (Studio Kasba), le fichier "
        "dit 120,00\u00a0€ (Studio Kasba) : gardée telle qu'enregistrée"
    ]
    assert ledger.find_invoice("FZ-1").amount_ttc_cents == 10000


def test_a_conflict_is_replaced_when_asked_and_the_history_says_so(ledger: Ledger) -> None:
    imported(ledger, HEADER + "Studio Kasba;01/02/2025;FZ-1;;100,00;non\n")
    report = imported(
        ledger, HEADER + "Agence Lumen;01/02/2025;FZ-1;;120,00;non\n", replace_conflicts=True
    )
    assert report.replaced == 1
    assert report.conflicts[0].outcome == "remplacée par la ligne du fichier"
    inv = ledger.find_invoice("FZ-1")
    lumen = ledger.find_client("Agence Lumen")
    assert (inv.amount_ttc_cents, inv.client_id) == (12000, lumen.id)
    ((note, numbers),) = ledger.history(lumen.id)
    assert (note.kind, numbers) == ("note", ["FZ-1"])
    assert "avant : 100,00\u00a0€ (Studio Kasba), après : 120,00\u00a0€ (Agence Lumen)" in (
        note.notes
    )


def test_an_invoice_with_history_does_not_move_to_another_client(ledger: Ledger) -> None:
    imported(ledger, HEADER + "Studio Kasba;01/02/2025;FZ-1;;100,00;non\n")
    inv = ledger.find_invoice("FZ-1")
    ledger.record_action(inv.client_id, AS_OF, "call", invoice_ids=[inv.id])
    report = imported(
        ledger, HEADER + "Agence Lumen;01/02/2025;FZ-1;;100,00;non\n", replace_conflicts=True
    )
    assert report.replaced == 0
    assert report.conflicts[0].outcome.startswith("gardée, car son historique")
    assert ledger.find_invoice("FZ-1").client_id == inv.client_id
    assert ledger.find_client("Agence Lumen") is None


def test_cli_lists_conflicts_and_replaces_them_when_asked(tmp_path: Path, capsys) -> None:
    import main

    db = str(tmp_path / "r.sqlite")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(HEADER + "Studio Kasba;01/02/2025;FZ-1;;100,00;non\n", "utf-8")
    second.write_text(HEADER + "Studio Kasba;01/02/2025;fz-1 ;;120,00;non\n", "utf-8")
    assert main.run(["--db", db, "--new", "import", str(first), "--as-of", "2025-03-10"]) == 0
    assert main.run(["--db", db, "import", str(second), "--as-of", "2025-03-10"]) == 0
    err = capsys.readouterr().err
    assert "b.csv : ligne 2 : la facture FZ-1 est enregistrée pour 100,00" in err
    assert ": gardée telle qu'enregistrée" in err
    assert "1 en conflit (0 remplacée(s))" in err
    args = ["--db", db, "import", str(second), "--as-of", "2025-03-10", "--replace-conflicts"]
    assert main.run(args) == 0
    assert "1 en conflit (1 remplacée(s))" in capsys.readouterr().err
    ledger = Ledger.open(db)
    assert ledger.find_invoice("FZ-1").amount_ttc_cents == 12000
    assert ledger.counts()["invoices"] == 1
    ledger.close()


def test_dry_run_reports_and_writes_nothing(ledger: Ledger) -> None:
    report = ledger.import_parsed(
        parse_csv_text(HEADER + "Studio Kasba;01/02/2025;FZ-1;;100,00;oui\n"), AS_OF, dry_run=True
    )
    assert (report.invoices_created, report.payments_created) == (1, 1)
    assert ledger.counts()["invoices"] == 0


# --- older imports: supposed payment dates in the future are brought back ----------------------


def test_migration_brings_future_supposed_payment_dates_back(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    ledger = Ledger.open(str(path))
    client = ledger.add_client("Studio Kasba")
    far = dt.date.today() + dt.timedelta(days=200)
    past = dt.date.today() - dt.timedelta(days=20)
    for number, due in (("OLD-1", far), ("OLD-2", past)):
        inv = ledger.add_invoice(client, number, past - dt.timedelta(days=10), Decimal(10), due)
        with ledger._write() as s:  # what versions before the fix wrote
            s.add(
                Payment(
                    invoice_id=inv,
                    date=due,
                    amount_cents=1000,
                    method="other",
                    reference="import (date supposée)",
                )
            )
    ledger.close()
    with sqlite3.connect(path) as conn:  # the database as an older version left it
        conn.execute("UPDATE alembic_version SET version_num = '0002'")  # before 0003
    ledger = Ledger.open(str(path))
    old1, old2 = (payment_dates(ledger, n)[0] for n in ("OLD-1", "OLD-2"))
    ledger.close()
    assert dt.date.today() - dt.timedelta(days=1) <= old1 <= dt.date.today()
    assert old2 == past  # already in the past: left as it was


# --- files Relance cannot read: each its own sentence naming the file and what to do ----------


def _refusal(path: Path) -> str:
    """The French sentence an import of this file is refused with."""
    from models.errors import InputError
    from models.importing.read import parse_file

    with pytest.raises(InputError) as caught:
        parse_file(path)
    return str(caught.value)


def test_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Client", "Date facture", "N° facture", "Montant TTC"])
    book.save(plain)
    locked = tmp_path / "protégé.xlsx"
    with plain.open("rb") as src, locked.open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    assert _refusal(locked) == (
        "protégé.xlsx : ce classeur est protégé par un mot de passe et Relance ne peut pas le "
        "lire ; ouvrez-le dans Excel ou LibreOffice, enregistrez-en une copie sans mot de "
        "passe, puis importez cette copie"
    )


def test_truncated_workbook_is_called_damaged(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    book = openpyxl.Workbook()
    for n in range(200):
        book.active.append(["Client", "01/02/2025", f"F-{n}", n])
    book.save(whole)
    cut = tmp_path / "coupé.xlsx"
    cut.write_bytes(whole.read_bytes()[:3000])
    assert _refusal(cut).startswith("coupé.xlsx : classeur endommagé ou incomplet")
    assert "enregistrez-le à nouveau au format .xlsx" in _refusal(cut)


def test_unexpected_encoding_says_to_save_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes("Client;N° facture\nÉcole;F1\n".encode() + b"\x81\x8d\x90")
    assert _refusal(path) == (
        "mac.csv : encodage des caractères non reconnu ; enregistrez le fichier au format "
        "« CSV UTF-8 » (Excel : Enregistrer sous, CSV UTF-8 ; LibreOffice : jeu de caractères "
        "Unicode UTF-8) puis réessayez"
    )


def test_utf16_without_bom_is_read(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((HEADER + "École;01/02/2025;F-1;;3,00;non\n").encode("utf-16-le"))
    report = ledger.import_file(path, AS_OF)
    assert (report.errors, report.invoices_created) == ([], 1)
    assert [c.name for c in ledger.clients()] == ["École"]


# --- progress and cancellation (issue 17) --------------------------------------------------------


def test_progress_counts_lines_checked_then_rows_written(ledger: Ledger) -> None:
    text = HEADER + "".join(f"Client {n % 7};01/03/2025;FP-{n};;10,00;oui\n" for n in range(25))
    told: list[tuple[str, int, int]] = []
    report = ledger.import_parsed(parse_csv_text(text), AS_OF, progress=lambda *t: told.append(t))
    assert report.invoices_created == 25
    assert told[0] == ("check", 0, 25)
    assert ("check", 25, 25) in told
    assert told[-1] == ("write", 57, 57)  # 7 clients, 25 invoices, 25 payments


def test_cancel_before_the_commit_writes_nothing(ledger: Ledger) -> None:
    from models.importing.apply import ImportCancelledError

    imported(ledger, HEADER + "Studio Kasba;01/03/2025;FA-0;;5,00;non\n")
    before = ledger.counts()
    text = HEADER + "".join(f"Client {n % 7};01/03/2025;FC-{n};;10,00;oui\n" for n in range(25))
    stages: list[str] = []

    def cancelled() -> bool:  # the user presses « Annuler » once rows are being written
        return bool(stages) and stages[-1] == "write"

    with pytest.raises(ImportCancelledError, match="rien n'a été enregistré"):
        ledger.import_parsed(
            parse_csv_text(text),
            AS_OF,
            progress=lambda stage, _done, _total: stages.append(stage),
            cancelled=cancelled,
        )
    assert "write" in stages
    assert ledger.counts() == before
