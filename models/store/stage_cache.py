"""The stage cache: each invoice's stage row kept in the SQLite file with the dates it holds for.

The stage of an open invoice is the slow part of `stages` and of the invoice table (its policy's
steps, its plan, its prescription, in Python). A row computed as of a day stays true until the
first date on which one of its comparisons could change (`models.law.stages.stable_until`), as
long as nothing is written: triggers in the database itself delete the cached rows of every
invoice a write touches (its payments, history, plan, client, the policies), whatever program
writes, and count an epoch. Rows are stored only when the epoch read with the facts is still
the database's at the write: a row is never stored from facts that changed meanwhile.
Derived data only: losing it costs time, never a figure; a ledger without it, or on PostgreSQL,
computes every row as before. SQLite files only (plain `sqlite3`, no ORM: the light reader too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any, NamedTuple

from models.law.policy import Policy
from models.law.stages import DueStep, InvoiceFacts, stable_until
from models.todo import StageRow, stage_rows

FOREVER = dt.date.max.toordinal()
# A write waits at most this long for another writer: the cache is not worth a wait.
WRITE_TIMEOUT_S = 0.2
# The modules whose code decides a stage row: a change to any of them empties the cache.
RULES = (
    "models.law.stages",
    "models.law.policy",
    "models.law.prescription",
    "models.law.deadlines",
    "models.todo",
    "models.store.facts",
    "models.store.stage_cache",
)
COLUMNS = (
    "invoice_id, valid_from, valid_until, due, number, shown, client_id, client, stage,"
    " balance_cents, total_cents, issue_date, next_action, next_action_label, next_action_on,"
    " b2c, subject, prescription_on, archived"
)
SCHEMA = (
    # Ordered as `stages` lists the rows (due date then number: the number is unique), so the
    # listing is one walk of the table. Dates are day ordinals.
    "CREATE TABLE IF NOT EXISTS stagecache (invoice_id INTEGER NOT NULL,"
    " valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL, due INTEGER NOT NULL,"
    " number TEXT NOT NULL, shown INTEGER NOT NULL, client_id INTEGER NOT NULL,"
    " client TEXT NOT NULL, stage TEXT NOT NULL, balance_cents INTEGER NOT NULL,"
    " total_cents INTEGER NOT NULL, issue_date INTEGER NOT NULL, next_action TEXT NOT NULL,"
    " next_action_label TEXT NOT NULL, next_action_on INTEGER, b2c INTEGER NOT NULL,"
    " subject TEXT NOT NULL, prescription_on INTEGER, archived INTEGER NOT NULL,"
    " PRIMARY KEY (due, number)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS stagecache_invoice ON stagecache"
    " (invoice_id, valid_from, valid_until)",
    "CREATE TABLE IF NOT EXISTS stagecache_meta (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " epoch INTEGER NOT NULL, fingerprint TEXT NOT NULL)",
)
_BUMP = "UPDATE stagecache_meta SET epoch = epoch + 1;"
_INVOICE = "DELETE FROM stagecache WHERE invoice_id = {x};"
# The other invoices of any plan this one is in: a payment on one moves the plan of all.
_SIBLINGS = (
    "DELETE FROM stagecache WHERE invoice_id IN (SELECT b.invoice_id FROM planinvoice a"
    " JOIN planinvoice b ON b.plan_id = a.plan_id WHERE a.invoice_id = {x});"
)
_PLAN = (
    "DELETE FROM stagecache WHERE invoice_id IN"
    " (SELECT invoice_id FROM planinvoice WHERE plan_id = {x});"
)
_CLIENT = (
    "DELETE FROM stagecache WHERE invoice_id IN (SELECT id FROM invoice WHERE client_id = {x});"
)
_ACTION = (
    "DELETE FROM stagecache WHERE invoice_id IN"
    " (SELECT invoice_id FROM actioninvoice WHERE action_id = {x});"
)


def _body(images: tuple[str, ...], *parts: tuple[str, str]) -> str:
    """Each statement for each row image (OLD, NEW), filled with that image's column."""
    return "".join(sql.format(x=f"{image}.{column}") for image in images for sql, column in parts)


def _triggers() -> dict[str, str]:
    """Every trigger, by name: what a write to each table a stage depends on clears."""
    out: dict[str, str] = {}

    def add(table: str, event: str, body: str, when: str = "") -> None:
        name = f"stagecache_{table}_{event.lower()}"
        out[name] = (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN"
            f" {body} {_BUMP} END"
        )

    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        if event != "INSERT":  # a new invoice, client or history line has no cached row yet
            add("invoice", event, _body(rows, (_INVOICE, "id"), (_SIBLINGS, "id")))
            add("client", event, _body(rows, (_CLIENT, "id")))
            add("action", event, _body(rows, (_ACTION, "id")))
        add("payment", event, _body(rows, (_INVOICE, "invoice_id"), (_SIBLINGS, "invoice_id")))
        add("actioninvoice", event, _body(rows, (_INVOICE, "invoice_id")))
        add("paymentplan", event, _body(rows, (_PLAN, "id")))
        add("planinvoice", event, _body(rows, (_INVOICE, "invoice_id"), (_PLAN, "plan_id")))
        add("instalment", event, _body(rows, (_PLAN, "plan_id")))
        # The policies (models.law.policy.stored_policies' settings): every row may change.
        add(
            "setting",
            event,
            "DELETE FROM stagecache;",
            " WHEN " + " OR ".join(f"{r}.key IN ('policy', 'policies')" for r in rows),
        )
    return out


TRIGGERS = _triggers()


# The cache's triggers, by name, as the file holds them.
TRIGGER_NAMES = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stagecache%'"
# Days late on the day (the two parameters), as `row_of` counts them: the SQL of the listings
# read straight from the driver.
DAYS_LATE = "CASE WHEN balance_cents > 0 AND due < ? THEN ? - due ELSE 0 END"


def drop_statements(triggers: list[str]) -> list[str]:
    """What removes the cache whole (given its triggers' names, read from sqlite_master).

    Before a schema upgrade: a table rebuilt by a migration (SQLite's copy, drop, rename) would
    trip the triggers that name it; the next listing installs the cache again.
    """
    return [f'DROP TRIGGER IF EXISTS "{name}"' for name in triggers] + [
        "DROP TABLE IF EXISTS stagecache",
        "DROP TABLE IF EXISTS stagecache_meta",
    ]


def fingerprint() -> str:
    """What the cached rows were computed by: the source of the rules and of the triggers.

    A new version of any of them (an upgrade, a developer's edit) makes every cached row
    unusable. A bundle without sources keys on the installed version.
    """
    h = hashlib.sha256()
    for name in RULES:
        module = importlib.import_module(name)
        source = getattr(module, "__file__", None)
        try:
            h.update(Path(source).read_bytes() if source else b"")
        except OSError:  # a bundle: its modules are compiled in, its version names them
            from models.store.identity import VERSION

            h.update(repr(VERSION).encode())
    return h.hexdigest()[:32]


# One line of the `stages` listing: number, client, stage, balance in cents, due date (a day
# ordinal), days late, next action's code ("" when none), its date (a day ordinal, or None).
Brief = tuple[str, str, str, int, int, int, str, int | None]


def brief(row: StageRow) -> Brief:
    """A stage row's `Brief`."""
    return (
        row.invoice,
        row.client,
        row.stage,
        row.balance_cents,
        row.due.toordinal(),
        row.days_late,
        row.next_action,
        None if row.next_action_on is None else row.next_action_on.toordinal(),
    )


# A stage row's fields in `StageRow`'s order, its dates as day ordinals (0: no date): what the
# invoice table keeps by column, straight from the driver.
StageTuple = tuple[
    int, str, int, str, str, int, int, int, int, int, str, str, int, int, str, int, int, int
]


def stage_tuple(row: StageRow) -> StageTuple:
    """A stage row's `StageTuple`."""
    return (
        row.invoice_id,
        row.invoice,
        row.client_id,
        row.client,
        row.stage,
        row.balance_cents,
        row.total_cents,
        row.issue_date.toordinal(),
        row.due.toordinal(),
        row.days_late,
        row.next_action,
        row.next_action_label,
        row.next_action_on.toordinal() if row.next_action_on else 0,
        int(row.b2c),
        row.subject,
        row.prescription_on.toordinal() if row.prescription_on else 0,
        int(row.time_barred),
        int(row.archived),
    )


def cache_enabled() -> bool:
    """False with RELANCE_STAGE_CACHE=0 (every row computed: a benchmark's cold run)."""
    return os.environ.get("RELANCE_STAGE_CACHE", "1") != "0"


class Entry(NamedTuple):
    """One cached row: an invoice's stage row as of `valid_from`, true until `valid_until`."""

    invoice_id: int
    valid_from: int
    valid_until: int
    due: int
    number: str
    shown: int  # 0: not issued yet on those days (listed nowhere)
    client_id: int
    client: str
    stage: str
    balance_cents: int
    total_cents: int
    issue_date: int
    next_action: str
    next_action_label: str
    next_action_on: int | None
    b2c: int
    subject: str
    prescription_on: int | None
    archived: int


def entry(row: StageRow, as_of: dt.date, until: dt.date, archived: bool) -> Entry:
    """The cache's form of a stage row computed as of `as_of` and true until `until`."""
    return Entry(
        row.invoice_id,
        as_of.toordinal(),
        until.toordinal(),
        row.due.toordinal(),
        row.invoice,
        1,
        row.client_id,
        row.client,
        row.stage,
        row.balance_cents,
        row.total_cents,
        row.issue_date.toordinal(),
        row.next_action,
        row.next_action_label,
        None if row.next_action_on is None else row.next_action_on.toordinal(),
        int(row.b2c),
        row.subject,
        None if row.prescription_on is None else row.prescription_on.toordinal(),
        int(archived),
    )


def hidden_entry(
    invoice_id: int, number: str, due: dt.date, issued: dt.date, as_of: dt.date
) -> Entry:
    """An invoice issued after `as_of`: listed nowhere until the day it is issued."""
    return Entry(
        invoice_id,
        as_of.toordinal(),
        issued.toordinal() - 1,
        due.toordinal(),
        number,
        0,
        0,
        "",
        "",
        0,
        0,
        issued.toordinal(),
        "",
        "",
        None,
        0,
        "",
        None,
        0,
    )


def open_entries(
    facts: list[InvoiceFacts],
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    archived: Callable[[int], bool],
) -> list[tuple[Entry, StageRow | None]]:
    """The entries of invoices whose facts were read (with their row; None when not issued)."""
    by_id = {f.id: f for f in facts}
    out: list[tuple[Entry, StageRow | None]] = [
        (hidden_entry(f.id, f.number, f.due_date, f.issue_date, as_of), None)
        for f in facts
        if f.issue_date > as_of
    ]
    pending: dict[int, list[DueStep]] = {}
    for row in stage_rows(facts, as_of, policy_for, pending):
        f = by_id[row.invoice_id]
        until = stable_until(f, as_of, policy_for(f), row.prescription_on, pending.get(f.id))
        out.append((entry(row, as_of, until, archived(row.invoice_id)), row))
    return out


_DAYS: dict[int, dt.date] = {}


def _day(ordinal: int) -> dt.date:
    found = _DAYS.get(ordinal)
    if found is None:
        found = _DAYS[ordinal] = dt.date.fromordinal(ordinal)
    return found


ROW_COLUMNS = (
    "invoice_id, number, client_id, client, stage, balance_cents, total_cents, issue_date, due,"
    " next_action, next_action_label, next_action_on, b2c, subject, prescription_on, archived"
)


def row_of(r: tuple[Any, ...], day: int, shared: dict[str, str]) -> StageRow:
    """The stage row on the day (an ordinal) from the cache's `ROW_COLUMNS`: its days late,
    and whether the claim is time-barred, follow the date; the rest holds over the span."""
    days = _DAYS
    balance, due, nxt, expiry = r[5], r[8], r[11], r[14]
    return StageRow(
        r[0],
        r[1],
        r[2],
        shared.setdefault(r[3], r[3]),
        r[4],
        balance,
        r[6],
        days.get(r[7]) or _day(r[7]),
        days.get(due) or _day(due),
        day - due if balance > 0 and day > due else 0,
        r[9],
        r[10],
        None if nxt is None else (days.get(nxt) or _day(nxt)),
        bool(r[12]),
        shared.setdefault(r[13], r[13]),
        None if expiry is None else (days.get(expiry) or _day(expiry)),
        expiry is not None and day > expiry,  # C. civ. 2219: barred the day after the expiry
        bool(r[15]),
    )


class StageCache:
    """The cache of one SQLite file: read on the caller's connection, written on its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fingerprint = fingerprint()
        self._writer: sqlite3.Connection | None = None

    # -- reading, on the caller's read connection (one snapshot) ----------------------------
    def epoch(self, cur: Any) -> int | None:
        """The epoch when the cache is usable on this connection's snapshot, else None."""
        try:
            cur.execute("SELECT epoch, fingerprint FROM stagecache_meta WHERE id = 1")
            meta = cur.fetchone()
            if meta is None or meta[1] != self.fingerprint:
                return None
            cur.execute(TRIGGER_NAMES)
            if {n for (n,) in cur.fetchall()} != set(TRIGGERS):
                return None  # a table rebuilt by a migration drops its triggers
        except sqlite3.Error:
            return None  # no cache in this file yet
        return int(meta[0])

    @staticmethod
    def stale_ids(cur: Any, as_of: dt.date) -> list[int]:
        """The invoices without a row true on `as_of` (none when the counts agree)."""
        day = as_of.toordinal()
        cur.execute("SELECT COUNT(*) FROM invoice")
        invoices = cur.fetchone()[0]
        cur.execute(
            "SELECT COUNT(*) FROM stagecache WHERE valid_from <= ? AND valid_until >= ?", (day, day)
        )
        if cur.fetchone()[0] == invoices:
            return []
        cur.execute(
            "SELECT i.id FROM invoice i WHERE NOT EXISTS (SELECT 1 FROM stagecache s"
            " WHERE s.invoice_id = i.id AND s.valid_from <= ? AND s.valid_until >= ?)",
            (day, day),
        )
        return [int(i) for (i,) in cur.fetchall()]

    @staticmethod
    def rows(cur: Any, as_of: dt.date, include_archived: bool) -> Iterator[StageRow]:
        """The cached rows true on `as_of`, in due date then number order."""
        day = as_of.toordinal()
        cur.execute(
            f"SELECT {ROW_COLUMNS} FROM stagecache"
            " WHERE shown AND valid_from <= ? AND valid_until >= ?"
            + ("" if include_archived else " AND NOT archived")
            + " ORDER BY due, number",
            (day, day),
        )
        shared: dict[str, str] = {}
        while batch := cur.fetchmany(5000):
            for r in batch:
                yield row_of(r, day, shared)

    @staticmethod
    def tuple_batches(
        cur: Any, as_of: dt.date, include_archived: bool
    ) -> Iterator[list[StageTuple]]:
        """The cached rows true on `as_of` as `StageTuple`s, in order, in the driver's lists
        (days late and the time bar counted by SQLite, as `row_of` does)."""
        day = as_of.toordinal()
        cur.execute(
            "SELECT invoice_id, number, client_id, client, stage, balance_cents, total_cents,"
            f" issue_date, due, {DAYS_LATE},"
            " next_action, next_action_label, COALESCE(next_action_on, 0), b2c, subject,"
            " COALESCE(prescription_on, 0),"
            " CASE WHEN prescription_on IS NOT NULL AND prescription_on < ? THEN 1 ELSE 0 END,"
            " archived FROM stagecache WHERE shown AND valid_from <= ? AND valid_until >= ?"
            + ("" if include_archived else " AND NOT archived")
            + " ORDER BY due, number",
            (day, day, day, day, day),
        )
        while batch := cur.fetchmany(5000):
            yield batch

    @staticmethod
    def briefs(cur: Any, as_of: dt.date) -> Iterator[Brief]:
        """The `stages` listing's columns of the live rows true on `as_of`, straight from the
        driver (days late counted by SQLite): a million rows without a Python object each."""
        day = as_of.toordinal()
        cur.execute(
            f"SELECT number, client, stage, balance_cents, due, {DAYS_LATE},"
            " next_action, next_action_on FROM stagecache"
            " WHERE shown AND valid_from <= ? AND valid_until >= ? AND NOT archived"
            " ORDER BY due, number",
            (day, day, day, day),
        )
        while batch := cur.fetchmany(5000):
            yield from batch

    # -- writing, on a connection of its own -----------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._writer is None:
            self._writer = sqlite3.connect(
                self.path, isolation_level=None, timeout=WRITE_TIMEOUT_S, check_same_thread=False
            )
        return self._writer

    def install(self) -> bool:
        """Make the cache usable (tables, triggers, this fingerprint), emptied; False if the
        file cannot be written now (busy, read-only): the rows are then computed as before."""
        try:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = {n for (n,) in conn.execute(TRIGGER_NAMES)}
                for name in found:
                    conn.execute(f'DROP TRIGGER "{name}"')
                conn.execute("DROP TABLE IF EXISTS stagecache")
                for sql in SCHEMA:
                    conn.execute(sql)
                for sql in TRIGGERS.values():
                    conn.execute(sql)
                conn.execute(
                    "INSERT INTO stagecache_meta (id, epoch, fingerprint) VALUES (1, 0, ?)"
                    " ON CONFLICT (id) DO UPDATE SET epoch = epoch + 1, fingerprint = ?",
                    (self.fingerprint, self.fingerprint),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return False
        return True

    def store(
        self, epoch: int, entries: list[Entry], replace_all: bool = False, fresh: bool = False
    ) -> bool:
        """Keep rows computed from facts read at `epoch`; False (nothing kept) when anything
        that moves a stage was written since, or the file is busy. `replace_all`: the rows
        replace the whole cache; `fresh`: none of these invoices has a row (a fill's batch)."""
        try:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                meta = conn.execute(
                    "SELECT epoch, fingerprint FROM stagecache_meta WHERE id = 1"
                ).fetchone()
                if meta is None or meta[0] != epoch or meta[1] != self.fingerprint:
                    conn.execute("ROLLBACK")
                    return False
                if replace_all:
                    conn.execute("DELETE FROM stagecache")
                elif not fresh:
                    conn.executemany(
                        "DELETE FROM stagecache WHERE invoice_id = ?", [(e[0],) for e in entries]
                    )
                conn.executemany(
                    f"INSERT OR REPLACE INTO stagecache ({COLUMNS}) VALUES"
                    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    entries,
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return False
        return True

    def close(self) -> None:
        """Close the writing connection."""
        if self._writer is not None:
            with suppress(sqlite3.Error):
                self._writer.close()
            self._writer = None
