"""The Ledger's ground floor: opening the database, transactions, clients, contacts, facts."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from models.collation import sort_key
from models.errors import FieldError, InputError, NotFoundError, StorageError
from models.files import file_error, writable_folder_problem
from models.ids import ClientId, ContactId
from models.store import backups as copies
from models.store import changes, db, server
from models.store.facts import load_facts
from models.store.ledger_settings import SettingsMixin

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.law.policy import Policy
    from models.law.rates import RateTable
    from models.law.stages import InvoiceFacts
    from models.store.tables import Client, Contact
    from models.todo import StageRow


@functools.cache
def client_fields() -> frozenset[str]:
    """The fields a client record may be given (made on first use: the ORM loads then)."""
    from models.store import versions
    from models.store.tables import Client

    return frozenset(Client.model_fields) - {"id", "archived", "created_at"} - versions.META_FIELDS


class LedgerBase(SettingsMixin):
    """Storage and the client records; the invoices and the reports build on it."""

    def __init__(self, engine: Engine, url: str = "") -> None:
        self.engine = engine
        self.url = url or engine.url.render_as_string(hide_password=False)
        self._rates: RateTable | None = None
        self._policies: dict[str | None, Policy] | None = None
        self.created = False  # True when `open` made a new database file
        self.backup_problem: str | None = None  # why the last automatic backup failed
        self._user: str | None = None
        # The change counter as this ledger last saw it (None: not read yet), and whether a
        # write of this ledger found that another had written since (issue 18).
        self._seen_changes: int | None = None
        self._outside_change = False

    @classmethod
    def open(
        cls,
        db_arg: str | None = None,
        now: dt.datetime | None = None,
        *,
        create: bool = True,
        password: str | None = None,
    ) -> Self:
        """Open (creating or migrating) the database; with `now`, make the daily backup.

        A file that is not a Relance database is refused before a byte is written (InputError);
        a missing file is made only with `create` (else MissingDatabaseError): the command line
        and the window pass it when the user asked for a new database. A backup that fails is
        no reason to refuse the database: its reason is kept in `backup_problem`. `password`
        (a PostgreSQL ledger's, typed this session) goes beside the URL, never into it.
        """
        url = db.resolve_url(db_arg)
        path = db.sqlite_path(url)
        created = False
        if path is not None:
            created = db.check_database_file(path, create)
            if created:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise file_error("de créer", path, exc) from exc
            db.check_writable(path)
        if password is None and db.is_server(url):
            password = server.keyring_password(url)
        engine = db.make_engine(url, password)
        ledger = cls(engine, url)
        ledger.created = created
        try:
            ledger._prepare(now)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise db.storage_error(exc, path or db.display_url(url)) from exc
        except BaseException:
            engine.dispose()
            raise
        return ledger

    def _prepare(self, now: dt.datetime | None) -> None:
        """Migrate (a copy first), mark the file as ours, make the daily backup."""
        folder = self.backup_dir() if now is not None else None

        def before_upgrade() -> None:
            if folder is not None and now is not None:
                self._try_backup(
                    folder, lambda: copies.migration_copy(self.engine, folder, now, self._kept())
                )

        db.migrate(self.engine, before_upgrade)
        if db.sqlite_path(self.url) is not None:
            db.mark(self.engine)
        if folder is not None and now is not None:
            keep = self._kept()
            self._try_backup(folder, lambda: copies.daily_backup(self.engine, folder, now, keep))
        with self._read() as conn:
            self._seen_changes = changes.read(conn)

    def _kept(self) -> int:
        """How many copies of each kind are kept (the default before the settings exist)."""
        try:
            return int(self.setting("backups_kept"))
        except SQLAlchemyError:
            return db.DEFAULT_BACKUPS_KEPT

    def _try_backup(self, folder: Path, make: Callable[[], object]) -> None:
        """Run a backup; a failure is a warning kept in `backup_problem`, never a refusal.

        An unusable folder (drive unplugged, read-only) is named with its cause and the way
        out; another failure (disk full during the copy) says the file and the cause.
        """
        unusable = writable_folder_problem(folder)
        if unusable:
            self.backup_problem = (
                f"la sauvegarde n'a pas pu être faite : {unusable} ; branchez le disque ou "
                "choisissez un autre dossier"
            )
            return
        try:
            make()
        except (StorageError, InputError) as exc:
            self.backup_problem = f"la sauvegarde n'a pas pu être faite : {exc}"
        except (OSError, sqlite3.Error) as exc:
            self.backup_problem = f"la sauvegarde n'a pas pu être faite : {db.describe_error(exc)}"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- who works ---------------------------------------------------------------------------
    @property
    def user(self) -> str:
        """Who the history lines and changes are recorded for (issue 18).

        On a shared ledger (PostgreSQL) the database role, with the name chosen on this machine
        when one was ('Claire (relance)'); else the name chosen on this machine
        (models/user.py), by default the system login. Settable (tests, the window).
        """
        from models.user import local_user_name, recorded_name

        if self._user is None:
            role = ""
            if changes.is_postgresql(self.engine):
                with self._read() as conn:
                    role = str(conn.execute(text("SELECT current_user")).scalar() or "")
            self._user = recorded_name(role) if role else local_user_name()
        return self._user

    @user.setter
    def user(self, name: str) -> None:
        self._user = name

    def forget_user(self) -> None:
        """Work out the user again on next use (after a name was chosen on this machine)."""
        self._user = None

    @property
    def shared(self) -> bool:
        """Whether the ledger lives on a database server (several people at once)."""
        return changes.is_postgresql(self.engine)

    # -- sessions ----------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction: everything inside is committed together or not at all.

        It starts with BEGIN IMMEDIATE (waits its turn behind another writer); a database that
        stays busy, is read-only or full gives a StorageError in French, nothing written.
        The rows it changes get a new version (models/store/versions.py) and the change
        counter goes up by one (models/store/changes.py), in the same transaction.
        """
        from sqlmodel import Session

        from models.store import versions

        user, now = self.user, dt.datetime.now().astimezone().replace(microsecond=0)
        try:
            with (
                Session(db.writer(self.engine), expire_on_commit=False) as session,
                session.begin(),
            ):
                versions.watch(session, user, now)
                yield session
                session.flush()
                before = changes.bump(session.connection())
        except OperationalError as exc:
            raise db.storage_error(
                exc, db.sqlite_path(self.url) or db.server_name(self.url)
            ) from exc
        if self._seen_changes is not None and before != self._seen_changes:
            self._outside_change = True  # someone else wrote since this ledger last looked
        self._seen_changes = before + 1

    def others_changed(self) -> bool:
        """Whether another connection wrote since this ledger last looked (one cheap query).

        The window asks every few seconds and reloads its views when True; its own writes do
        not count.
        """
        with self._read() as conn:
            now = changes.read(conn)
        seen, outside = self._seen_changes, self._outside_change
        self._seen_changes, self._outside_change = now, False
        if outside or (seen is not None and now != seen):
            self._changed()  # settings and policies may have changed too: read them again
            self._rates = None
            return True
        return False

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _changed(self) -> None:
        self._policies = None

    # -- clients -----------------------------------------------------------------------------
    def add_client(self, name: str, kind: str = "b2b", **fields: Any) -> ClientId:
        """Create a client; refused (InputError) on a missing name, bad SIRET, bad e-mail."""
        from models.store.tables import Client
        from models.validation import check_client

        self._check_client_fields(fields)
        errors = check_client(
            name, kind, **_pick(fields, "siren", "siret", "email", "postal_code", "country")
        )
        if errors:
            raise InputError(errors)
        with self._write() as s:
            client = Client(name=" ".join(name.split()), kind=kind, **fields)
            s.add(client)
            s.flush()
            return ClientId(client.id)  # type: ignore[arg-type]

    def update_client(
        self, client_id: ClientId, *, expected_version: int | None = None, **changes: Any
    ) -> None:
        """Change a client's fields, validated like a new one.

        `expected_version`: the version the caller read; another change since is refused
        (ConflictError, issue 18).
        """
        from models.store import versions
        from models.store.tables import Client
        from models.validation import check_client

        self._check_client_fields(changes)
        with self._write() as s:
            client = versions.fetch(s, Client, client_id, "client", expected_version)
            merged = client.model_dump() | changes
            errors = check_client(
                merged["name"],
                merged["kind"],
                **_pick(merged, "siren", "siret", "email", "postal_code", "country"),
            )
            if errors:
                raise InputError(errors)
            for k, v in changes.items():
                setattr(client, k, v)
        self._changed()

    def archive_client(self, client_id: ClientId, archived: bool = True) -> None:
        """Hide a client and its invoices from the lists; nothing is deleted."""
        from models.store.tables import Client

        with self._write() as s:
            self._get(s, Client, client_id, "client").archived = archived

    def client(self, client_id: ClientId) -> Client:
        """One client record."""
        from sqlmodel import Session

        from models.store.tables import Client

        with Session(self.engine) as s:
            found: Client = self._get(s, Client, client_id, "client")
            return found

    def clients(self, include_archived: bool = False) -> list[Client]:
        """All clients by name, in French order (models.collation: É among the E)."""
        from sqlmodel import Session, col, select

        from models.store.tables import Client

        with Session(self.engine) as s:
            q = select(Client)
            if not include_archived:
                q = q.where(col(Client.archived).is_(False))
            return sorted(s.exec(q), key=lambda c: (sort_key(c.name), c.id or 0))

    def find_client(self, name: str) -> Client | None:
        """The client with this name, ignoring case and surrounding spaces."""
        from sqlmodel import Session, func, select

        from models.store.tables import Client

        key = " ".join(name.split()).lower()
        with Session(self.engine) as s:
            return s.exec(select(Client).where(func.lower(Client.name) == key)).first()

    def _check_client_fields(self, fields: dict[str, Any]) -> None:
        unknown = set(fields) - client_fields()
        if unknown:
            raise InputError(f"champs client inconnus : {', '.join(sorted(unknown))}")

    # -- contacts ----------------------------------------------------------------------------
    def add_contact(
        self,
        client_id: ClientId,
        name: str,
        role: str = "",
        phone: str = "",
        email: str = "",
        accounts_payable: bool = False,
    ) -> ContactId:
        """Add a person at the client; `accounts_payable`: reminders by e-mail go to them."""
        from models.store.tables import Client, Contact

        if not name.strip():
            raise InputError([FieldError("nom", "le nom du contact est obligatoire")])
        with self._write() as s:
            self._get(s, Client, client_id, "client")
            contact = Contact(
                client_id=client_id,
                name=name.strip(),
                role=role,
                phone=phone,
                email=email,
                accounts_payable=accounts_payable,
            )
            s.add(contact)
            s.flush()
            return ContactId(contact.id)  # type: ignore[arg-type]

    def update_contact(
        self, contact_id: ContactId, *, expected_version: int | None = None, **changes: Any
    ) -> None:
        """Change a contact's name, role, phone, e-mail or accounts-payable flag.

        `expected_version` as in update_client (a ConflictError when it changed meanwhile).
        """
        from models.store import versions
        from models.store.tables import Contact

        with self._write() as s:
            contact = versions.fetch(s, Contact, contact_id, "contact", expected_version)
            for k, v in changes.items():
                if k not in ("name", "role", "phone", "email", "accounts_payable"):
                    raise InputError(f"champ de contact inconnu : {k}")
                setattr(contact, k, v)

    def delete_contact(self, contact_id: ContactId) -> None:
        """Remove a contact (contacts carry no history)."""
        from models.store.tables import Contact

        with self._write() as s:
            s.delete(self._get(s, Contact, contact_id, "contact"))

    def contacts(self, client_id: ClientId) -> list[Contact]:
        """The client's contacts by name."""
        from sqlmodel import Session, select

        from models.store.tables import Contact

        with Session(self.engine) as s:
            q = select(Contact).where(Contact.client_id == client_id).order_by(Contact.name)
            return list(s.exec(q))

    # -- facts (what stages, penalties and letters read) -------------------------------------
    def facts(
        self,
        invoice_ids: Sequence[int] | None = None,
        client_id: int | None = None,
        owed_on: dt.date | None = None,
        settled_rows: list[StageRow] | None = None,
        include_archived: bool = False,
    ) -> list[InvoiceFacts]:
        """Invoice facts (payments, history, plan) for stages, penalties and letters.

        `owed_on`: only the invoices still owed on that date; the settled ones are left out, or
        appended to `settled_rows` as their "paid" stage row.
        """
        with self._read() as conn:
            return load_facts(
                conn,
                invoice_ids,
                client_id,
                include_archived=include_archived,
                owed_on=owed_on,
                settled_rows=settled_rows,
            )

    def policy_for(self, facts: InvoiceFacts) -> Policy:
        """The policy that applies to an invoice: its client's own, else the default."""
        return self.policy(facts.policy_name)

    @staticmethod
    def _get(s: Session, table: type[Any], key: int, what: str) -> Any:
        row = s.get(table, key)
        if row is None:
            raise NotFoundError(f"{what} introuvable (n° {key})")
        return row


def _pick(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: d[k] for k in keys if k in d and d[k] is not None}
