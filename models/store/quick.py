"""A light read path: a current SQLite ledger read with plain `sqlite3`, no ORM imported.

A reading command (the aged balance, the stages, the to-do) costs mostly the start-up of
SQLAlchemy and the tables. `QuickReader.open` says, with a few PRAGMAs and rows, whether opening
the full Ledger would change anything (create, migrate, stamp, make today's backup, or refuse
the file with its message); when it would not, the command reads through this reader.
Otherwise it returns None and the caller opens the Ledger as always: the same result either way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from models.law.aging import DEFAULT_BOUNDS, AgedBalance, Buckets, compute_aged_balance
from models.store.identity import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    MIGRATIONS,
    default_db_path,
    has_daily_backup,
    shipped_in,
    version_code,
)
from models.store.stage_reads import StageReads

if TYPE_CHECKING:  # imported where used: the aged balance needs none of them (start-up)
    from models.law.policy import Policy
    from models.law.stages import InvoiceFacts
    from models.letters.documents import Company
    from models.store.stage_cache import StageCache
    from models.store.todo_reads import PendingMail
    from models.todo import TodoItem


class QuickReader(StageReads):
    """The reading part of the Ledger that a one-query command needs, on a plain connection."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._policies: dict[str | None, Policy] | None = None

    @classmethod
    def open(cls, db_arg: str | None, now: dt.datetime) -> Self | None:
        """The reader when the file is a current Relance database needing nothing; else None.

        The file is chosen as `db.resolve_url` does: --db, else $RELANCE_DB, else the default.
        """
        reader = cls.open_current(db_arg)
        if reader is None or reader.path is None:
            return None
        try:
            if _backed_up_today(reader.conn, reader.path, now.date()):
                return reader
        except sqlite3.Error:
            pass
        reader.close()
        return None

    @classmethod
    def open_current(cls, db_arg: str | None) -> Self | None:
        """The reader when the file is a current Relance database (no upgrade, nothing to
        stamp), today's backup made or not; else None. Chosen as `open` chooses it."""
        path = chosen_file(db_arg)
        if path is None:
            return None
        try:
            if not path.is_file() or path.stat().st_size == 0:
                return None
        except OSError:
            return None
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
            return None  # the full path says why it refuses
        try:
            conn = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            if _current(conn):
                return cls(conn, path)
        except sqlite3.Error:
            pass
        conn.close()
        return None

    def setting(self, key: str, default: Any) -> Any:
        """A stored setting's value, else `default` (the defaults of models.settings.SPECS)."""
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row is not None else default

    def buckets(self) -> Buckets:
        """The aged-balance buckets configured (Ledger.buckets)."""
        return Buckets(tuple(self.setting("aging_bounds", list(DEFAULT_BOUNDS))))

    def company(self) -> Company:
        """The creditor's identity (Ledger.company: the same function on the stored setting)."""
        from models.letters.documents import company_from

        return company_from(self.setting("company", {}) or {})

    def aged_balance(self, as_of: dt.date, buckets: Buckets | None = None) -> AgedBalance:
        """The aged balance by client (Ledger.aged_balance: the same function and query)."""
        with self._read() as conn:  # one snapshot for both aggregates
            return compute_aged_balance(conn, as_of, buckets or self.buckets())

    def policy(self, name: str | None = None) -> Policy:
        """The default policy, or a client's own one by name (Ledger.policy)."""
        if self._policies is None:
            from models.law.policy import stored_policies

            self._policies = stored_policies(
                self.setting("policy", ""), self.setting("policies", {}) or {}
            )
        return self._policies.get(name) or self._policies[None]

    def policy_for(self, facts: InvoiceFacts) -> Policy:
        """The policy that applies to an invoice: its client's own, else the default."""
        return self.policy(facts.policy_name)

    def archived_invoice_ids(self) -> list[int]:
        """Invoices out of the lists: archived, or of an archived client (Ledger's)."""
        from models.store.facts import archived_invoice_ids

        return archived_invoice_ids(self.conn)

    def stage_cache(self) -> StageCache | None:
        """The file's stage cache (Ledger.stage_cache), None when turned off."""
        from models.store.stage_cache import StageCache, cache_enabled

        return StageCache(self.path) if self.path is not None and cache_enabled() else None

    def pending_mails(self) -> list[PendingMail]:
        """The messages in "état inconnu" (Ledger.pending_mails: the same query)."""
        from models.store.todo_reads import pending_mails

        with self._read() as conn:
            return pending_mails(conn)

    def todo(self, as_of: dt.date) -> list[TodoItem]:
        """The steps due by `as_of`, with their marks (Ledger.todo: the same function)."""
        from models.store.todo_reads import load_todo

        self.policy()
        with self._read() as conn:
            return load_todo(conn, as_of, self.policy_for)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction (one snapshot), as the Ledger's connections read."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def chosen_file(db_arg: str | None) -> Path | None:
    """The SQLite file `db.resolve_url` would open (--db, else $RELANCE_DB, else the default),
    resolved; None for a server's URL."""
    value = db_arg or os.environ.get("RELANCE_DB") or str(default_db_path())
    if "://" in value:
        return None  # a server (or a URL): the full path
    return Path(value).expanduser().resolve()


def _current(conn: sqlite3.Connection) -> bool:
    """Ours, stamped by this version, at the head revision, already in WAL: nothing to change."""
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return False
    if conn.execute("PRAGMA user_version").fetchone()[0] != version_code():
        return False
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return False
    if (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        is None
    ):
        return False
    rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return len(rows) == 1 and str(rows[0][0]) == shipped_in(MIGRATIONS)[0]


def _backed_up_today(conn: sqlite3.Connection, path: Path, today: dt.date) -> bool:
    """Today's daily backup exists in a writable folder (else the Ledger makes or warns)."""
    row = conn.execute("SELECT value FROM setting WHERE key = 'backup_dir'").fetchone()
    chosen = json.loads(row[0]) if row is not None else ""
    folder = Path(chosen) if chosen else path.parent / "sauvegardes"
    try:
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            return False
        return has_daily_backup(list(folder.glob("relance-*.sqlite")), today)
    except OSError:
        return False
