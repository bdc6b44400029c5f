"""Bulk loading of invoice facts with a handful of queries (never one query per invoice)."""

from __future__ import annotations

import datetime as dt
import heapq
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import AbstractContextManager
from itertools import chain, islice
from operator import attrgetter, itemgetter
from sys import intern
from typing import TYPE_CHECKING, Any, cast

from models.law.deadlines import beyond_max_term
from models.law.policy import Policy
from models.law.stages import ActionFact, InvoiceFacts, PlanFacts
from models.store.stage_cache import (
    FOREVER,
    Brief,
    Entry,
    StageCache,
    StageTuple,
    brief,
    entry,
    hidden_entry,
    open_entries,
    stage_tuple,
)
from models.todo import StageRow, stage_rows

if TYPE_CHECKING:  # SQLAlchemy only when given its connection (the light reader gives sqlite3's)
    from sqlalchemy.engine import Connection

ID_CHUNK = 20_000  # ids per IN (...) list: 200 kB of SQL at most
TUPLE_BATCH = 5000  # stage tuples per list when they are made here (the driver's: as read)

_DATES: dict[object, dt.date | None] = {None: None}


def _d(value: object) -> dt.date | None:
    """SQLite hands dates back as ISO text through a raw query; each text is parsed once."""
    found = _DATES.get(value, False)
    if found is not False:
        return found  # type: ignore[return-value]
    parsed = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if len(_DATES) < 100_000:
        _DATES[value] = parsed
    return parsed


def _day(value: object) -> dt.date:
    """A date column that cannot be empty (issue and due dates are NOT NULL)."""
    parsed = _DATES.get(value)
    if parsed is not None:
        return parsed
    parsed = _d(value)
    if parsed is None:
        raise ValueError("date manquante dans une colonne obligatoire")
    return parsed


def _cursor(conn: Connection | sqlite3.Connection) -> Any:
    """The driver's own cursor: plain tuples, no per-row wrapper objects."""
    if isinstance(conn, sqlite3.Connection):  # models.store.quick's plain connection
        return conn.cursor()
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def cursor_of(conn: Connection | sqlite3.Connection) -> Any:
    """`_cursor` inside the caller's read transaction: one snapshot for every query (the
    SQLAlchemy connection's BEGIN is emitted first; the light reader's began it itself)."""
    if not isinstance(conn, sqlite3.Connection) and not conn.in_transaction():
        conn.exec_driver_sql("SELECT 1")  # SQLAlchemy's BEGIN (models.store.db._begin)
    return _cursor(conn)


def _dialect(conn: Connection | sqlite3.Connection) -> str:
    return "sqlite" if isinstance(conn, sqlite3.Connection) else conn.dialect.name


def archived_invoice_ids(conn: Connection | sqlite3.Connection) -> list[int]:
    """Invoices out of the lists: archived, or of an archived client."""
    sql = (
        "SELECT i.id FROM invoice i JOIN client c ON c.id = i.client_id"
        " WHERE i.archived OR c.archived"
    )
    return [int(i) for (i,) in _rows(conn, sql)]


def _rows(conn: Connection | sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the driver: 100,000 rows without per-row wrapper objects."""
    cur = _cursor(conn)
    try:
        cur.execute(sql)
        return list(cur.fetchall())
    finally:
        cur.close()


def _batches(
    conn: Connection | sqlite3.Connection, sql: str, size: int = 5000
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows in batches: a large result is never held whole (memory of a 100k load)."""
    cur = _cursor(conn)
    try:
        cur.execute(sql)
        while batch := cur.fetchmany(size):
            yield cast(list[tuple[Any, ...]], batch)
    finally:
        cur.close()


def _stream(conn: Connection | sqlite3.Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows one by one, read in batches."""
    for batch in _batches(conn, sql):
        yield from batch


def _scoped(
    conn: Connection | sqlite3.Connection, sql: str, column: str, scope: str, ids: list[int] | None
) -> Iterator[tuple[Any, ...]]:
    """Rows of `sql` ({scope} inside) for those invoice ids, or for `scope` when ids is None.

    Long id lists go in chunks: SQLite caps a statement at 1,000,000 bytes.
    """
    if ids is None:
        yield from _stream(conn, sql.format(scope=scope))
        return
    for start in range(0, max(len(ids), 1), ID_CHUNK):
        yield from _stream(conn, sql.format(scope=_in(ids[start : start + ID_CHUNK], column)))


def _in(ids: Iterable[int] | None, column: str) -> str:
    if ids is None:
        return ""
    id_list = ",".join(str(int(i)) for i in ids) or "NULL"
    return f" AND {column} IN ({id_list})"


def load_facts(
    conn: Connection | sqlite3.Connection,
    invoice_ids: Iterable[int] | None = None,
    client_id: int | None = None,
    include_archived: bool = False,
    owed_on: dt.date | None = None,
    settled_rows: list[StageRow] | None = None,
) -> list[InvoiceFacts]:
    """Facts for the chosen invoices (all live ones by default), ordered by due date.

    With `owed_on`, only the invoices still owed on that date become facts: the others are
    not read (the to-do, the client list), or, given `settled_rows`, appended there as their
    "paid" stage row (the stage of every invoice, with no history read for most of them).
    """
    ids = list(invoice_ids) if invoice_ids is not None else None
    where = "" if include_archived else " AND NOT i.archived AND NOT c.archived"
    where += _in(ids, "i.id")
    if client_id is not None:
        where += f" AND i.client_id = {int(client_id)}"
    # The payments of the chosen invoices only (all of them when none is chosen).
    scope = (
        _in(ids, "invoice_id")
        if ids is not None
        else (
            f" AND invoice_id IN (SELECT id FROM invoice WHERE client_id = {int(client_id)})"
            if client_id is not None
            else ""
        )
    )
    paid_join = ""
    if owed_on is not None:  # what was paid by then, to tell the settled invoices
        paid_join = (
            " LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS paid"
            f"  FROM payment WHERE date <= '{owed_on.isoformat()}'"
            f" AND cancelled_on IS NULL{scope}"
            " GROUP BY invoice_id) p ON p.invoice_id = i.id"
        )
        if settled_rows is None:
            where += " AND i.amount_ttc_cents - i.deposit_cents - COALESCE(p.paid, 0) > 0"
    sql = _main_sql(paid_join, where, dialect=_dialect(conn))
    # One pass over the rows as they come: a settled invoice becomes its stage row at once,
    # so only the ones still owed are kept whole.
    rows: list[tuple[Any, ...]] = []
    shared: dict[str, str] = {}  # one string per client name and subject, not one per invoice
    read = 0
    for batch in _batches(conn, sql):
        read += len(batch)
        for r in batch:
            if owed_on is None or settled_rows is None or r[7] - r[8] - (r[17] or 0) > 0:
                rows.append(r)
            else:
                row = _settled_row(r, owed_on, shared)
                if row is not None:
                    settled_rows.append(row)
    if not rows:
        return []
    kept: list[int] | None = None
    if owed_on is not None and (settled_rows is None or len(rows) < read):
        # Only the history of the invoices kept: settled ones were left out by the query, or
        # made stage rows, so their ids are listed.
        kept = [r[0] for r in rows]
    payments, actions = _history(conn, scope, kept)
    plans = _load_plans(conn, payments)
    return [_invoice_facts(r, payments, actions, plans, shared) for r in rows]


def _main_sql(paid_join: str, where: str, extra: str = "", dialect: str = "sqlite") -> str:
    """The invoice rows with their client, by due date then number (columns: _invoice_facts)."""
    return (
        "SELECT i.id, i.number, i.client_id, c.name, c.kind, i.issue_date, i.due_date,"
        " i.amount_ttc_cents, i.deposit_cents, i.sent_date, c.is_new OR c.late_payer,"
        " i.disputed_on, i.written_off_on, i.paused_until, c.paused_until, c.policy_name,"
        " i.subject, "
        + ("p.paid" if paid_join else "NULL")
        + ", i.completed_on, i.penalties_from_max_term"
        + extra
        + " FROM invoice i JOIN client c ON c.id = i.client_id"
        + paid_join
        + " WHERE 1=1"
        + where
        # SQLite's "+": a scan then one sort, not a walk of the due-date index with a look-up
        # per row (a third less time on 100k invoices). PostgreSQL plans this by itself.
        + (
            " ORDER BY +i.due_date, i.number"
            if dialect == "sqlite"
            else " ORDER BY i.due_date, i.number"
        )
    )


def _settled_row(r: tuple[Any, ...], owed_on: dt.date, shared: dict[str, str]) -> StageRow | None:
    """The "paid" stage row of an invoice settled by `owed_on`; None when issued after it."""
    issued = _DATES.get(r[5]) or _day(r[5])  # the cache read inline: most rows are settled
    if issued > owed_on:
        return None
    client = shared.setdefault(r[3], r[3])
    subject = shared.setdefault(r[16] or "", r[16] or "")
    balance = r[7] - r[8] - (r[17] or 0)
    return StageRow(
        r[0],
        r[1],
        r[2],
        client,
        "paid",
        balance,
        r[7],
        issued,
        _DATES.get(r[6]) or _day(r[6]),
        0,
        "",
        "",
        None,
        r[4] == "b2c",
        subject,
    )


def _history(
    conn: Connection | sqlite3.Connection, scope: str, kept: list[int] | None
) -> tuple[dict[int, list[tuple[dt.date, int]]], dict[int, list[ActionFact]]]:
    """Payments and history entries (not cancelled) of the invoices in scope, by date."""
    payments: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for inv, day, cents in _scoped(
        conn,
        "SELECT invoice_id, date, amount_cents FROM payment WHERE cancelled_on IS NULL{scope}"
        " ORDER BY invoice_id, date, id",
        "invoice_id",
        scope,
        kept,
    ):
        payments[inv].append((_DATES.get(day) or _day(day), cents))
    actions: dict[int, list[ActionFact]] = defaultdict(list)
    for inv, day, kind, step, promise in _scoped(
        conn,
        "SELECT ai.invoice_id, a.date, a.kind, a.step, a.promise_date FROM actioninvoice ai"
        " JOIN action a ON a.id = ai.action_id WHERE a.cancelled_on IS NULL{scope}"
        " ORDER BY ai.invoice_id, a.date, a.id",
        "ai.invoice_id",
        scope.replace("invoice_id", "ai.invoice_id", 1),
        kept,
    ):
        # SQLite hands out a new string per row: interned, 150,000 actions share a few codes.
        actions[inv].append(
            ActionFact(
                _DATES.get(day) or _day(day),
                intern(kind),
                intern(step or ""),
                None if promise is None else _d(promise),
            )
        )
    return payments, actions


def _invoice_facts(
    r: tuple[Any, ...],
    payments: dict[int, list[tuple[dt.date, int]]],
    actions: dict[int, list[ActionFact]],
    plans: dict[int, PlanFacts],
    shared: dict[str, str],
) -> InvoiceFacts:
    """One invoice's facts from its row of `_main_sql` and its history."""
    client = shared.setdefault(r[3], r[3])
    subject = shared.setdefault(r[16] or "", r[16] or "")
    inv_paused, cli_paused = _d(r[13]), _d(r[14])
    paused = max((p for p in (inv_paused, cli_paused) if p is not None), default=None)
    issued, due, stated = _day(r[5]), _day(r[6]), None
    if r[19] and r[4] != "b2c":
        # C. com. L441-10 I (between professionals): the user chose to count from the
        # legal maximum term when the stated due date lies beyond it.
        limit = beyond_max_term(issued, due)
        if limit is not None:
            due, stated = limit, due
    return InvoiceFacts(
        id=r[0],
        number=r[1],
        client_id=r[2],
        client=client,
        b2c=r[4] == "b2c",
        issue_date=issued,
        due_date=due,
        total_cents=r[7],
        deposit_cents=r[8],
        sent_date=_d(r[9]),
        flagged=bool(r[10]),
        disputed_on=_d(r[11]),
        written_off_on=_d(r[12]),
        paused_until=paused,
        payments=tuple(payments.get(r[0], ())),
        actions=tuple(actions.get(r[0], ())),
        plan=plans.get(r[0]),
        policy_name=r[15],
        subject=subject,
        completed_on=_d(r[18]),
        stated_due=stated,
    )


def stream_stage_items(
    conn: Connection | sqlite3.Connection,
    owed_on: dt.date,
    include_archived: bool = False,
    batch: int = 5000,
) -> Iterator[list[tuple[StageRow | InvoiceFacts, bool]]]:
    """Every invoice issued by `owed_on`, in batches by due date then number, never all held.

    Each item is the invoice's "paid" stage row when settled by then (nothing more is read for
    it), else its facts (payments and history read for that batch only); with whether it is
    archived (it or its client). Invoices counted from the legal maximum term
    (penalties_from_max_term) are left out: their order depends on that term (the caller
    merges them in).
    """
    where = " AND NOT i.penalties_from_max_term"
    if not include_archived:
        where += " AND NOT i.archived AND NOT c.archived"
    paid_join = (
        " LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS paid"
        f"  FROM payment WHERE date <= '{owed_on.isoformat()}'"
        " AND cancelled_on IS NULL GROUP BY invoice_id) p ON p.invoice_id = i.id"
    )
    sql = _main_sql(paid_join, where, ", i.archived OR c.archived", _dialect(conn))
    plans = _load_plans(conn, defaultdict(list))
    shared: dict[str, str] = {}
    for rows in _batches(conn, sql, batch):
        owed = [r for r in rows if r[7] - r[8] - (r[17] or 0) > 0]
        made: dict[int, InvoiceFacts] = {}
        if owed:
            payments, actions = _history(conn, _in([r[0] for r in owed], "invoice_id"), None)
            made = {r[0]: _invoice_facts(r, payments, actions, plans, shared) for r in owed}
        items: list[tuple[StageRow | InvoiceFacts, bool]] = []
        for r in rows:
            item = made.get(r[0]) or _settled_row(r, owed_on, shared)
            if item is not None:
                items.append((item, bool(r[20])))
        yield items


def _load_plans(
    conn: Connection | sqlite3.Connection, payments: dict[int, list[tuple[dt.date, int]]]
) -> dict[int, PlanFacts]:
    """The latest plan of each invoice that has one, with payments on all its invoices."""
    plan_rows = _rows(
        conn, "SELECT id, agreed_on, cancelled_on FROM paymentplan ORDER BY agreed_on, id"
    )
    if not plan_rows:
        return {}
    members: dict[int, list[int]] = defaultdict(list)
    for plan_id, inv in _rows(conn, "SELECT plan_id, invoice_id FROM planinvoice"):
        members[plan_id].append(inv)
    instalments: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for plan_id, day, cents in _rows(
        conn, "SELECT plan_id, due_date, amount_cents FROM instalment ORDER BY plan_id, due_date"
    ):
        instalments[plan_id].append((_d(day), cents))  # type: ignore[arg-type]
    missing = [i for m in members.values() for i in m if i not in payments]
    if missing:
        for inv, day, cents in _rows(
            conn,
            (
                "SELECT invoice_id, date, amount_cents FROM payment"
                " WHERE cancelled_on IS NULL AND invoice_id IN ("
                + ",".join(str(i) for i in missing)
                + ") ORDER BY date"
            ),
        ):
            payments[inv].append((_d(day), cents))  # type: ignore[arg-type]
    out: dict[int, PlanFacts] = {}
    for plan_id, agreed, cancelled in plan_rows:
        agreed_d = _d(agreed)
        paid = sorted(
            (d, c)
            for inv in members[plan_id]
            for d, c in payments.get(inv, ())
            if agreed_d is not None and d >= agreed_d
        )
        facts = PlanFacts(agreed_d, tuple(instalments[plan_id]), tuple(paid), _d(cancelled))  # type: ignore[arg-type]
        for inv in members[plan_id]:
            out[inv] = facts  # a later plan replaces an earlier one
    return out


def iter_stage_rows(
    read: Callable[[], AbstractContextManager[Connection | sqlite3.Connection]],
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    include_archived: bool = False,
    batch: int = 5000,
    archived_ids: Callable[[], list[int]] | None = None,
    cache: StageCache | None = None,
) -> Iterator[StageRow]:
    """The rows of `stages`, one by one in due date then number order, in bounded memory.

    With a `cache` (a SQLite file), the rows true on that day are read from it and only the
    others computed (and kept). Else, read in batches of `batch` invoices: a settled one is its
    "paid" row at once, the history of the others is read for their batch only (1M invoices
    never held whole). `read` opens a read connection (the Ledger's, or the light reader's);
    `archived_ids` lists the archived invoices (with `include_archived`). The policies must be
    read before: nothing else is read while the rows stream.
    """
    if cache is not None:
        try:
            served = yield from _cached_rows(read, cache, as_of, policy_for, include_archived)
        finally:
            cache.close()
        if served:
            return
    order = attrgetter("due", "invoice")
    with read() as conn:
        # Invoices counted from the legal maximum term sort on that term: made apart (few)
        # and merged in.
        apart = [
            int(i) for (i,) in _rows(conn, "SELECT id FROM invoice WHERE penalties_from_max_term")
        ]
        settled: list[StageRow] = []
        facts = (
            load_facts(
                conn,
                apart,
                include_archived=include_archived,
                owed_on=as_of,
                settled_rows=settled,
            )
            if apart
            else []
        )
    special = sorted(stage_rows(facts, as_of, policy_for) + settled, key=order)
    if include_archived and special and archived_ids is not None:
        hidden = set(archived_ids())
        for r in special:
            r.archived = r.invoice_id in hidden
    with read() as conn:
        streamed = _streamed_rows(conn, as_of, policy_for, include_archived, batch)
        if special:
            yield from heapq.merge(streamed, special, key=order)
        else:  # the usual case: no key made per row
            yield from streamed


def _streamed_rows(
    conn: Connection | sqlite3.Connection,
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    include_archived: bool,
    batch: int,
) -> Iterator[StageRow]:
    for items in stream_stage_items(conn, as_of, include_archived, batch):
        facts = [f for f, _ in items if isinstance(f, InvoiceFacts)]
        made = {r.invoice_id: r for r in stage_rows(facts, as_of, policy_for)}
        for item, archived in items:
            row = made.get(item.id) if isinstance(item, InvoiceFacts) else item
            if row is not None:
                if include_archived:
                    row.archived = archived
                yield row


# Above this many invoices without a row true on the day, the cache is refilled whole (in
# batches, never all held) rather than the missing rows computed apart and merged in.
PARTIAL_MAX = 50_000
_ORDER = attrgetter("due", "invoice")
_BRIEF_ORDER = itemgetter(4, 0)
_TUPLE_ORDER = itemgetter(8, 1)


def iter_stage_tuple_batches(
    read: Callable[[], AbstractContextManager[Connection | sqlite3.Connection]],
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    include_archived: bool = False,
    archived_ids: Callable[[], list[int]] | None = None,
    cache: StageCache | None = None,
) -> Iterator[list[StageTuple]]:
    """The rows of `stages` as `StageTuple`s (what the invoice table keeps), in the same
    order, in lists: from the cache as the driver reads them when it serves, else made from
    each row."""
    if cache is not None:
        try:
            served = yield from _cached_rows(
                read, cache, as_of, policy_for, include_archived, "tuple_batches"
            )
        finally:
            cache.close()
        if served:
            return
    rows = iter_stage_rows(read, as_of, policy_for, include_archived, archived_ids=archived_ids)
    yield from _batched(map(stage_tuple, rows))


def _batched(items: Iterator[StageTuple]) -> Iterator[list[StageTuple]]:
    """Lists of up to `TUPLE_BATCH` items."""
    while batch := list(islice(items, TUPLE_BATCH)):
        yield batch


def iter_stage_briefs(
    read: Callable[[], AbstractContextManager[Connection | sqlite3.Connection]],
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    cache: StageCache | None = None,
) -> Iterator[Brief]:
    """The live rows of `stages` as `Brief`s (what the listing prints), in the same order:
    from the cache as the driver gives them when it serves, else made from each row."""
    if cache is not None:
        try:
            served = yield from _cached_rows(read, cache, as_of, policy_for, False, "briefs")
        finally:
            cache.close()
        if served:
            return
    yield from map(brief, iter_stage_rows(read, as_of, policy_for))


def _cached_rows(
    read: Callable[[], AbstractContextManager[Connection | sqlite3.Connection]],
    cache: StageCache,
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    include_archived: bool,
    shape: str = "rows",
) -> Generator[Any, None, bool]:
    """The rows from the cache, the missing ones computed from the same snapshot; False (no
    row given) when the cache cannot be used: the caller computes every row as before.
    `shape`: "rows" (`StageRow`s), "tuple_batches" (lists of `StageTuple`s) or "briefs" (the
    live rows as `Brief`s)."""
    for attempt in range(4):
        stored = False
        with read() as conn:
            cur = cursor_of(conn)
            epoch = cache.epoch(cur)
            if epoch is not None:
                stale = cache.stale_ids(cur, as_of)
                if len(stale) <= PARTIAL_MAX:
                    made = [
                        pair
                        for chunk in _id_chunks(stale)
                        for pairs in _stream_entries(conn, as_of, policy_for, chunk)
                        for pair in pairs
                    ]
                    # Kept, they are read with the others from a new snapshot (one walk of
                    # the cache, no merge), unless something moved meanwhile: then they are
                    # merged into this snapshot's rows.
                    stored = bool(made) and attempt < 3 and cache.store(epoch, [e for e, _ in made])
                    if not stored:
                        yield from _merged(cur, cache, as_of, made, include_archived, shape)
                        return True
        if stored:
            continue
        if epoch is None:
            if not cache.install():
                return False
        elif not _fill(read, cache, as_of, policy_for):
            return False
    return False


def _merged(
    cur: Any,
    cache: StageCache,
    as_of: dt.date,
    made: list[tuple[Entry, StageRow | None]],
    include_archived: bool,
    shape: str,
) -> Iterator[Any]:
    """The cached rows true on `as_of` with the rows `made` for the others, in order."""
    extra = sorted(
        (row for e, row in made if row is not None and (include_archived or not e.archived)),
        key=_ORDER,
    )
    if include_archived:
        for e, row in made:
            if row is not None:
                row.archived = bool(e.archived)
    if shape == "briefs":
        listed: Iterator[Any] = cache.briefs(cur, as_of)
        more: list[Any] = [brief(r) for r in extra]
        key: Callable[[Any], Any] = _BRIEF_ORDER
    elif shape == "tuple_batches":
        batches = cache.tuple_batches(cur, as_of, include_archived)
        if not extra:
            yield from batches
            return
        merged = heapq.merge(
            chain.from_iterable(batches), map(stage_tuple, extra), key=_TUPLE_ORDER
        )
        yield from _batched(merged)
        return
    else:
        listed, more, key = cache.rows(cur, as_of, include_archived), extra, _ORDER
    yield from heapq.merge(listed, more, key=key) if more else listed


def _id_chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def _fill(
    read: Callable[[], AbstractContextManager[Connection | sqlite3.Connection]],
    cache: StageCache,
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
) -> bool:
    """Compute every invoice's row and keep them all, in batches; False if a write moved a
    stage meanwhile (nothing more kept) or the file is busy."""
    with read() as conn:
        epoch = cache.epoch(cursor_of(conn))
        if epoch is None:
            return False
        first = True
        pending: list[Entry] = []
        for pairs in _stream_entries(conn, as_of, policy_for, None, with_rows=False):
            pending += (e for e, _ in pairs)
            if len(pending) >= 20_000:
                if not cache.store(epoch, pending, replace_all=first, fresh=not first):
                    return False
                first, pending = False, []
        return cache.store(epoch, pending, replace_all=first, fresh=not first)


def _stream_entries(
    conn: Connection | sqlite3.Connection,
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
    ids: list[int] | None,
    with_rows: bool = True,
) -> Iterator[list[tuple[Entry, StageRow | None]]]:
    """Every invoice's cache entry as of `as_of` (of those `ids`, else all), in batches, with
    its stage row (None when not issued yet, or for a settled one without `with_rows`):
    archived ones and those counted from the legal maximum term included, since the cache
    serves every listing."""
    day = as_of.isoformat()
    today, forever = as_of.toordinal(), FOREVER
    scope = _in(ids, "invoice_id")
    paid_join = (
        " LEFT JOIN (SELECT invoice_id,"
        f" CAST(SUM(CASE WHEN date <= '{day}' THEN amount_cents ELSE 0 END) AS BIGINT) AS paid,"
        f" MAX(date) AS last FROM payment WHERE cancelled_on IS NULL{scope}"
        " GROUP BY invoice_id) p ON p.invoice_id = i.id"
    )
    sql = _main_sql(paid_join, _in(ids, "i.id"), ", i.archived OR c.archived, p.last")
    plans = _load_plans(conn, defaultdict(list))
    shared: dict[str, str] = {}
    ordinal: dict[object, int] = {}  # each date text's day number, made once
    for rows in _batches(conn, sql):
        owed = [r for r in rows if r[7] - r[8] - (r[17] or 0) > 0]
        out: list[tuple[Entry, StageRow | None]] = []
        if owed:
            payments, actions = _history(conn, _in([r[0] for r in owed], "invoice_id"), None)
            facts = [_invoice_facts(r, payments, actions, plans, shared) for r in owed]
            archived = {r[0] for r in owed if r[20]}
            out += open_entries(facts, as_of, policy_for, archived.__contains__)
        for r in rows:
            if r[7] - r[8] - (r[17] or 0) > 0:
                continue
            issued = ordinal.get(r[5]) or ordinal.setdefault(r[5], _day(r[5]).toordinal())
            if issued > today:
                hidden = hidden_entry(r[0], r[1], _day(r[6]), _day(r[5]), as_of)
                out.append((hidden, None))
                continue
            # Paid, it stays paid until a later payment (an overpayment) changes its balance.
            until = today if r[21] is not None and str(r[21]) > day else forever
            if with_rows:
                row = _settled_row(r, as_of, shared)
                assert row is not None  # issued by then
                out.append((entry(row, as_of, dt.date.fromordinal(until), bool(r[20])), row))
                continue
            # The entry of `entry(_settled_row(r))`, made straight from the columns.
            subject = r[16] or ""
            out.append(
                (
                    Entry(
                        r[0],
                        today,
                        until,
                        ordinal.get(r[6]) or ordinal.setdefault(r[6], _day(r[6]).toordinal()),
                        r[1],
                        1,
                        r[2],
                        shared.setdefault(r[3], r[3]),
                        "paid",
                        r[7] - r[8] - (r[17] or 0),
                        r[7],
                        issued,
                        "",
                        "",
                        None,
                        int(r[4] == "b2c"),
                        shared.setdefault(subject, subject),
                        None,
                        int(bool(r[20])),
                    ),
                    None,
                )
            )
        yield out
