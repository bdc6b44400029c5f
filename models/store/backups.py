"""Backups of the SQLite file: checked copies written whole, pruning, and a checked restore."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from models.errors import InputError, StorageError
from models.files import atomic_write, cause, file_error, fsync_file, fsync_folder, temp_beside
from models.store import db
from models.store.identity import backup_reason, has_daily_backup

MIGRATION = "avant-migration"
RESTORE = "avant-restauration"
# Copies that are pruned beyond the number kept, each kind on its own: the daily ones and the
# ones made before an upgrade. Copies made before a restore are never deleted.
PRUNED = ("", MIGRATION)
PIECES = "pieces"  # the pièces' folder beside the database, and inside the backup folder


def _local_path(engine: Engine, what: str) -> Path:
    path = db.sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise InputError(f"{what} : seule une base SQLite locale peut être copiée")
    return path


def _copy_checked(
    source: Path, dest: Path, journal_delete: bool = False, make_folder: bool = True
) -> None:
    """Copy a SQLite file consistently to `dest` through a temporary file beside it.

    SQLite's online backup writes the temporary file; `PRAGMA integrity_check` reads it back;
    only then is it flushed and renamed. Any failure removes the temporary file: nothing is
    left under either name (StorageError naming the file and the cause).
    """
    try:
        if make_folder:
            dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_beside(dest)
    except OSError as exc:
        raise file_error("d'écrire", dest, exc) from exc
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                if journal_delete:
                    out.execute("PRAGMA journal_mode=DELETE")
                verdict = out.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                out.close()
        finally:
            src.close()
        if verdict != "ok":
            raise StorageError(
                f"la copie de {source} est endommagée ({verdict}) ; rien n'a été fait"
            )
        fsync_file(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        _remove(tmp)
        raise file_error("d'écrire", dest, exc) from exc
    except sqlite3.Error as exc:
        _remove(tmp)
        raise StorageError(f"impossible d'écrire {dest} : {_sqlite_cause(exc)}") from exc
    except BaseException:
        _remove(tmp)
        raise
    fsync_folder(dest.parent)


def _sqlite_cause(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "disque plein ; libérez de la place ou choisissez un autre disque"
    if "readonly" in text or "read-only" in text:
        return "dossier en lecture seule ; choisissez un autre emplacement"
    return str(exc)


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def backup(engine: Engine, backup_dir: Path, now: dt.datetime, reason: str = "") -> Path:
    """Copy the database into `backup_dir` (relance-AAAA-MM-JJ_HHMMSS[-reason].sqlite), checked."""
    path = _local_path(engine, "sauvegarde")
    suffix = f"-{reason}" if reason else ""
    dest = backup_dir / f"relance-{now:%Y-%m-%d_%H%M%S}{suffix}.sqlite"
    _copy_checked(path, dest)
    mirror_pieces(path.parent / PIECES, backup_dir / PIECES)
    return dest


def _copy_into(source: Path, tmp: Path) -> None:
    shutil.copyfile(source, tmp)


def mirror_pieces(source: Path, dest: Path) -> list[Path]:
    """Copy into `dest` the pièces it lacks (issue 16); returns the files copied.

    A piece's name is its SHA-256 (models/litigation/pieces.py) and a piece file is never
    changed or deleted, so a file already there under that name is the same: each is copied
    once, written whole, and one folder serves every backup kept.
    """
    if not source.is_dir():
        return []
    copied: list[Path] = []
    for piece in sorted(source.iterdir()):
        target = dest / piece.name
        if not piece.is_file() or piece.name.startswith(".") or target.is_file():
            continue
        try:
            dest.mkdir(parents=True, exist_ok=True)
            atomic_write(target, functools.partial(_copy_into, piece))
        except OSError as exc:
            raise file_error("de sauvegarder la pièce", piece, exc) from exc
        copied.append(target)
    return copied


def backup_to(engine: Engine, dest: Path) -> Path:
    """Copy the database to a file the user named (`main.py backup -o FILE`), checked."""
    _copy_checked(_local_path(engine, "sauvegarde"), dest, make_folder=False)
    return dest


def list_backups(backup_dir: Path) -> list[Path]:
    """Backups in `backup_dir`, newest first."""
    try:
        if not backup_dir.is_dir():
            return []
        return sorted(backup_dir.glob("relance-*.sqlite"), reverse=True)
    except OSError:
        return []


def prune_backups(backup_dir: Path, keep: int) -> list[Path]:
    """Delete the oldest daily and pre-upgrade copies beyond `keep` each; safety copies stay."""
    removed: list[Path] = []
    found = list_backups(backup_dir)
    for kind in PRUNED:
        removed += [p for p in found if backup_reason(p) == kind][keep:]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def daily_backup(engine: Engine, backup_dir: Path, now: dt.datetime, keep: int) -> Path | None:
    """Make today's backup unless one exists already; keep the newest `keep` daily copies."""
    path = db.sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or not path.exists():
        return None
    if has_daily_backup(list_backups(backup_dir), now):
        return None
    made = backup(engine, backup_dir, now)
    prune_backups(backup_dir, keep)
    return made


def migration_copy(engine: Engine, backup_dir: Path, now: dt.datetime, keep: int) -> Path | None:
    """The copy before an upgrade, unless the last one already holds this very file.

    An upgrade that failed left the file as it was (one transaction): the copy made before it
    still holds that content, so another attempt makes no new copy. The last copy is reused
    when it holds the same rows as the file.
    """
    path = _local_path(engine, "sauvegarde")
    previous = [p for p in list_backups(backup_dir) if backup_reason(p) == MIGRATION]
    if previous and _unchanged_since(path, previous[0]):
        return previous[0]
    made = backup(engine, backup_dir, now, reason=MIGRATION)
    prune_backups(backup_dir, keep)
    return made


def _unchanged_since(path: Path, copy: Path) -> bool:
    try:
        return _content_digest(path) == _content_digest(copy)
    except (OSError, sqlite3.Error):
        return False


def _content_digest(path: Path) -> str:
    """A digest of every row of every table (and the schema), read-only: same data, same digest.

    The files' bytes differ between a copy and its source (header counters), their rows not.
    """
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        schema = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='table' ORDER BY name"
        ).fetchall()
        for name, sql in schema:
            if name.startswith("stagecache"):
                continue  # derived rows (models/store/stage_cache.py): the same ledger without
            digest.update(repr((name, sql)).encode())
            if name.startswith("sqlite_"):
                continue
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def check_candidate(source: Path) -> None:
    """Refuse (InputError, nothing changed) a file that is not a Relance backup we can read.

    It must be a SQLite file, intact (`PRAGMA integrity_check`), marked as Relance's (or an
    older Relance file), at a schema revision this version knows.
    """
    if not source.is_file():
        raise InputError(f"restauration : fichier introuvable : {source}")
    try:
        found = db.read_identity(source, check=True)
    except InputError as exc:
        raise InputError(
            f"restauration refusée : {source.name} n'est pas une sauvegarde Relance ({exc})"
        ) from exc
    except OSError as exc:
        raise InputError(f"restauration refusée : {source} illisible ({cause(exc)})") from exc
    if not found.intact:
        raise InputError(
            f"restauration refusée : {source.name} est endommagée (copie incomplète ?) ; "
            "choisissez une autre sauvegarde"
        )
    not_ours = InputError(
        f"restauration refusée : {source.name} n'est pas une sauvegarde Relance ; "
        "choisissez un fichier relance-….sqlite"
    )
    if found.application_id != db.APPLICATION_ID:
        if not db.is_relance(found):
            raise not_ours
        return
    newer = db.newer_message(found, "cette sauvegarde")
    if newer:
        raise InputError(f"restauration refusée : {newer} ; rien n'a été changé")
    if found.revision is None:
        raise not_ours


def restore(engine: Engine, source: Path, backup_dir: Path, now: dt.datetime) -> Path:
    """Replace the database by a checked backup; a safety copy of the current one comes first.

    The backup is copied beside the live file, checked and flushed, then renamed over it (the
    live file is never half-written). The live file must be free: another window or program
    using it refuses the restore (StorageError), nothing changed. Returns the safety copy.
    """
    path = _local_path(engine, "restauration")
    source = Path(source)
    check_candidate(source)
    safety = backup(engine, backup_dir, now, reason=RESTORE)
    engine.dispose()
    staged = path.parent / f".{path.name}.restauration.tmp"
    _copy_checked(source, staged, journal_delete=True)
    try:
        _release_wal(path)
        os.replace(staged, path)
    except OSError as exc:
        _remove(staged)
        raise file_error("de remplacer", path, exc) from exc
    except BaseException:
        _remove(staged)
        raise
    fsync_folder(path.parent)
    # The pièces the restored database names come back too (issue 16): those of the backup's
    # folder missing beside the database (a new computer); none is ever replaced or deleted.
    mirror_pieces(source.parent / PIECES, path.parent / PIECES)
    return safety


def _release_wal(path: Path) -> None:
    """Fold the live file's WAL into it and leave WAL mode, proving no one else has it open.

    Renaming a file over one that still has a -wal would let SQLite replay the old journal
    onto the restored content; leaving WAL mode needs the only connection, so it also tells
    that no other window or program is using the base.
    """
    conn = sqlite3.connect(path, timeout=db.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise StorageError(db.BUSY_MESSAGE)
    except sqlite3.OperationalError as exc:
        raise StorageError(db.describe_error(exc, path)) from exc
    finally:
        conn.close()
