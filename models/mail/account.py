"""The sending account: SMTP server, security, sender; the password only in the keyring.

The account is stored as the "email" setting (JSON, no password). The password is read from
the system keyring (`keyring` package), else from $RELANCE_SMTP_PASSWORD (scripts), else it
must be typed for the session: it is never written in the database or a settings file.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from typing import Any

from models.errors import FieldError, InputError

SSL = "ssl"  # SMTP over TLS from the first byte (port 465)
STARTTLS = "starttls"  # plain connection upgraded by STARTTLS (port 587)
NONE = "none"  # no encryption: only to a server on this machine (tests, local relay)
SECURITIES = (SSL, STARTTLS, NONE)
SECURITY_LABELS = {SSL: "SSL/TLS", STARTTLS: "STARTTLS", NONE: "Aucune (serveur local)"}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
COPY_MODES = ("", "cc", "bcc")  # copy of each message to the sender: none, Cc or Bcc

KEYRING_SERVICE = "Relance SMTP"
PASSWORD_ENV = "RELANCE_SMTP_PASSWORD"

# An address as the tests and the forms accept it: one @, no space, no control character,
# a dot in the domain (or a local host name for a test server).
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_address(text: str, field: str) -> list[FieldError]:
    """Errors in one e-mail address (empty list when it is acceptable)."""
    if _CONTROL.search(text):
        return [FieldError(field, "caractère de contrôle interdit (retour à la ligne...)")]
    if not _ADDRESS.fullmatch(text.strip()):
        return [FieldError(field, f"« {text} » n'est pas une adresse e-mail valide")]
    return []


@dataclass(frozen=True)
class MailAccount:
    """The SMTP account the reminders are sent through (the password is not here)."""

    host: str
    port: int
    security: str
    user: str
    sender: str
    sender_name: str = ""
    reply_to: str = ""
    copy_to_self: str = ""  # "", "cc" or "bcc"
    read_receipt: bool = False  # Disposition-Notification-To, off by default
    timeout_s: int = 30

    def to_json(self) -> dict[str, Any]:
        """The stored form of the account (never a password)."""
        return asdict(self)


ACCOUNT_FIELDS = tuple(MailAccount.__dataclass_fields__)


def check_account(value: Any) -> list[FieldError]:
    """Errors in an account as stored or typed (a JSON object); a password is refused."""
    if value in ({}, None, ""):
        return []  # no account: the e-mail steps fall back to drafts
    if not isinstance(value, dict):
        return [FieldError("email", "objet JSON attendu (host, port, security, sender...)")]
    errors: list[FieldError] = []
    if "password" in value:
        errors.append(
            FieldError(
                "email.password",
                "le mot de passe n'est jamais enregistré dans la base : il va dans le trousseau "
                f"du système, ou dans la variable {PASSWORD_ENV} pour un script",
            )
        )
    unknown = set(value) - set(ACCOUNT_FIELDS) - {"password"}
    if unknown:
        errors.append(FieldError("email", f"champs inconnus : {', '.join(sorted(unknown))}"))
    host = str(value.get("host", "")).strip()
    if not host or _CONTROL.search(host) or " " in host:
        errors.append(FieldError("email.host", "nom du serveur SMTP manquant ou invalide"))
    port = value.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        errors.append(FieldError("email.port", "port entre 1 et 65535 attendu (465, 587, 25)"))
    security = value.get("security", "")
    if security not in SECURITIES:
        errors.append(FieldError("email.security", "sécurité : ssl, starttls ou none"))
    elif security == NONE and host not in LOCAL_HOSTS:
        # The password and the client's data would cross the network in clear.
        errors.append(
            FieldError(
                "email.security",
                "sans chiffrement, seul un serveur sur cet ordinateur (localhost) est accepté",
            )
        )
    user = value.get("user", "")
    if not isinstance(user, str) or _CONTROL.search(user):
        errors.append(FieldError("email.user", "identifiant invalide"))
    errors += check_address(str(value.get("sender", "")), "email.sender")
    for key in ("reply_to",):
        if value.get(key):
            errors += check_address(str(value[key]), f"email.{key}")
    name = value.get("sender_name", "")
    if not isinstance(name, str) or _CONTROL.search(name):
        errors.append(FieldError("email.sender_name", "retour à la ligne interdit dans le nom"))
    if value.get("copy_to_self", "") not in COPY_MODES:
        errors.append(FieldError("email.copy_to_self", "copie : vide, cc ou bcc"))
    if not isinstance(value.get("read_receipt", False), bool):
        errors.append(FieldError("email.read_receipt", "vrai ou faux attendu"))
    timeout = value.get("timeout_s", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 300:
        errors.append(FieldError("email.timeout_s", "délai entre 1 et 300 secondes"))
    return errors


def account_from(value: Any) -> MailAccount | None:
    """The account stored in the "email" setting; None when none is set."""
    if value in ({}, None, ""):
        return None
    errors = check_account(value)
    if errors:
        raise InputError(errors)
    fields = {k: value[k] for k in ACCOUNT_FIELDS if k in value}
    fields["host"] = str(fields["host"]).strip()
    return MailAccount(**fields)


class NoPasswordError(InputError):
    """No password found for the account: the interface asks for it for the session."""


class Passwords:
    """Where the account's password is read and kept: keyring, environment, or this session.

    `backend_ok` is False when the system has no keyring (headless Linux): the password is then
    asked each session and kept in memory only, never written in clear.
    """

    def __init__(self) -> None:
        self._session: dict[str, str] = {}

    @staticmethod
    def _key(account: MailAccount) -> str:
        return f"{account.user or account.sender}@{account.host}:{account.port}"

    @staticmethod
    def backend_ok() -> bool:
        """Whether a real keyring backend is available to keep the password."""
        try:
            import keyring
            from keyring.backends import fail
        except ImportError:
            return False
        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and backend.priority > 0

    def get(self, account: MailAccount) -> str | None:
        """The password: this session's, the keyring's, then $RELANCE_SMTP_PASSWORD; or None."""
        key = self._key(account)
        if key in self._session:
            return self._session[key]
        if self.backend_ok():
            import keyring
            from keyring.errors import KeyringError

            try:
                found = keyring.get_password(KEYRING_SERVICE, key)
            except KeyringError:
                found = None
            if found is not None:
                return found
        return os.environ.get(PASSWORD_ENV)

    def set(self, account: MailAccount, password: str, remember: bool = True) -> bool:
        """Keep the password: in the keyring when asked and possible, else for this session.

        Returns True when it went to the keyring.
        """
        key = self._key(account)
        self._session[key] = password
        if not remember or not self.backend_ok():
            return False
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, key, password)
        except KeyringError:
            return False
        return True

    def require(self, account: MailAccount) -> str:
        """The password, or "" when the account has no user name; NoPasswordError if none."""
        if not account.user:
            return ""
        found = self.get(account)
        if found is None:
            where = (
                "enregistrez-le dans Paramètres > E-mail (trousseau du système)"
                if self.backend_ok()
                else "aucun trousseau n'est disponible sur ce système : saisissez-le pour la "
                f"session, ou définissez {PASSWORD_ENV}"
            )
            raise NoPasswordError(
                [
                    FieldError(
                        "mot de passe", f"mot de passe SMTP inconnu pour {account.user} ; {where}"
                    )
                ]
            )
        return found
