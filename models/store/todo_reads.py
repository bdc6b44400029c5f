"""The to-do and what it marks, read on either connection: the Ledger's or the light reader's.

One definition of each query for both paths (the Ledger through SQLAlchemy, on SQLite or
PostgreSQL; `models.store.quick` on a plain `sqlite3` connection): the same to-do either way.
Nothing here imports SQLAlchemy, SQLModel or the tables (the light path's start-up).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.law.policy import Policy
from models.law.stages import InvoiceFacts
from models.letters.delivery import missing_for, postal_gaps
from models.store.codes import MAIL_PENDING
from models.store.facts import ID_CHUNK, _rows, load_facts
from models.todo import TodoItem, todo_items

if TYPE_CHECKING:  # SQLAlchemy only when given its connection (the light reader gives sqlite3's)
    from sqlalchemy.engine import Connection

# The channels whose step needs the client's postal address or e-mail address.
ADDRESSED = ("letter", "registered_letter", "email")


@dataclass(frozen=True)
class PendingMail:
    """A message in "état inconnu", as the screen that settles it lists it."""

    id: int
    client_id: int
    client: str
    kind: str
    invoices: tuple[str, ...]
    created_at: dt.datetime
    subject: str
    recipients: str
    message_id: str


def load_todo(
    conn: Connection | sqlite3.Connection,
    as_of: dt.date,
    policy_for: Callable[[InvoiceFacts], Policy],
) -> list[TodoItem]:
    """The steps due on or before `as_of` and not done, grouped per client, with their marks.

    One connection, one snapshot. The policies must be read before (nothing else is read
    while this one reads).
    """
    # Nothing is to do for an invoice settled by then: it is not read at all.
    items = todo_items(load_facts(conn, owed_on=as_of), as_of, policy_for)
    mark_missing_contacts(conn, items)
    mark_unknown_mails(items, pending_mails(conn))
    return items


def mark_missing_contacts(conn: Connection | sqlite3.Connection, items: Sequence[TodoItem]) -> None:
    """Say on each letter or e-mail step what the client's record lacks for it."""
    wanted = {i.client_id for i in items if i.channel in ADDRESSED}
    if not wanted:
        return
    gaps: dict[int, tuple[list[str], bool]] = {}
    mailed: set[int] = set()
    for scope in _client_scopes(conn, wanted):
        for cid, street, locality, postal_code, city, country, email in _rows(
            conn,
            "SELECT id, street, locality, postal_code, city, country, email FROM client"
            f" WHERE 1=1{scope.format(column='id')}",
        ):
            if cid in wanted:
                gaps[int(cid)] = (
                    postal_gaps(street, locality, postal_code, city, country),
                    bool(email.strip()),
                )
        mailed.update(
            int(cid)
            for (cid,) in _rows(
                conn,
                "SELECT DISTINCT client_id FROM contact WHERE email <> ''"
                + scope.format(column="client_id"),
            )
        )
    for item in items:
        if item.client_id in gaps:
            postal, has_email = gaps[item.client_id]
            item.missing = missing_for(item.channel, postal, has_email or item.client_id in mailed)


def _client_scopes(conn: Connection | sqlite3.Connection, wanted: set[int]) -> list[str]:
    """` AND {column} IN (...)` conditions for those clients, or one empty one (every client)
    when they are a good share of them: a scan then beats SQLite's long IN lists."""
    (count,) = _rows(conn, "SELECT COUNT(*) FROM client")[0]
    if 2 * len(wanted) > int(count):
        return [""]
    return [" AND {column} IN (" + ids + ")" for ids in _chunks(sorted(wanted))]


def mark_unknown_mails(items: Iterable[TodoItem], pending: Sequence[PendingMail]) -> None:
    """Say on each e-mail step whether a message for it is in "état inconnu"."""
    found_by = {(m.client_id, n): m for m in pending for n in m.invoices}
    if not found_by:
        return
    for item in items:
        found = next(
            (
                found_by[(item.client_id, n)]
                for n in item.invoices
                if (item.client_id, n) in found_by
            ),
            None,
        )
        if found is not None and item.channel == "email":
            item.unknown_mail = (
                f"e-mail du {found.created_at:%d/%m/%Y} en état inconnu : vérifiez dans "
                "votre messagerie s'il est parti (Relances > E-mails en état inconnu)"
            )


def pending_mails(conn: Connection | sqlite3.Connection) -> list[PendingMail]:
    """The messages in "état inconnu" (written pending, the server's answer never recorded),
    oldest first, with their client's name and invoice numbers."""
    rows = _rows(
        conn,
        "SELECT m.id, m.client_id, c.name, m.kind, m.invoice_ids, m.created_at, m.subject,"
        " m.recipients, m.message_id FROM mailsent m JOIN client c ON c.id = m.client_id"
        f" WHERE m.status = '{MAIL_PENDING}' ORDER BY m.created_at, m.id",
    )
    wanted = sorted({int(i) for r in rows for i in str(r[4]).split(",") if i})
    numbers: dict[int, str] = {}
    for ids in _chunks(wanted):
        numbers.update(
            (int(i), str(n))
            for i, n in _rows(conn, f"SELECT id, number FROM invoice WHERE id IN ({ids})")
        )
    return [
        PendingMail(
            int(r[0]),
            int(r[1]),
            str(r[2]),
            str(r[3]),
            tuple(numbers.get(int(i), "?") for i in str(r[4]).split(",") if i),
            _utc(r[5]),
            str(r[6]),
            str(r[7]),
            str(r[8]),
        )
        for r in rows
    ]


def _utc(value: Any) -> dt.datetime:
    """A stored moment in UTC, as the tables' UTCDateTime column reads it back.

    PostgreSQL's driver gives an aware datetime; SQLite keeps UTC as ISO text with no offset.
    """
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _chunks(ids: Sequence[int]) -> Iterable[str]:
    """The ids as `IN (...)` lists of at most ID_CHUNK (SQLite caps a statement's length)."""
    for start in range(0, len(ids), ID_CHUNK):
        yield ",".join(str(int(i)) for i in ids[start : start + ID_CHUNK])
