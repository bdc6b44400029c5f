"""Storage: where the database lives, pragmas, migrations, which files are Relance's."""

import datetime as dt
import hashlib
import sqlite3
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from models.errors import InputError, MissingDatabaseError, StorageError
from models.store import db
from models.store.ledger import Ledger

NOW = dt.datetime(2026, 11, 23, 9, 30)


def test_db_location_override(tmp_path, monkeypatch):
    monkeypatch.delenv("RELANCE_DB", raising=False)
    assert db.resolve_url(None).endswith("Relance/relance.sqlite")
    monkeypatch.setenv("RELANCE_DB", str(tmp_path / "env.sqlite"))
    assert db.resolve_url(None) == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert db.resolve_url(str(tmp_path / "arg.sqlite")).endswith("arg.sqlite")
    assert db.resolve_url("postgresql://u@h/relance") == "postgresql://u@h/relance"


def test_pragmas(tmp_path):
    ledger = Ledger.open(str(tmp_path / "r.sqlite"))
    with ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_migrations_build_the_same_schema_as_the_tables(tmp_path):
    # Run the Alembic scripts alone on an empty file (not create_all), then compare.
    from alembic import command

    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    cfg = db._alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert db.current_revision(engine) == db.head_revision(engine)


def test_new_database_is_stamped_at_head(tmp_path):
    ledger = Ledger.open(str(tmp_path / "r.sqlite"))
    assert db.current_revision(ledger.engine) == db.head_revision(ledger.engine)


def test_a_failing_write_leaves_the_last_committed_state(tmp_path):
    ledger = Ledger.open(str(tmp_path / "r.sqlite"))
    c = ledger.add_client("A")
    inv = ledger.add_invoice(c, "FA-1", dt.date(2026, 1, 5), Decimal("100"))
    with pytest.raises(InputError):  # second invoice of a plan belongs to nobody
        ledger.create_plan(
            c, [inv, 999], dt.date(2026, 2, 1), [(dt.date(2026, 2, 15), Decimal("100"))]
        )
    from models.store.tables import Payment

    def crash_mid_transaction():
        with ledger._write() as s:
            s.add(Payment(invoice_id=inv, date=dt.date(2026, 1, 20), amount_cents=5000))
            s.flush()
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError, match="crash"):
        crash_mid_transaction()
    assert ledger.counts() == {"clients": 1, "invoices": 1, "payments": 0, "actions": 0}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_carries_relance_application_id(tmp_path):
    # Issue 12, item 3: our files are marked with PRAGMA application_id ("RLNC").
    path = tmp_path / "r.sqlite"
    Ledger.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID == 0x524C4E43
        )
        assert conn.execute("PRAGMA user_version").fetchone()[0] == db.version_code()
    assert path.read_bytes()[68:72] == b"RLNC"


def test_older_relance_file_without_id_is_adopted(tmp_path):
    # A file made before the id existed (our tables, a revision we know) opens and is marked.
    path = tmp_path / "r.sqlite"
    led = Ledger.open(str(path))
    led.add_client("A")
    led.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id=0")
        conn.execute("PRAGMA user_version=0")
    led = Ledger.open(str(path), create=False)
    assert led.counts()["clients"] == 1
    led.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID


@pytest.mark.parametrize("kind", ["foreign_tables", "other_app_id", "random_bytes"])
def test_a_file_that_is_not_ours_is_refused_byte_identical(tmp_path, kind):
    # Issue 12, item 3: another program's file is refused without a byte written.
    path = tmp_path / "autre.db"
    if kind == "random_bytes":
        path.write_bytes(bytes(range(256)) * 40)
    else:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
            conn.execute("INSERT INTO invoice VALUES (1, 12.5)")
            if kind == "other_app_id":
                conn.execute("PRAGMA application_id=1234")
        conn.close()
    before = sha(path)
    with pytest.raises(InputError, match="n'est pas une base Relance") as refused:
        Ledger.open(str(path))
    assert str(path) in str(refused.value)
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autre.db"]


def test_a_folder_given_as_the_database_is_named_as_such(tmp_path):
    with pytest.raises(InputError, match="est un dossier : indiquez le fichier"):
        Ledger.open(str(tmp_path))


def test_a_missing_file_is_made_only_when_asked(tmp_path):
    # Issue 12, item 3: a typo in --db must not create a stray empty database.
    path = tmp_path / "nouveau" / "relance.sqlite"
    with pytest.raises(MissingDatabaseError) as missing:
        Ledger.open(str(path), create=False)
    assert missing.value.path == str(path)
    assert not path.parent.exists()
    led = Ledger.open(str(path), create=True)
    assert led.created
    led.close()
    again = Ledger.open(str(path), create=False)
    assert not again.created
    again.close()


def test_a_newer_database_is_refused_untouched(tmp_path):
    # Issue 12, item 2: a schema this version does not know names the newer version.
    path = tmp_path / "r.sqlite"
    Ledger.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
        conn.execute("PRAGMA user_version=20300")
    conn.close()
    before = sha(path)
    with pytest.raises(InputError, match=r"version plus récente de Relance \(2\.3\)"):
        Ledger.open(str(path), now=NOW)
    assert sha(path) == before


def test_read_only_file_is_told_before_sqlite_fails(tmp_path):
    import os

    path = tmp_path / "r.sqlite"
    Ledger.open(str(path)).close()
    path.chmod(0o444)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as root: a read-only mode does not stop writes")
        with pytest.raises(StorageError, match="est en lecture seule"):
            Ledger.open(str(path))
    finally:
        path.chmod(0o644)


def test_sqlite_errors_become_french_sentences(tmp_path):
    # Issue 12, item 9: "inutilisable : OperationalError" said nothing; each cause its sentence.
    path = tmp_path / "r.sqlite"
    Ledger.open(str(path)).close()
    ro = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        ro.execute("INSERT INTO client (name) VALUES ('x')")
    ro.close()
    assert db.describe_error(refused.value, path) == (
        f"la base {path} est en lecture seule : rendez le fichier et son dossier modifiables, "
        "puis réessayez"
    )
    assert db.describe_error(sqlite3.OperationalError("database is locked")) == db.BUSY_MESSAGE
    full = db.describe_error(sqlite3.OperationalError("database or disk is full"), path)
    assert "disque plein" in full
    broken = db.describe_error(sqlite3.DatabaseError("database disk image is malformed"), path)
    assert broken.startswith(f"la base {path} est endommagée : restaurez une sauvegarde")


def test_read_only_folder_is_told_before_sqlite_fails(tmp_path):
    import os

    folder = tmp_path / "partage"
    folder.mkdir()
    path = folder / "r.sqlite"
    Ledger.open(str(path)).close()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a read-only mode does not stop writes")
        with pytest.raises(StorageError, match=f"le dossier {folder} est en lecture seule"):
            Ledger.open(str(path))
    finally:
        folder.chmod(0o755)
