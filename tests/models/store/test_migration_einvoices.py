"""Migration 0010: invoice.payment_terms and the syncedfile table, idempotent."""

from __future__ import annotations

import sqlite3

from models.store import db
from models.store.ledger import Ledger


def test_0010_runs_again_safely_on_a_database_set_back_to_0007(tmp_path) -> None:
    path = tmp_path / "relance.sqlite"
    Ledger.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO client (name, legal_form, kind, siren, siret, attention,"
            " building, street, locality, postal_code, city, country, email, phone,"
            " payment_notes, is_new, late_payer, pause_reason, archived)"
            " VALUES ('Kasba', '', 'b2b', '', '', '', '', '', '', '', '', '', '', '',"
            " '', 0, 0, '', 0)"
        )
        conn.execute("UPDATE alembic_version SET version_num = '0007'")  # before 0010
    ledger = Ledger.open(str(path))  # 0010 again: column and table already there
    try:
        assert db.current_revision(ledger.engine) == db.head_revision(ledger.engine)
        assert ledger.counts()["clients"] == 1
    finally:
        ledger.close()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(invoice)")}
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "payment_terms" in columns
    assert "syncedfile" in tables
