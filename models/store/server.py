"""A shared ledger's address on a PostgreSQL server, and its password kept in the keyring.

The address (server, port, database, user, sslmode) is a URL without password: it may be kept
in the window's settings. The password never is: it lives in the system keyring, or libpq
finds it itself (~/.pgpass, PGPASSWORD, a PGSERVICE service file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from sqlalchemy import text

from models.errors import FieldError, InputError
from models.store import db

KEYRING_SERVICE = "Relance PostgreSQL"
DEFAULT_PORT = 5432
# libpq's sslmode values: `prefer` (its default) encrypts when the server offers it.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_NAME = re.compile(r"^[A-Za-z0-9_.\-@]+$")


@dataclass(frozen=True)
class ServerAddress:
    """Where a shared ledger lives; `url()` never holds a password."""

    host: str
    database: str = "relance"
    user: str = ""
    port: int = DEFAULT_PORT
    sslmode: str = "prefer"

    def url(self) -> str:
        """postgresql://user@host:port/database?sslmode=... (what `--db` takes)."""
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?sslmode={self.sslmode}" if self.sslmode != "prefer" else ""
        return f"postgresql://{user}{host}:{self.port}/{quote(self.database, safe='')}{query}"

    def key(self) -> str:
        """The password's name in the keyring: user@host:port/database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_url(cls, url: str) -> ServerAddress:
        """The address of a postgresql:// URL (a password in it is ignored)."""
        parts = urlsplit(url)
        sslmode = parse_qs(parts.query).get("sslmode", ["prefer"])[0]
        return cls(
            host=parts.hostname or "",
            database=unquote(parts.path.lstrip("/")),
            user=unquote(parts.username or ""),
            port=parts.port or DEFAULT_PORT,
            sslmode=sslmode,
        )


def check_address(address: ServerAddress) -> list[FieldError]:
    """What is wrong with an address, field by field (an empty list when it is usable)."""
    errors = []
    if not address.host.strip():
        errors.append(FieldError("serveur", "indiquez le nom ou l'adresse du serveur"))
    elif any(c.isspace() for c in address.host):
        errors.append(FieldError("serveur", "le nom du serveur ne contient pas d'espace"))
    if not 1 <= address.port <= 65535:
        errors.append(FieldError("port", "un port va de 1 à 65535 (PostgreSQL : 5432)"))
    if not address.database or not _NAME.match(address.database):
        errors.append(
            FieldError("base", "indiquez le nom de la base (lettres, chiffres, _ . -), ex. relance")
        )
    if address.user and not _NAME.match(address.user):
        errors.append(FieldError("utilisateur", "lettres, chiffres et _ . - @ seulement"))
    if address.sslmode not in SSL_MODES:
        errors.append(FieldError("sslmode", f"une de ces valeurs : {', '.join(SSL_MODES)}"))
    return errors


def _keyring_usable() -> bool:
    """Whether a real keyring backend is there (none on a headless Linux)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def keyring_password(url: str) -> str | None:
    """The password kept in the keyring for this address, or None (libpq looks further)."""
    if not _keyring_usable():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, ServerAddress.from_url(url).key())
    except KeyringError:
        return None


def store_password(address: ServerAddress, password: str) -> bool:
    """Keep the password in the keyring; False when the system has none (then ~/.pgpass)."""
    if not _keyring_usable():
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, address.key(), password)
    except KeyringError:
        return False
    return True


def try_connection(address: ServerAddress, password: str | None = None) -> str:
    """Connect once and say what was found, in French; InputError with the reason if not.

    "connexion réussie : base vide" / "registre Relance de 12 clients" / "base non vide".
    """
    from sqlalchemy import create_engine, inspect

    errors = check_address(address)
    if errors:
        raise InputError(errors)
    args: dict[str, object] = {"connect_timeout": db.CONNECT_TIMEOUT_S}
    if password:
        args["password"] = password
    engine = create_engine(db.driver_url(address.url()), connect_args=args)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if not names:
                return "connexion réussie : la base est vide (Relance y créera le registre)"
            if "invoice" in names and "client" in names:
                clients = conn.execute(text("SELECT count(*) FROM client")).scalar_one()
                return f"connexion réussie : registre Relance, {clients} client(s)"
            return "connexion réussie, mais cette base contient les tables d'un autre programme"
    except Exception as exc:  # any driver failure is told in French, never raised as is
        raise InputError(db.describe_error(exc, address.url())) from exc
    finally:
        engine.dispose()
