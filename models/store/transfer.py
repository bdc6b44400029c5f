"""Moving a ledger between engines: a SQLite file into an empty PostgreSQL database, and back.

Everything is copied in one transaction on the target (tables in the order of their foreign
keys, ids kept, PostgreSQL's id counters moved past them), then counted and summed against the
source before the commit: a copy that does not add up is rolled back, the target left empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from models.errors import InputError, StorageError
from models.store import db, server

CHUNK = 5000  # rows per INSERT batch: a 100,000-invoice ledger never held whole in memory


@dataclass(frozen=True)
class TransferReport:
    """What was copied: rows per table and the money columns' totals, checked on both sides."""

    rows: dict[str, int]
    totals: dict[str, int]

    @property
    def invoices(self) -> int:
        return self.rows.get("invoice", 0)


def _tables() -> list[Table]:
    """Every Relance table, parents before the tables that point at them (`db.metadata`
    imports them: nothing else may have yet in a fresh `migrate-to` process)."""
    return list(db.metadata().sorted_tables)


def _money_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name.endswith("_cents")]


def _summary(conn: Connection) -> tuple[dict[str, int], dict[str, int]]:
    """(rows per table, sum of each money column) of a ledger."""
    rows: dict[str, int] = {}
    totals: dict[str, int] = {}
    for table in _tables():
        rows[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for name in _money_columns(table):
            total = conn.execute(select(func.coalesce(func.sum(table.c[name]), 0))).scalar_one()
            totals[f"{table.name}.{name}"] = int(total)
    return rows, totals


def check_empty_target(conn: Connection, where: str) -> None:
    """Refuse a target that holds anything: a copy never mixes two ledgers (InputError)."""
    found = set(inspect(conn).get_table_names())
    ours = {t.name for t in _tables()}
    foreign = found - ours - {"alembic_version"}
    if foreign:
        raise InputError(
            f"{where} n'est pas vide (tables {', '.join(sorted(foreign)[:5])}) : "
            "indiquez une base vide, créée pour Relance ; rien n'a été écrit"
        )
    for table in _tables():
        if table.name in found and conn.execute(select(table).limit(1)).first() is not None:
            raise InputError(
                f"{where} contient déjà un registre Relance (table {table.name} non vide) : "
                "indiquez une base vide ; rien n'a été écrit"
            )


def _rows(conn: Connection, table: Table) -> Iterator[list[tuple[object, ...]]]:
    """A table's rows in primary-key order, in batches of tuples (the table's column order)."""
    order = list(table.primary_key.columns)
    result = conn.execution_options(stream_results=True).execute(select(table).order_by(*order))
    while batch := result.fetchmany(CHUNK):
        yield [tuple(r) for r in batch]


def _write(dst: Connection, table: Table, batch: list[tuple[object, ...]]) -> None:
    """Insert a batch: PostgreSQL's COPY (ten times an INSERT's speed), else an INSERT."""
    names = [c.name for c in table.columns]
    if dst.dialect.name != "postgresql":
        dst.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in batch])
        return
    raw: Any = dst.connection.dbapi_connection
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    driver_error = dst.dialect.loaded_dbapi.Error
    try:
        with raw.cursor() as cur, cur.copy(statement) as copy:
            for row in batch:
                copy.write_row(row)
    except driver_error as exc:  # the driver's own error, wrapped as SQLAlchemy's would be
        raise DBAPIError.instance(statement, None, exc, driver_error) from exc


def copy_ledger(source: Engine, target: Engine, where: str) -> TransferReport:
    """Copy the whole ledger of `source` into the empty database `target`, in one transaction.

    The source must be at this version's schema (open it with Ledger.open first). The target
    gets the schema (created and stamped), every row with its id, its id counters moved on;
    then the rows and money totals are compared with the source's before the commit. Any
    failure rolls everything back (StorageError or InputError, in French, naming `where`).
    """
    try:
        with source.connect() as src:
            expected = _summary(src)
            with db.writer(target).begin() as dst:
                check_empty_target(dst, where)
                db.create_schema(dst)
                for table in _tables():
                    for batch in _rows(src, table):
                        _write(dst, table, batch)
                db.reset_sequences(dst, [t.name for t in _tables()])
                got = _summary(dst)
                if got != expected:
                    raise StorageError(_mismatch(expected, got, where))
    except SQLAlchemyError as exc:
        raise StorageError(
            f"copie vers {where} annulée, rien n'a été écrit : {db.describe_error(exc, where)}"
        ) from exc
    db.mark(target)
    return TransferReport(*expected)


def _mismatch(
    expected: tuple[dict[str, int], dict[str, int]],
    got: tuple[dict[str, int], dict[str, int]],
    where: str,
) -> str:
    """Which count or total differs after the copy (the copy is then rolled back)."""
    for want, have in zip(expected, got, strict=True):
        for key, value in want.items():
            if have.get(key) != value:
                return (
                    f"copie vers {where} annulée : {key} donne {have.get(key)} au lieu de "
                    f"{value} ; rien n'a été écrit"
                )
    return f"copie vers {where} annulée : les totaux diffèrent ; rien n'a été écrit"


def to_server(source_url: str, target_url: str) -> TransferReport:
    """Copy a SQLite ledger (migrated to this version first) into an empty PostgreSQL base."""
    from models.store.ledger import Ledger

    if not db.is_server(target_url):
        raise InputError(
            f"« {target_url} » n'est pas une adresse PostgreSQL "
            "(attendu postgresql://utilisateur@serveur:port/base)"
        )
    ledger = Ledger.open(source_url, create=False)
    target = db.make_engine(target_url, server.keyring_password(target_url))
    try:
        return copy_ledger(ledger.engine, target, db.display_url(target_url))
    finally:
        target.dispose()
        ledger.close()


def to_file(source_url: str, dest: Path) -> TransferReport:
    """Copy a ledger (a shared PostgreSQL one, usually) into a NEW SQLite file at `dest`."""
    from models.store.ledger import Ledger

    dest = _new_file(dest)
    ledger = Ledger.open(source_url, create=False)
    try:
        return copy_to_file(ledger.engine, dest)
    finally:
        ledger.close()


def _new_file(dest: Path) -> Path:
    """Refuse an existing file or a missing folder (InputError): a copy replaces nothing."""
    dest = Path(dest).expanduser()
    if dest.exists():
        raise InputError(
            f"{dest} existe déjà : choisissez un nouveau nom de fichier (une copie n'en "
            "remplace jamais une autre)"
        )
    if not dest.parent.is_dir():
        raise InputError(f"le dossier {dest.parent} n'existe pas : choisissez un dossier existant")
    return dest


def copy_to_file(source: Engine, dest: Path) -> TransferReport:
    """The ledger of an open engine into a NEW SQLite file (Paramètres > Sauvegardes).

    The file is written beside its final name and renamed when complete: an interrupted copy
    leaves no half file where the user looks.
    """
    dest = _new_file(dest)
    partial = dest.with_name(f".{dest.name}.partiel")
    partial.unlink(missing_ok=True)
    target = db.make_engine(f"sqlite:///{partial.resolve()}")
    try:
        report = copy_ledger(source, target, str(dest))
        target.dispose()
        partial.replace(dest)
        return report
    finally:
        target.dispose()
        for leftover in (partial, *partial.parent.glob(f"{partial.name}-*")):
            leftover.unlink(missing_ok=True)
