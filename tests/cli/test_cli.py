"""The command line: JSON shapes of DESIGN.md, exit status 2 with one line on bad input."""

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import main
from models.store.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "models" / "data" / "suivi-factures.csv"


@pytest.fixture
def db(tmp_path):
    """A database file with one B2B invoice of 10,000.00 due 2025-06-20 (LEGAL.md example)."""
    path = tmp_path / "relance.sqlite"
    ledger = Ledger.open(str(path))
    c = ledger.add_client("Boulangerie Martin")
    ledger.add_invoice(
        c, "F2025-001", dt.date(2025, 5, 21), Decimal("10000.00"), dt.date(2025, 6, 20)
    )
    b = ledger.add_client("Mme Claire Fontaine", kind="b2c")
    ledger.add_invoice(b, "F2025-002", dt.date(2025, 6, 1), Decimal("120.00"), dt.date(2025, 6, 30))
    ledger.close()
    return str(path)


def run(capsys, *args):
    code = main.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_interest_json_is_the_contract(db, capsys):
    code, out, _ = run(
        capsys, "--db", db, "interest", "F2025-001", "--as-of", "2025-07-10", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert {
        k: data[k] for k in ("invoice", "as_of", "principal", "penalties", "indemnity", "total_due")
    } == {
        "invoice": "F2025-001",
        "as_of": "2025-07-10",
        "principal": "10000.00",
        "penalties": "69.32",
        "indemnity": "40.00",
        "total_due": "10109.32",
    }
    contract = ("start", "end", "days", "base", "rate", "amount")
    assert [{k: p[k] for k in contract} for p in data["periods"]] == [
        {
            "start": "2025-06-21",
            "end": "2025-06-30",
            "days": 10,
            "base": "10000.00",
            "rate": "13.15",
            "amount": "36.03",
        },
        {
            "start": "2025-07-01",
            "end": "2025-07-10",
            "days": 10,
            "base": "10000.00",
            "rate": "12.15",
            "amount": "33.29",
        },
    ]
    # Keys added by issue 11 (the contract above is unchanged): what set each rate and why.
    assert [p["basis"] for p in data["periods"]] == ["default", "default"]
    assert "BCE 3,15" in data["periods"][0]["note"]


def test_interest_json_shows_the_floor_applied(tmp_path, capsys):
    # C. com. L441-10 II: a 5 % clause in 2025-H2 gives way to 3 x 2,76 % = 8,28 %.
    # 10 000,00 due 2025-06-30, as of 2025-12-31: 184 days x 8,28 %:
    # 10 000 x 8,28 % x 184 / 365 = 152 352 / 365 = 417,3999 -> 417,40.
    path = str(tmp_path / "floor.sqlite")
    led = Ledger.open(path)
    c = led.add_client("Studio Kasba")
    led.add_invoice(c, "F-5", dt.date(2025, 5, 31), Decimal("10000.00"), dt.date(2025, 6, 30))
    led.set_setting("contractual_penalty_rate", "5")
    led.close()
    code, out, _ = run(
        capsys, "--db", path, "interest", "F-5", "--as-of", "2025-12-31", "--format", "json"
    )
    data = json.loads(out)
    assert (code, data["penalties"], data["warnings"]) == (0, "417.40", [])
    assert [(p["rate"], p["basis"]) for p in data["periods"]] == [("8.28", "floor")]
    assert "3 × 2,76" in data["periods"][0]["note"]


def test_b2c_interest_without_notice_is_zero(db, capsys):
    code, out, _ = run(
        capsys, "--db", db, "interest", "F2025-002", "--as-of", "2025-09-01", "--format", "json"
    )
    data = json.loads(out)
    assert (code, data["penalties"], data["indemnity"]) == (0, "0.00", "0.00")


def test_aged_balance_json(db, capsys):
    code, out, _ = run(
        capsys, "--db", db, "aged-balance", "--as-of", "2025-07-10", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["as_of"] == "2025-07-10"
    martin = next(c for c in data["clients"] if c["client"] == "Boulangerie Martin")
    assert {k: martin[k] for k in ("not_due", "1_30", "31_60", "61_90", "over_90", "total")} == {
        "not_due": "0.00",
        "1_30": "10000.00",
        "31_60": "0.00",
        "61_90": "0.00",
        "over_90": "0.00",
        "total": "10000.00",
    }
    assert data["totals"]["1_30"] == "10120.00"  # B2C 120.00 due 30/06 is 10 days late
    assert data["totals"]["total"] == "10120.00"


def test_stages_json(db, capsys):
    code, out, _ = run(capsys, "--db", db, "stages", "--as-of", "2025-06-28", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert rows[0] == {
        "invoice": "F2025-001",
        "client": "Boulangerie Martin",
        "stage": "overdue",
        "balance": "10000.00",
        "due": "2025-06-20",
        "days_late": 8,
        "next_action": "reminder_1",
        "next_action_on": "2025-06-27",
    }
    assert rows[1]["stage"] == "due_soon"


def test_todo_json(db, capsys):
    code, out, _ = run(capsys, "--db", db, "todo", "--as-of", "2025-06-28", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [{k: r[k] for k in ("on", "action", "client", "invoices")} for r in rows] == [
        {
            "on": "2025-06-23",
            "action": "preventive",
            "client": "Mme Claire Fontaine",
            "invoices": ["F2025-002"],
        },
        {
            "on": "2025-06-27",
            "action": "reminder_1",
            "client": "Boulangerie Martin",
            "invoices": ["F2025-001"],
        },
    ]


def test_csv_output(db, capsys):
    code, out, _ = run(capsys, "--db", db, "stages", "--as-of", "2025-06-28", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("invoice,client,stage,balance,due,days_late")


def test_import_then_reimport_no_duplicate(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite")
    # Issue 12, item 3: a path typed with --db is made only when --new asks for it.
    code, _, err = run(capsys, "--db", db, "import", str(SAMPLE))
    assert code == 2
    assert err.strip().startswith(f"relance: base introuvable : {db} (ajoutez --new")
    code, _, err = run(capsys, "--db", db, "--new", "import", str(SAMPLE))
    assert code == 0, err
    assert f"nouvelle base créée : {db}" in err
    assert "30 facture(s) créée(s)" in err
    code, _, err = run(capsys, "--db", db, "import", str(SAMPLE))
    assert (code, "0 facture(s) créée(s)" in err, "30 déjà présente(s)" in err) == (0, True, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["interest", "NOPE"], "facture inconnue : NOPE"),
        (["todo", "--as-of", "2025-02-30"], "date invalide « 2025-02-30 »"),
        (["stages", "--format", "xml"], "--format : choix invalide « xml »"),
        (["import", "/nonexistent/file.csv"], "fichier introuvable"),
        (["letter", "NOPE", "--kind", "reminder_1", "-o", "x.pdf"], "facture inconnue"),
        (
            ["letter", "F2025-001", "--kind", "reminder_9", "-o", "x.pdf"],
            "choix invalide « reminder_9 »",
        ),
        (["settings", "set", "payment_terms_days", "90"], "entre 0 et 60"),
        (["settings", "set", "nope", "1"], "paramètre inconnu"),
        (["aged-balance", "--format", "pdf"], "-o FICHIER.pdf"),
        (["bogus"], "commande inconnue « bogus »"),
        (["letter"], "obligatoire(s) manquant(s) : invoice"),
        (["stages", "--seed", "1"], "non reconnu(s) : --seed 1"),
        (["demo", "--seed", "x"], "--seed : valeur invalide « x »"),
    ],
)
def test_bad_input_exit_2_one_line(db, capsys, args, message):
    code, _, err = run(capsys, "--db", db, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_import_files_change_nothing(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Client;N° facture;Date facture;Montant TTC\n"
        "Nouveau client;X1;01/02/2025;120,00\n"
        "Autre;X2;01/02/2025;-5\n"
        "Autre;X1;02/02/2025;10\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--db", db, "import", str(bad))
    assert code == 2
    assert "ligne 3, Montant TTC" in err
    assert "ligne 4" in err
    ledger = Ledger.open(db)
    assert ledger.counts()["invoices"] == 2
    assert ledger.find_client("Nouveau client") is None
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code, _, err = run(capsys, "--db", db, "import", str(png))
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_skip_invalid_keeps_good_rows(db, tmp_path, capsys):
    bad = tmp_path / "mixed.csv"
    bad.write_text(
        "Client;N° facture;Date facture;Montant TTC\n"
        "Nouveau client;X1;01/02/2025;120,00\nAutre;X2;01/02/2025;-5\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--db", db, "import", str(bad), "--skip-invalid")
    assert code == 0
    assert "1 facture(s) créée(s)" in err
    assert "1 ligne(s) ignorée(s)" in err


def test_letter_pdf_and_aged_balance_pdf(db, tmp_path, capsys):
    from pypdf import PdfReader

    code, _, err = run(
        capsys,
        "--db",
        db,
        "settings",
        "set",
        "company",
        '{"name": "Atelier Exemple", "city": "Lyon", "postal_code": "69003",'
        ' "street": "8 rue des Artisans", "iban": "FR7630006000011234567890189"}',
    )
    assert code == 0, err
    out = tmp_path / "mise-en-demeure.pdf"
    code, _, err = run(
        capsys,
        "--db",
        db,
        "letter",
        "F2025-001",
        "--kind",
        "formal_notice",
        "--as-of",
        "2025-07-10",
        "-o",
        str(out),
    )
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(out).pages).replace("\u00a0", " ")
    assert "MISE EN DEMEURE" in text
    assert "10 109,32 €" in text
    assert "69,32 €" in text
    pdf = tmp_path / "balance.pdf"
    code, _, err = run(
        capsys,
        "--db",
        db,
        "aged-balance",
        "--format",
        "pdf",
        "--as-of",
        "2025-07-10",
        "-o",
        str(pdf),
    )
    assert code == 0, err
    assert "Balance âgée" in PdfReader(pdf).pages[0].extract_text()


def test_demo_command_refuses_a_filled_database(db, capsys):
    code, _, err = run(capsys, "--db", db, "demo")
    assert code == 2
    assert "--force" in err


def test_process_exit_status_and_env_override(db, tmp_path):
    env = {"RELANCE_DB": db, "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "interest", "NOPE"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "relance: facture inconnue : NOPE"
    ok = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "todo",
            "--as-of",
            "2025-06-28",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0
    assert "Boulangerie Martin" in ok.stdout


def test_help_is_french(capsys):
    with pytest.raises(SystemExit):
        main.run(["letter", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : relance letter")
    assert "afficher cette aide et quitter" in out
    assert "usage:" not in out
    assert "show this help" not in out
