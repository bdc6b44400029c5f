"""Backups: checked copies written whole, pruning, a failed backup never blocks, checked restore."""

import datetime as dt
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from models.errors import InputError
from models.store import backups, db
from models.store.ledger import Ledger

NOW = dt.datetime(2026, 11, 23, 9, 30)
ROOT = Path(__file__).resolve().parents[3]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(tmp_path) -> Path:
    """A database file with one client and one invoice FA-1."""
    path = tmp_path / "r.sqlite"
    led = Ledger.open(str(path))
    c = led.add_client("Studio Kasba")
    led.add_invoice(c, "FA-1", dt.date(2026, 1, 5), Decimal("100"))
    led.close()
    return path


@pytest.fixture
def newer_scripts(tmp_path, monkeypatch):
    """This Relance with one more migration (9999): the files made before it are older."""

    def install(body: str) -> None:
        head = db.head_revision()
        folder = tmp_path / "migrations"
        shutil.copytree(db.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / "versions" / "9999_essai.py").write_text(
            textwrap.dedent(
                f'''
                """essai"""
                import sqlalchemy as sa
                from alembic import op

                revision = "9999"
                down_revision = "{head}"
                branch_labels = None
                depends_on = None


                def upgrade() -> None:
                    {body}


                def downgrade() -> None:
                    pass
                '''
            )
        )
        monkeypatch.setattr(db, "MIGRATIONS", folder)

    return install


def test_daily_backup_once_a_day_and_pruned(filled, tmp_path):
    led = Ledger.open(str(filled))
    folder = tmp_path / "sauvegardes"
    assert backups.daily_backup(led.engine, folder, NOW, keep=2) is not None
    assert backups.daily_backup(led.engine, folder, NOW.replace(hour=18), keep=2) is None
    for day in (24, 25, 26):
        backups.daily_backup(led.engine, folder, NOW.replace(day=day), keep=2)
    assert [p.name[8:18] for p in backups.list_backups(folder)] == ["2026-11-26", "2026-11-25"]
    led.close()


def test_open_makes_the_daily_backup_next_to_the_file(filled, tmp_path):
    Ledger.open(str(filled), now=NOW).close()
    made = backups.list_backups(tmp_path / "sauvegardes")
    assert len(made) == 1
    copy = sqlite3.connect(made[0])
    assert copy.execute("SELECT number FROM invoice").fetchall() == [("FA-1",)]
    assert copy.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    copy.close()
    assert not [p for p in (tmp_path / "sauvegardes").iterdir() if p.suffix == ".tmp"]


def test_backup_before_migration_made_once_and_pruned(filled, tmp_path, newer_scripts):
    # Issue 12, item 1: an upgrade that fails on every open must not pile up copies, and
    # the pre-upgrade copies are pruned like the daily ones.
    newer_scripts('raise RuntimeError("migration en échec")')
    for minute in (31, 32, 33):
        with pytest.raises(RuntimeError, match="migration en échec"):
            Ledger.open(str(filled), now=NOW.replace(minute=minute))
    folder = tmp_path / "sauvegardes"
    assert [p.name for p in backups.list_backups(folder)] == [
        "relance-2026-11-23_093100-avant-migration.sqlite"
    ]
    copy = sqlite3.connect(backups.list_backups(folder)[0])
    assert copy.execute("SELECT number FROM invoice").fetchall() == [("FA-1",)]
    copy.close()
    for day in (24, 25, 26):  # the file changes between upgrades: a new copy each time
        with sqlite3.connect(filled) as conn:
            conn.execute("UPDATE invoice SET subject = ?", (f"jour {day}",))
        conn.close()
        backups.migration_copy(
            db.make_engine(f"sqlite:///{filled}"), folder, NOW.replace(day=day), keep=2
        )
    names = [p.name for p in backups.list_backups(folder) if "migration" in p.name]
    assert [n[8:18] for n in names] == ["2026-11-26", "2026-11-25"]


def test_a_ledger_with_its_stage_cache_is_copied_once_before_failing_upgrades(
    filled, tmp_path, newer_scripts
):
    # The stage cache (a WITHOUT ROWID table of derived rows) must not make every attempt
    # look like a new file.
    led = Ledger.open(str(filled), now=NOW)
    led.stages(NOW.date())
    led.close()
    with sqlite3.connect(filled) as conn:
        assert conn.execute("SELECT COUNT(*) FROM stagecache").fetchone()[0] > 0
    conn.close()
    newer_scripts('raise RuntimeError("migration en échec")')
    for minute in (31, 32, 33):
        with pytest.raises(RuntimeError, match="migration en échec"):
            Ledger.open(str(filled), now=NOW.replace(minute=minute))
    made = backups.list_backups(tmp_path / "sauvegardes")
    assert [p.name for p in made if "migration" in p.name] == [
        "relance-2026-11-23_093100-avant-migration.sqlite"
    ]


def test_an_upgrade_that_rebuilds_a_table_runs_on_a_ledger_with_its_stage_cache(
    filled, tmp_path, newer_scripts
):
    # SQLite alters a table by copying, dropping and renaming it: the stage cache's triggers
    # name the tables, so the upgrade removes the cache first (the next listing remakes it).
    led = Ledger.open(str(filled), now=NOW)
    expected = led.stages(NOW.date())
    led.close()
    newer_scripts(
        'with op.batch_alter_table("invoice", recreate="always") as batch:\n'
        '                        batch.add_column(sa.Column("essai", sa.Integer(), nullable=True))'
    )
    led = Ledger.open(str(filled), now=NOW.replace(minute=40))
    try:
        assert db.current_revision(led.engine) == "9999"
        assert led.stages(NOW.date()) == expected
        with sqlite3.connect(filled) as conn:  # installed again by that listing
            assert conn.execute("SELECT COUNT(*) FROM stagecache").fetchone()[0] == len(expected)
        conn.close()
    finally:
        led.close()


def test_upgrade_keeps_data_after_its_copy(filled, tmp_path, newer_scripts):
    newer_scripts('op.execute("CREATE TABLE essai (id INTEGER PRIMARY KEY)")')
    led = Ledger.open(str(filled), now=NOW)
    assert db.current_revision(led.engine) == "9999"
    assert led.counts()["invoices"] == 1
    assert led.backup_problem is None
    led.close()
    made = [p.name for p in backups.list_backups(tmp_path / "sauvegardes")]
    assert "relance-2026-11-23_093000-avant-migration.sqlite" in made


@pytest.mark.parametrize("where", ["missing_drive", "file_not_folder"])
def test_a_failed_backup_warns_and_never_blocks_the_open(filled, tmp_path, where):
    # Issue 12, item 1: a backup folder on an unplugged drive must not lock the user out.
    led = Ledger.open(str(filled))
    good = tmp_path / "copies"
    led.set_setting("backup_dir", str(good))
    led.close()
    if where == "file_not_folder":
        good.rmdir()
        good.write_text("un fichier, pas un dossier")
    else:
        # The setting was valid when set; the drive is gone now (a folder under a file).
        with sqlite3.connect(filled) as conn:
            blocked = tmp_path / "cle-usb"
            blocked.write_text("")
            conn.execute(
                "UPDATE setting SET value = ? WHERE key = 'backup_dir'",
                (f'"{blocked / "sauvegardes"}"',),
            )
        conn.close()
    led = Ledger.open(str(filled), now=NOW)
    assert led.counts()["invoices"] == 1
    assert led.backup_problem is not None
    assert led.backup_problem.startswith("la sauvegarde n'a pas pu être faite : ")
    # The settings are within reach: pointing back to a good folder is accepted.
    led.set_setting("backup_dir", str(tmp_path / "ailleurs"))
    assert led.backup_now(NOW).parent == tmp_path / "ailleurs"
    assert led.backup_problem is None
    led.close()


def test_backup_dir_is_checked_when_set(filled, tmp_path):
    led = Ledger.open(str(filled))
    a_file = tmp_path / "note.txt"
    a_file.write_text("x")
    with pytest.raises(InputError, match="est un fichier, pas un dossier"):
        led.set_setting("backup_dir", str(a_file))
    with pytest.raises(InputError, match="n'est pas utilisable"):
        led.set_setting("backup_dir", str(a_file / "sauvegardes"))
    assert led.setting("backup_dir") == ""
    led.set_setting("backup_dir", str(tmp_path / "neuf" / "sauvegardes"))  # can be made
    assert (tmp_path / "neuf" / "sauvegardes").is_dir()
    led.close()


DISK_FULL = """
import datetime as dt, resource, signal, sys
from pathlib import Path
from models.errors import StorageError
from models.store import backups, db
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
engine = db.make_engine(f"sqlite:///{sys.argv[1]}")
resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
try:
    backups.backup(engine, Path(sys.argv[2]), dt.datetime(2026, 11, 23, 9, 30))
except StorageError as exc:
    print(exc)
    sys.exit(3)
"""


def test_disk_full_during_a_backup_leaves_nothing(filled, tmp_path):
    # Issue 12, item 1: a partial copy under today's name would stop today's real backup.
    led = Ledger.open(str(filled))
    c = led.add_client("Gros client")
    for n in range(300):
        led.add_invoice(c, f"G-{n:04d}", dt.date(2026, 1, 5), Decimal("100"), subject="x" * 200)
    led.close()
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(filled), str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    assert "impossible d'écrire" in proc.stdout
    assert list(folder.iterdir()) == []


def test_restore_brings_back_earlier_data_with_a_safety_copy(filled, tmp_path):
    led = Ledger.open(str(filled))
    saved = backups.backup(led.engine, tmp_path / "b", NOW)
    c = led.add_client("B")
    led.add_invoice(c, "FA-2", dt.date(2026, 1, 6), Decimal("200"))
    safety = led.restore_backup(saved, NOW.replace(minute=45))
    assert "avant-restauration" in safety.name
    assert [s.invoice for s in led.stages(dt.date(2026, 2, 1))] == ["FA-1"]
    led.add_client("Après restauration")  # the restored file is writable at once
    led.close()
    check = sqlite3.connect(safety)
    assert check.execute("SELECT count(*) FROM invoice").fetchone()[0] == 2
    check.close()


def _foreign_with_invoice(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, number TEXT)")
        conn.execute("INSERT INTO invoice VALUES (1, 'X')")
    conn.close()


def _newer(path: Path, source: Path) -> None:
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
        conn.execute("PRAGMA user_version=20300")
    conn.close()


def _truncated(path: Path, source: Path) -> None:
    led = Ledger.open(str(source))
    c = led.add_client("Gros")
    for n in range(200):
        led.add_invoice(c, f"T-{n}", dt.date(2026, 1, 5), Decimal("1"), subject="y" * 100)
    led.close()
    whole = tmp = path.with_suffix(".whole")
    backups.backup_to(db.make_engine(f"sqlite:///{source}"), tmp)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("newer", r"vient d'une version plus récente de Relance \(2\.3\)"),
        ("foreign", "n'est pas une sauvegarde Relance"),
        ("truncated", "n'est pas une sauvegarde Relance|endommagée"),
        ("random", "n'est pas une sauvegarde Relance"),
    ],
)
def test_restore_refuses_before_replacing(filled, tmp_path, kind, message):
    # Issue 12, item 2: the candidate is checked first; the live file stays byte-identical.
    candidate = tmp_path / "candidate.sqlite"
    if kind == "newer":
        _newer(candidate, filled)
    elif kind == "foreign":
        _foreign_with_invoice(candidate)
    elif kind == "truncated":
        _truncated(candidate, tmp_path / "other.sqlite")
    else:
        candidate.write_bytes(b"pas une base" * 500)
    led = Ledger.open(str(filled))
    led.close()
    before = sha(filled)
    led = Ledger.open(str(filled))
    with pytest.raises(InputError, match=message):
        led.restore_backup(candidate, NOW)
    assert led.counts()["invoices"] == 1
    led.close()
    assert sha(filled) == before
    assert backups.list_backups(tmp_path / "sauvegardes") == []  # not even a safety copy
