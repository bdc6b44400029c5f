"""Following the others' changes on a shared ledger, and one step recorded once (issue 18).

Every write transaction bumps the one row of `changecounter` (and on PostgreSQL sends
`NOTIFY relance_changes`); the window reads the number every few seconds and reloads its views
when someone else wrote. A dunning step is checked and recorded in one transaction under a
lock (SQLite: the write transaction, BEGIN IMMEDIATE, already lets one writer in at a time;
PostgreSQL: a transaction-level advisory lock per client), so two people running the day's
batch at once never make the same letter twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

CHANNEL = "relance_changes"
# First key of the advisory lock taken while a client's steps are checked and recorded
# (PostgreSQL's two-int form: this constant, the client id). "RL" in ASCII.
STEP_LOCK = 0x524C


def is_postgresql(conn: Connection | Engine) -> bool:
    """Whether the database is a PostgreSQL server (else SQLite)."""
    return conn.dialect.name == "postgresql"


def bump(conn: Connection) -> int:
    """Inside a write transaction: count one more change; the number it had before."""
    before = conn.execute(text("SELECT n FROM changecounter WHERE id = 1")).scalar()
    if before is None:
        conn.execute(text("INSERT INTO changecounter (id, n) VALUES (1, 1)"))
        before = 0
    else:
        conn.execute(text("UPDATE changecounter SET n = n + 1 WHERE id = 1"))
    if is_postgresql(conn):
        conn.execute(text(f"NOTIFY {CHANNEL}"))
    return int(before)


def read(conn: Connection) -> int:
    """How many writes the ledger has seen (one query on the counter's single row)."""
    value = conn.execute(text("SELECT n FROM changecounter WHERE id = 1")).scalar()
    return int(value or 0)


def lock_client_steps(conn: Connection, client_id: int) -> None:
    """Inside a write transaction: one writer at a time on this client's dunning steps.

    PostgreSQL: `pg_advisory_xact_lock`, released at commit or rollback. SQLite: nothing more
    to do, the transaction began with BEGIN IMMEDIATE (models/store/db.py) and holds the lock.
    """
    if is_postgresql(conn):
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": STEP_LOCK, "b": int(client_id)}
        )


class Listener:
    """A connection of its own that LISTENs for `NOTIFY relance_changes` (PostgreSQL only).

    The window watches `fileno()` and calls `drain()` when it is readable: a change made on
    another machine reaches it at once instead of at the next poll.
    """

    def __init__(self, engine: Engine) -> None:
        self._conn = engine.raw_connection()
        driver: Any = self._conn.driver_connection
        self._conn.detach()  # never handed back to the pool: it stays in LISTEN mode
        driver.autocommit = True
        driver.execute(f"LISTEN {CHANNEL}")
        self._driver = driver

    def fileno(self) -> int:
        """The socket to watch."""
        return int(self._driver.pgconn.socket)

    def drain(self) -> int:
        """Read what arrived; how many notifications (0: something else woke the socket)."""
        pgconn = self._driver.pgconn
        pgconn.consume_input()
        count = 0
        while pgconn.notifies() is not None:
            count += 1
        return count

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._conn.close()
