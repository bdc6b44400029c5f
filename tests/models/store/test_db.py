"""Storage: where the database lives, pragmas, migrations, backups, restore, atomic writes."""

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from models.errors import InputError
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


def test_backup_before_migration(tmp_path):
    path = tmp_path / "old.sqlite"
    ledger = Ledger.open(str(path))
    c = ledger.add_client("Studio Kasba")
    ledger.add_invoice(c, "FA-1", dt.date(2026, 1, 5), Decimal("100"))
    with ledger.engine.begin() as conn:  # pretend the file predates the current schema
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'base0'")
    ledger.close()
    engine = db.make_engine(f"sqlite:///{path}")
    with pytest.raises(Exception, match="base0"):  # unknown revision: refused, file kept
        db.migrate(engine, tmp_path / "backups", NOW)
    assert [p.name for p in db.list_backups(tmp_path / "backups")] == [
        "relance-2026-11-23_093000-avant-migration.sqlite"
    ]
    copy = sqlite3.connect(db.list_backups(tmp_path / "backups")[0])
    assert copy.execute("SELECT number FROM invoice").fetchall() == [("FA-1",)]


def test_daily_backup_once_a_day_and_pruned(tmp_path):
    path = tmp_path / "r.sqlite"
    ledger = Ledger.open(str(path))
    ledger.add_client("A")
    backups = tmp_path / "sauvegardes"
    assert db.daily_backup(ledger.engine, backups, NOW, keep=2) is not None
    assert db.daily_backup(ledger.engine, backups, NOW.replace(hour=18), keep=2) is None
    for day in (24, 25, 26):
        db.daily_backup(ledger.engine, backups, NOW.replace(day=day), keep=2)
    assert [p.name[8:18] for p in db.list_backups(backups)] == ["2026-11-26", "2026-11-25"]


def test_open_makes_the_daily_backup_next_to_the_file(tmp_path):
    path = tmp_path / "r.sqlite"
    Ledger.open(str(path)).add_client("A")
    Ledger.open(str(path), now=NOW)
    assert len(db.list_backups(tmp_path / "sauvegardes")) == 1


def test_restore_brings_back_earlier_data_with_a_safety_copy(tmp_path):
    path = tmp_path / "r.sqlite"
    ledger = Ledger.open(str(path))
    c = ledger.add_client("A")
    ledger.add_invoice(c, "FA-1", dt.date(2026, 1, 5), Decimal("100"))
    saved = db.backup(ledger.engine, tmp_path / "b", NOW)
    ledger.add_invoice(c, "FA-2", dt.date(2026, 1, 6), Decimal("200"))
    safety = db.restore(ledger.engine, saved, tmp_path / "b", NOW.replace(minute=45))
    assert "avant-restauration" in safety.name
    assert [s.invoice for s in ledger.stages(dt.date(2026, 2, 1))] == ["FA-1"]
    bogus = tmp_path / "x.sqlite"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="pas une sauvegarde"):
        db.restore(ledger.engine, bogus, tmp_path / "b", NOW)


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
