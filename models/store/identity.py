"""What makes a file a current Relance database, with no SQLAlchemy import (fast read paths).

`models.store.db` re-exports these names; `models.store.quick` uses them to tell, with a few
PRAGMAs and one row, whether opening the full Ledger would change anything.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

APP_NAME = "Relance"
DB_FILENAME = "relance.sqlite"
# How long a write waits for another window or program to finish its own (milliseconds).
BUSY_TIMEOUT_MS = 5000
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# `PRAGMA application_id` of every Relance database: the ASCII letters "RLNC" (0x524C4E43),
# stored at offset 68 of the file header. A file with another id belongs to another program.
APPLICATION_ID = 0x524C4E43
# The Relance version that last created or upgraded a database, in `PRAGMA user_version` as
# major * 10000 + minor * 100 + patch: an older Relance names the newer one it cannot open.
# Keep in step with pyproject.toml.
VERSION = (0, 1, 0)

_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w.]*)['\"]?", re.MULTILINE)


def version_code(version: tuple[int, int, int] = VERSION) -> int:
    """A version as the integer kept in `PRAGMA user_version` (0.1.0 -> 100)."""
    major, minor, patch = version
    return major * 10000 + minor * 100 + patch


@functools.cache
def shipped_in(folder: Path) -> tuple[str, frozenset[str]]:
    """(head, every revision) of the migrations shipped, read from their files' text.

    Alembic itself (about 0.2 s to import) is loaded only when a schema must change; a command
    on a current database reads one row and compares. The chain is linear: the head is the one
    revision no other names as its `down_revision`.
    """
    revisions, parents = set(), set()
    for script in (folder / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision") not in (None, "", "None"):
                parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations : une seule tête attendue, trouvées {sorted(heads)}")
    return next(iter(heads)), frozenset(revisions)


def default_db_path() -> Path:
    """The user's database file, in the platform's user data folder."""
    import platformdirs  # here, not at the top: the light CLI path imports this module

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def backup_reason(path: Path) -> str:
    """The reason in a backup's name: '' (daily), 'avant-migration', 'avant-restauration'.

    A backup is `relance-AAAA-MM-JJ_HHMMSS[-reason].sqlite` (models/store/backups.py).
    """
    return path.stem.removeprefix("relance-")[18:].removeprefix("-")


def has_daily_backup(names: list[Path], day: object) -> bool:
    """Whether one of these backup files is the daily copy of `day` (a date)."""
    prefix = f"relance-{day:%Y-%m-%d}"
    return any(p.name.startswith(prefix) and backup_reason(p) == "" for p in names)
