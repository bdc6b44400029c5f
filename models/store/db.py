"""Storage: engine and pragmas, where the database lives, Alembic migrations and backups."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from models.errors import InputError
from models.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

APP_NAME = "Relance"
DB_FILENAME = "relance.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_BACKUPS_KEPT = 14


def default_db_path() -> Path:
    """The user's database file, in the platform's user data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_url(db: str | None = None) -> str:
    """Turn `--db` (a path or a SQLAlchemy URL), else $RELANCE_DB, else the default, into a URL."""
    value = db or os.environ.get("RELANCE_DB") or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL, or None (in-memory database or another server)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return Path(path) if path and path != ":memory:" else None


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL, enforced foreign keys, FULL sync (a crash keeps the last commit), real transactions.

    pysqlite delays BEGIN until the first write, so a SAVEPOINT opened before it runs in
    autocommit and its RELEASE commits: the driver's own transaction handling is switched off
    and SQLAlchemy emits BEGIN itself (see `_begin`).
    """
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _begin(conn: Any) -> None:
    """Open the transaction explicitly (pairs with `isolation_level = None`)."""
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its pragmas, an in-memory one a single shared connection."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is None:
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, poolclass=StaticPool
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision(engine: Engine) -> str:
    """The newest migration shipped with this version of Relance."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, backup_dir: Path | None, now: dt.datetime | None) -> Path | None:
    """Bring the schema to the newest revision; copy the file first when it holds data.

    An empty database is created from the tables and stamped (Alembic's recipe for a fresh
    database); an older one is backed up, then upgraded. Returns the backup made, if any.
    """
    from alembic import command

    cfg = _alembic_config(engine)
    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return None
    has_tables = bool(inspect(engine).get_table_names())
    if current is None and not has_tables:
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "head")
        return None
    copy = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is not None and backup_dir is not None and now is not None:
        copy = backup(engine, backup_dir, now, reason="avant-migration")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return copy


def backup(engine: Engine, backup_dir: Path, now: dt.datetime, reason: str = "") -> Path:
    """Copy a SQLite database consistently (SQLite's online backup) into `backup_dir`."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise InputError("sauvegarde : seule une base SQLite locale peut être copiée")
    backup_dir.mkdir(parents=True, exist_ok=True)
    suffix = f"-{reason}" if reason else ""
    dest = backup_dir / f"relance-{now:%Y-%m-%d_%H%M%S}{suffix}.sqlite"
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def list_backups(backup_dir: Path) -> list[Path]:
    """Backups in `backup_dir`, newest first."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob("relance-*.sqlite"), reverse=True)


def prune_backups(backup_dir: Path, keep: int) -> list[Path]:
    """Delete the oldest daily backups beyond `keep`; migration and safety copies are kept."""
    daily = [p for p in list_backups(backup_dir) if "-" not in p.stem.removeprefix("relance-")[18:]]
    removed = daily[keep:]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def daily_backup(engine: Engine, backup_dir: Path, now: dt.datetime, keep: int) -> Path | None:
    """Make today's backup unless one exists already; keep the newest `keep` daily copies."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or not path.exists():
        return None
    if any(p.name.startswith(f"relance-{now:%Y-%m-%d}") for p in list_backups(backup_dir)):
        return None
    made = backup(engine, backup_dir, now)
    prune_backups(backup_dir, keep)
    return made


def restore(engine: Engine, source: Path, backup_dir: Path, now: dt.datetime) -> Path:
    """Replace the database's content by a backup; a safety copy of the current one comes first."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise InputError("restauration : seule une base SQLite locale peut être restaurée")
    if not source.is_file():
        raise InputError(f"restauration : fichier introuvable : {source}")
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as probe:
            probe.execute("SELECT count(*) FROM invoice").fetchone()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"restauration : {source.name} n'est pas une sauvegarde Relance") from exc
    safety = backup(engine, backup_dir, now, reason="avant-restauration")
    engine.dispose()
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return safety


def default_backup_dir(url: str) -> Path | None:
    """Backups sit in a `sauvegardes` folder next to the database file."""
    path = sqlite_path(url)
    return path.parent / "sauvegardes" if path is not None else None


def copy_file(src: Path, dest: Path) -> None:
    """Copy a file, creating the destination folder (logo and signature images)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)
