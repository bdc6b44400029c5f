"""`main.py payment/backup/restore`, --new, refused files, busy bases: one French line."""

import datetime as dt
import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

import main
from models.store import backups, db
from models.store.ledger import Ledger


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def base(tmp_path) -> Path:
    path = tmp_path / "relance.sqlite"
    led = Ledger.open(str(path))
    c = led.add_client("Boulangerie Martin")
    led.add_invoice(c, "F-1", dt.date(2026, 1, 5), Decimal("1000.00"), dt.date(2026, 2, 4))
    led.close()
    return path


def run(capsys, *args):
    code = main.run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_payment_is_recorded(base, capsys):
    code, _, err = run(
        capsys, "--db", base, "payment", "F-1", "250,50", "--date", "2026-02-10",
        "--method", "cheque",
    )  # fmt: skip
    assert code == 0, err
    led = Ledger.open(str(base))
    [pay] = led.payments(led.find_invoice("F-1").id)
    assert (pay.amount_cents, pay.date, pay.method) == (25050, dt.date(2026, 2, 10), "cheque")
    led.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["payment", "F-1", "douze"], "payment : montant illisible : « douze »"),
        (["payment", "NOPE", "10"], "facture inconnue : NOPE"),
        (["payment", "F-1", "-5"], "montant"),
        (["payment", "F-1", "10", "--method", "troc"], "choix invalide « troc »"),
        (["restore", "/nulle/part.sqlite"], "fichier introuvable"),
    ],
)
def test_bad_input_is_one_line_exit_2(base, capsys, args, message):
    code, _, err = run(capsys, "--db", base, *args)
    assert code == 2
    assert message in one_line(err)
    led = Ledger.open(str(base))
    assert led.counts()["payments"] == 0
    led.close()


def test_backup_into_the_folder_and_to_a_file(base, tmp_path, capsys):
    code, _, err = run(capsys, "--db", base, "backup")
    assert code == 0, err
    [made] = backups.list_backups(tmp_path / "sauvegardes")
    assert f"Sauvegarde faite : {made}" in err
    out = tmp_path / "cle" / "copie.sqlite"
    out.parent.mkdir()
    code, _, err = run(capsys, "--db", base, "backup", "-o", out)
    assert code == 0, err
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT number FROM invoice").fetchall() == [("F-1",)]
    conn.close()
    code, _, err = run(capsys, "--db", base, "backup", "-o", tmp_path / "absent" / "x.sqlite")
    assert code == 2
    assert "dossier introuvable" in one_line(err)


def test_restore_checks_then_replaces(base, tmp_path, capsys):
    copy = tmp_path / "copie.sqlite"
    assert run(capsys, "--db", base, "backup", "-o", copy)[0] == 0
    assert run(capsys, "--db", base, "payment", "F-1", "10")[0] == 0
    code, _, err = run(capsys, "--db", base, "restore", copy)
    assert code == 0, err
    assert "Base restaurée" in err
    led = Ledger.open(str(base))
    assert led.counts()["payments"] == 0
    led.close()
    foreign = tmp_path / "compta.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()
    before = sha(base)
    code, _, err = run(capsys, "--db", base, "restore", foreign)
    assert code == 2
    assert "n'est pas une sauvegarde Relance" in one_line(err)
    assert sha(base) == before


def test_a_foreign_file_as_db_is_refused_byte_identical(tmp_path, capsys):
    foreign = tmp_path / "compta.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoice VALUES (1, 9.5)")
    conn.close()
    before = sha(foreign)
    code, _, err = run(capsys, "--db", foreign, "todo")
    assert code == 2
    assert one_line(err) == (
        f"relance: {foreign} n'est pas une base Relance (ses tables ne sont pas celles de "
        "Relance) : rien n'y a été écrit ; vérifiez le chemin du fichier"
    )
    assert sha(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compta.db"]


def test_a_folder_as_db_is_named(tmp_path, capsys):
    code, _, err = run(capsys, "--db", tmp_path, "todo")
    assert code == 2
    assert f"{tmp_path} est un dossier : indiquez le fichier de la base" in one_line(err)


def test_demo_makes_a_new_base_and_says_so(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    code, _, err = run(capsys, "--db", path, "demo")
    assert code == 0, err
    assert f"nouvelle base créée : {path}" in err


def test_missing_backup_folder_warns_and_settings_still_change(base, tmp_path, capsys):
    # Issue 12, item 1: the drive of the backups unplugged, every command still works.
    drive = tmp_path / "cle-usb"
    with sqlite3.connect(base) as conn:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('backup_dir', ?)",
            (f'"{drive / "sauvegardes"}"',),
        )
    conn.close()
    drive.write_text("")  # the folder cannot be made: a file stands where the drive was
    code, out, err = run(capsys, "--db", base, "todo", "--as-of", "2026-03-01")
    assert code == 0
    assert "Boulangerie Martin" in out
    assert one_line(err).startswith("relance: attention : la sauvegarde n'a pas pu être faite")
    code, _, err = run(capsys, "--db", base, "settings", "set", "backup_dir", tmp_path / "ok")
    assert code == 0, err
    code, _, err = run(capsys, "--db", base, "settings", "set", "backup_dir", drive / "x")
    assert code == 2
    assert "n'est pas utilisable" in one_line(err)


def test_a_busy_base_is_said_in_french(base, capsys, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(base, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = run(capsys, "--db", base, "payment", "F-1", "10")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2
    assert one_line(err) == (
        "relance: la base est utilisée par une autre fenêtre ou un autre programme, réessayez"
    )
