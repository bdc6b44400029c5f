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


def stored_user_name() -> str:
    """The name chosen on this machine, '' when none was chosen (or the file is unreadable)."""
    try:
        data = json.loads(user_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    name = data.get("name", "") if isinstance(data, dict) else ""
    return name.strip() if isinstance(name, str) else ""


def local_user_name() -> str:
    """Who works here: $RELANCE_USER, else the name chosen on this machine, else the login."""
    return os.environ.get("RELANCE_USER", "").strip() or stored_user_name() or login_name()


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
    path = user_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error("de créer le dossier", path.parent, exc) from exc
    text = json.dumps({"name": " ".join(name.split())}, ensure_ascii=False)
    return atomic_write(path, text.encode("utf-8"))
