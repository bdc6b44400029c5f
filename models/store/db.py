"""Storage: engine and pragmas, where the database lives, what a Relance file is, migrations."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from models.errors import InputError, MissingDatabaseError, StorageError

# Re-exported (db.APPLICATION_ID, ...): they live where a light read path can import them.
from models.store.identity import (
    APP_NAME as APP_NAME,
)
from models.store.identity import (
    APPLICATION_ID as APPLICATION_ID,
)
from models.store.identity import (
    BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS,
)
from models.store.identity import (
    DB_FILENAME as DB_FILENAME,
)
from models.store.identity import (
    MIGRATIONS as MIGRATIONS,
)
from models.store.identity import (
    VERSION as VERSION,
)
from models.store.identity import (
    default_db_path as default_db_path,
)
from models.store.identity import (
    shipped_in as shipped_in,
)
from models.store.identity import (
    version_code as version_code,
)

DEFAULT_BACKUPS_KEPT = 14
CONNECT_TIMEOUT_S = 10
SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables the first Relance schema (revision 0001) made: a file without application id that has
# them all and an Alembic revision we know was made by Relance before the id was set.
FIRST_TABLES = frozenset({"client", "contact", "invoice", "payment", "action", "setting"})
# Module constant so a test can make a held lock fail fast; the sentence of issue 12.
BUSY_MESSAGE = "la base est utilisée par une autre fenêtre ou un autre programme, réessayez"
WRITE_OPTION = "relance_write"


def resolve_url(db: str | None = None) -> str:
    """Turn `--db` (a path or a SQLAlchemy URL), else $RELANCE_DB, else the default, into a URL."""
    value = db or os.environ.get("RELANCE_DB") or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def is_server(url: str) -> bool:
    """True for a PostgreSQL ledger (a shared office), False for a SQLite file or memory."""
    return url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def driver_url(url: str) -> str:
    """The URL SQLAlchemy needs: `postgresql://` (what users type) goes through psycopg 3."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def display_url(url: str) -> str:
    """A URL as shown to the user: a password typed into it is never printed."""
    if "://" not in url:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def server_folder(url: str) -> str:
    """A folder name for a server ledger: 'hote-5432-base' (no user, no password)."""
    from sqlalchemy.engine import make_url

    found = make_url(driver_url(url))
    raw = f"{found.host or 'local'}-{found.port or 5432}-{found.database or ''}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", raw)


def server_name(url: str) -> str | None:
    """A PostgreSQL ledger's URL as shown (no password), or None for SQLite."""
    return display_url(url) if is_server(url) else None


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL, or None (in-memory database or another server)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return Path(path) if path and path != ":memory:" else None


def version_text(code: int) -> str:
    """'x.y' of a `user_version` integer (100 -> '0.1')."""
    return f"{code // 10000}.{code // 100 % 100}"


# -- engine --------------------------------------------------------------------------------------
def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL, enforced foreign keys, FULL sync (a crash keeps the last commit), real transactions.

    pysqlite delays BEGIN until the first write, so a SAVEPOINT opened before it runs in
    autocommit and its RELEASE commits: the driver's own transaction handling is switched off
    and SQLAlchemy emits BEGIN itself (see `_begin`).
    """
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _begin(conn: Any) -> None:
    """Open the transaction explicitly (pairs with `isolation_level = None`).

    A write starts with BEGIN IMMEDIATE: it takes the write lock first, waiting up to the busy
    timeout for another writer. A deferred BEGIN that reads then writes cannot wait (SQLite
    gives up at once to avoid a deadlock): "database is locked" in a few milliseconds.
    """
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine whose transactions start with BEGIN IMMEDIATE (for writes)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_engine(url: str, password: str | None = None) -> Engine:
    """An engine for `url`; SQLite gets its pragmas, an in-memory one a single shared connection.

    `password` (from the keyring) goes to a PostgreSQL server beside the URL, never into it;
    without it libpq looks in ~/.pgpass, PGPASSWORD or the PGSERVICE file itself.
    """
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is None:
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, poolclass=StaticPool
            )
        else:
            timeout = BUSY_TIMEOUT_MS / 1000
            engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": timeout}
            )
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    # A server that does not answer is reported after 10 s, not after the system's minutes.
    args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
    if password:
        args["password"] = password
    return create_engine(driver_url(url), pool_pre_ping=True, connect_args=args)


def metadata() -> MetaData:
    """The tables of this version (imported on first use: opening a current database and
    reading its stages need no ORM, a third of the window's start)."""
    from sqlmodel import SQLModel

    from models.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    return SQLModel.metadata


def reset_sequences(conn: Any, table_names: Iterable[str]) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id counters past them.

    SQLite takes the next id from the table itself; PostgreSQL draws it from a sequence that
    explicit ids do not advance (the next insert would collide). Nothing to do on SQLite.
    """
    if conn.dialect.name != "postgresql":
        return
    for name in table_names:
        table = metadata().tables[name]
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {name}"
        )


# -- what a Relance file is ----------------------------------------------------------------------
@dataclass(frozen=True)
class FileIdentity:
    """What a SQLite file holds, read without writing: id, tables, revision, version."""

    application_id: int
    tables: frozenset[str]
    revision: str | None
    user_version: int
    intact: bool


def read_identity(path: Path, check: bool = False) -> FileIdentity:
    """Read a SQLite file's identity in read-only mode (`check`: run an integrity check too).

    Raises InputError (French, naming the file) when it is not a readable SQLite file.
    """
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise InputError(
            f"{path} n'est pas une base Relance (ce n'est pas un fichier SQLite) : "
            "vérifiez le chemin du fichier"
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            revision = None
            if "alembic_version" in names:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            intact = True
            if check:
                intact = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StorageError(BUSY_MESSAGE) from exc
        raise InputError(
            f"{path} est illisible ou endommagé ({exc}) : ce n'est pas une base Relance utilisable"
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise InputError(
            f"{path} est illisible ou endommagé ({exc}) : ce n'est pas une base Relance utilisable"
        ) from exc
    return FileIdentity(app_id, frozenset(names), revision, user_version, intact)


def is_relance(found: FileIdentity) -> bool:
    """Ours: our application id, or (older files) the first tables and a revision we know."""
    if found.application_id == APPLICATION_ID:
        return True
    return (
        found.application_id == 0
        and found.tables >= FIRST_TABLES
        and found.revision in known_revisions()
    )


def check_database_file(path: Path, create: bool) -> bool:
    """Refuse, writing nothing, a path that is not a Relance database; True when it is to be made.

    A folder, another program's SQLite file or any other file is refused (InputError); a missing
    or empty file is made only when `create` is set (else MissingDatabaseError). An empty SQLite
    file (no table) is taken as new.
    """
    if path.is_dir():
        raise InputError(
            f"{path} est un dossier : indiquez le fichier de la base lui-même "
            f"(par exemple {path / DB_FILENAME})"
        )
    if not path.exists() or path.stat().st_size == 0:
        if not create:
            raise MissingDatabaseError(str(path))
        return True
    try:
        found = read_identity(path)
    except PermissionError as exc:
        raise StorageError(
            f"la base {path} ne peut pas être lue : accès refusé ; vérifiez les droits du fichier"
        ) from exc
    if found.application_id not in (0, APPLICATION_ID):
        raise InputError(
            f"{path} n'est pas une base Relance (c'est la base d'un autre programme) : "
            "rien n'y a été écrit ; vérifiez le chemin du fichier"
        )
    if not found.tables or is_relance(found):
        return False
    raise InputError(
        f"{path} n'est pas une base Relance (ses tables ne sont pas celles de Relance) : "
        "rien n'y a été écrit ; vérifiez le chemin du fichier"
    )


def check_writable(path: Path) -> None:
    """Refuse a read-only database file or folder before SQLite fails on it (StorageError)."""
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            f"la base {path} est en lecture seule : rendez le fichier modifiable "
            "(propriétés du fichier) ou copiez-le dans un dossier à vous"
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(
            f"le dossier {path.parent} est en lecture seule : Relance doit pouvoir y écrire à "
            "côté de la base ; copiez la base dans un dossier à vous"
        )


def newer_message(found: FileIdentity, what: str = "cette base") -> str | None:
    """'cette base vient d'une version plus récente de Relance (x.y)', or None if we know it."""
    if found.revision is None or found.revision in known_revisions():
        return None
    version = f" ({version_text(found.user_version)})" if found.user_version else ""
    return f"{what} vient d'une version plus récente de Relance{version}"


def describe_error(exc: BaseException, path: Path | str | None = None) -> str:
    """A database or file error as one French sentence naming the file and what to do."""
    if isinstance(exc, StorageError | InputError):
        return str(exc)
    if isinstance(exc, OSError):
        from models.files import file_error

        return str(file_error("d'écrire", exc.filename or path or "", exc))
    text = str(getattr(exc, "orig", None) or exc).lower()
    where = f"la base {path}" if path else "la base"
    cause = getattr(exc, "orig", None) or exc
    if type(cause).__module__.startswith("psycopg"):  # a PostgreSQL server's refusal
        server = server_problem(text, display_url(str(path)) if path else "")
        if server:
            return server
    if "locked" in text or "busy" in text:
        return BUSY_MESSAGE
    if "readonly" in text or "read-only" in text:
        return (
            f"{where} est en lecture seule : rendez le fichier et son dossier modifiables, "
            "puis réessayez"
        )
    if "disk is full" in text or "full" in text:
        return f"{where} ne peut plus grandir : disque plein ; libérez de la place et réessayez"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"{where} est endommagée : restaurez une sauvegarde (Réglages > Sauvegardes)"
    if "unable to open" in text:
        return (
            f"{where} ne peut pas être ouverte : vérifiez que le dossier existe et que vous "
            "avez le droit d'y écrire"
        )
    if "disk i/o" in text:
        return f"{where} : erreur d'écriture sur le disque ; vérifiez le disque et réessayez"
    name = exc.__class__.__name__
    return f"{where} n'a pas pu être lue ou écrite ({name}) ; rien n'a été enregistré"


def server_problem(text: str, where: str = "") -> str | None:
    """A PostgreSQL (libpq) error's text as a French sentence saying what to do, or None."""
    base = f"la base partagée {where}".rstrip() if where else "la base partagée"
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"{base} refuse la connexion : mot de passe incorrect ou absent ; vérifiez-le "
            "(Fichier > Base partagée…, ~/.pgpass ou PGPASSWORD)"
        )
    if 'database "' in text and "does not exist" in text:
        return f"{base} n'existe pas sur le serveur : créez-la (packaging/postgresql-setup.sql)"
    if 'role "' in text and "does not exist" in text:
        return f"{base} : cet utilisateur n'existe pas sur le serveur ; vérifiez le nom"
    if "pg_hba.conf" in text or "no encryption" in text or ("ssl" in text and "fail" in text):
        return (
            f"{base} refuse cette connexion (règles du serveur ou chiffrement SSL) ; "
            "vérifiez sslmode et demandez à l'administrateur du serveur"
        )
    if (
        "connection refused" in text
        or "could not translate host name" in text
        or "timeout expired" in text
        or "no route to host" in text
        or "network is unreachable" in text
        or "could not connect" in text
    ):
        return (
            f"{base} est injoignable : le serveur est arrêté ou l'adresse est fausse ; "
            "vérifiez le serveur, le port et le réseau, puis réessayez"
        )
    if (
        "terminating connection" in text
        or "server closed the connection" in text
        or "connection is lost" in text
        or "the connection is closed" in text
        or "consuming input failed" in text
        or "connection already closed" in text
        or "server conn crashed" in text
        or "shutting down" in text
        or "starting up" in text
    ):
        return (
            f"{base} : la connexion au serveur a été coupée ; l'opération en cours est "
            "annulée, rien n'a été enregistré ; réessayez quand le serveur répond"
        )
    if "permission denied" in text or "must be owner" in text:
        return (
            f"{base} : ce rôle n'a pas les droits nécessaires ; accordez-les "
            "(packaging/postgresql-setup.sql)"
        )
    return None


def storage_error(exc: SQLAlchemyError | sqlite3.Error, path: Path | str | None) -> StorageError:
    """A SQLAlchemy or sqlite3 error turned into a StorageError with its French sentence."""
    return StorageError(describe_error(exc, path))


# -- migrations ----------------------------------------------------------------------------------
def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def _shipped() -> tuple[str, frozenset[str]]:
    """(head, every revision) of the migrations in MIGRATIONS (read once per folder)."""
    return shipped_in(MIGRATIONS)


def head_revision(engine: Engine | None = None) -> str:
    """The newest migration shipped with this version of Relance."""
    return _shipped()[0]


def known_revisions() -> set[str]:
    """Every schema revision this version of Relance can read or upgrade."""
    return set(_shipped()[1])


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None for an empty database (one query)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


def mark(engine: Engine) -> None:
    """Stamp our application id and version on a SQLite file (a write only when they differ)."""
    if engine.url.get_backend_name() != "sqlite":
        return
    with engine.connect() as conn:
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
        user_version = conn.exec_driver_sql("PRAGMA user_version").scalar()
    if app_id == APPLICATION_ID and user_version == version_code():
        return
    with writer(engine).begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version={version_code()}")


def create_schema(conn: Connection) -> None:
    """Make the tables of this version on an empty database and stamp it at the head revision.

    Alembic's recipe for a fresh database, on the caller's connection: inside its transaction
    (PostgreSQL's DDL is transactional: a copy that fails leaves no table behind).
    """
    from alembic import command

    metadata().create_all(conn)
    cfg = _alembic_config(conn.engine)
    cfg.attributes["connection"] = conn
    command.stamp(cfg, "head")


def migrate(engine: Engine, before: Callable[[], object] | None = None) -> bool:
    """Bring the schema to the newest revision; `before` runs first when data would change.

    An empty database is created from the tables and stamped (Alembic's recipe for a fresh
    database); an older one is upgraded after `before` (the pre-migration copy). A schema
    newer than this Relance is refused (InputError), the file untouched. Returns True when the
    schema changed.
    """
    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return False  # the usual case: one query, Alembic not even imported
    from alembic import command

    cfg = _alembic_config(engine)
    if current is not None and current not in known_revisions():
        url = engine.url.render_as_string(hide_password=False)
        user_version = 0
        if engine.url.get_backend_name() == "sqlite":
            with engine.connect() as conn:
                user_version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        version = f" ({version_text(user_version)})" if user_version > version_code() else ""
        raise InputError(
            f"cette base vient d'une version plus récente de Relance{version} : installez "
            f"cette version ou une plus récente pour l'ouvrir ({sqlite_path(url) or url})"
        )
    has_tables = bool(inspect(engine).get_table_names())
    if current is None and not has_tables:
        with writer(engine).begin() as conn:
            create_schema(conn)
        return True
    if before is not None:
        before()
    with writer(engine).connect() as conn:
        sqlite = engine.url.get_backend_name() == "sqlite"
        if sqlite:
            # SQLite rebuilds a table to alter it (Alembic's batch mode): the DROP of the old
            # table would trip the foreign keys of the rows that point at it. The pragma only
            # takes effect outside a transaction, so it is set on the driver's connection first,
            # and the keys are checked before the upgrade commits.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                if sqlite:  # derived rows whose triggers would trip a rebuilt table
                    _drop_stage_cache(conn)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise InputError("la mise à jour de la base romprait ses liens : annulée")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return True


def _drop_stage_cache(conn: Connection) -> None:
    """Remove the stage cache (models/store/stage_cache.py) inside the upgrade's transaction."""
    from models.store.stage_cache import TRIGGER_NAMES, drop_statements

    names = [str(n) for (n,) in conn.exec_driver_sql(TRIGGER_NAMES)]
    for sql in drop_statements(names):
        conn.exec_driver_sql(sql)


def default_backup_dir(url: str) -> Path | None:
    """Backups sit in a `sauvegardes` folder next to the database file."""
    path = sqlite_path(url)
    return path.parent / "sauvegardes" if path is not None else None


def copy_file(src: Path, dest: Path) -> None:
    """Copy a file whole, creating the destination folder (logo and signature images)."""
    from models.files import atomic_write

    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, lambda tmp: shutil.copyfile(src, tmp))
