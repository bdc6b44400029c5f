"""Who is working on this machine: the name each history line carries (issue 18).

On a shared ledger (PostgreSQL) the database role names the person; on a SQLite file it is a
name chosen on this machine, by default the system login. It is kept in the machine's own
settings folder (`utilisateur.json`), never in the ledger: two machines may share one file.
`RELANCE_USER` overrides it (scripts, tests).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import platformdirs

from models.errors import FieldError, InputError
from models.files import atomic_write, file_error

USER_FILE = "utilisateur.json"
MAX_LENGTH = 60


def user_file() -> Path:
    """The file that keeps this machine's user name ($RELANCE_CONFIG_DIR, else the platform's)."""
    folder = os.environ.get("RELANCE_CONFIG_DIR") or platformdirs.user_config_dir(
        "Relance", appauthor=False
    )
    return Path(folder) / USER_FILE


def login_name() -> str:
    """The system login ('marie'), or 'utilisateur' when the system does not say."""
    try:
        return getpass.getuser() or "utilisateur"
    except (OSError, KeyError, ImportError):
        return "utilisateur"


def _stored() -> dict[str, object]:
    """What `utilisateur.json` holds, {} when missing or unreadable."""
    try:
        data = json.loads(user_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def stored_user_name() -> str:
    """The name chosen on this machine, '' when none was chosen (or the file is unreadable)."""
    name = _stored().get("name", "")
    return name.strip() if isinstance(name, str) else ""


def chosen_user_name() -> str:
    """The name someone chose for this machine ($RELANCE_USER, else the kept one), else ''."""
    return os.environ.get("RELANCE_USER", "").strip() or stored_user_name()


def name_asked() -> bool:
    """Whether this machine was already asked for its user's name (answered or cancelled)."""
    return bool(chosen_user_name()) or _stored().get("asked") is True


def should_ask_name(shared: bool, others_in_history: bool) -> bool:
    """Ask for a name at start: never asked here yet, and several people write the ledger.

    Several people: a shared (server) ledger, or a file whose history already holds lines
    written under another name. One person on their own file is never asked.
    """
    return not name_asked() and (shared or others_in_history)


def mark_name_asked() -> Path:
    """Remember the question was asked and cancelled: the login stays, no question again."""
    data = _stored()
    data["asked"] = True
    return _write(data)


def local_user_name() -> str:
    """Who works here: $RELANCE_USER, else the name chosen on this machine, else the login."""
    return chosen_user_name() or login_name()


def recorded_name(role: str) -> str:
    """The name history lines carry on a server ledger: the role, with the chosen name if any.

    The role is what the server checked (it cannot be typed in); the name chosen on this
    machine tells people apart when the office shares one role: 'Claire (relance)'.
    """
    chosen = chosen_user_name()
    if not chosen or chosen.casefold() == role.casefold():
        return role
    return f"{chosen} ({role})"


def check_user_name(name: str) -> list[FieldError]:
    """Why a user name is refused: empty, too long, or on several lines."""
    value = name.strip()
    if not value:
        return [FieldError("utilisateur", "indiquez un nom (il figure sur l'historique)")]
    if len(value) > MAX_LENGTH:
        return [FieldError("utilisateur", f"{MAX_LENGTH} caractères au plus")]
    if any(ch in value for ch in "\r\n\t"):
        return [FieldError("utilisateur", "un nom sur une seule ligne")]
    return []


def set_local_user_name(name: str) -> Path:
    """Keep the name chosen on this machine (InputError when refused); the file written."""
    errors = check_user_name(name)
    if errors:
        raise InputError(errors)
    return _write({"name": " ".join(name.split()), "asked": True})


def _write(data: dict[str, object]) -> Path:
    """Write `utilisateur.json` (its folder made when missing); the file written."""
    path = user_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error("de créer le dossier", path.parent, exc) from exc
    text = json.dumps(data, ensure_ascii=False)
    return atomic_write(path, text.encode("utf-8"))
