"""Files written whole or not at all, and file errors said in French.

Rule of trust: a file is written to a temporary name in the same folder, flushed to the disk,
then renamed over the final name; a failure (disk full, read-only folder) leaves the final name
as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from models.errors import FileError, InputError

Writer = Callable[[Path], object]

# The cause of an OSError in a few French words, by errno.
CAUSES = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota du disque dépassé",
    errno.EFBIG: "fichier trop grand pour ce disque ou ce système",
    errno.EROFS: "disque en lecture seule",
    errno.EACCES: "accès refusé (fichier ou dossier en lecture seule)",
    errno.EPERM: "accès refusé (fichier ou dossier en lecture seule)",
    errno.ENOENT: "dossier introuvable (disque débranché ?)",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.EIO: "erreur de lecture ou d'écriture du disque",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}
ADVICE = {
    errno.ENOSPC: "libérez de la place ou choisissez un autre disque",
    errno.EDQUOT: "libérez de la place ou choisissez un autre disque",
    errno.EROFS: "choisissez un autre emplacement",
    errno.EACCES: "choisissez un autre emplacement ou vérifiez les droits",
    errno.EPERM: "choisissez un autre emplacement ou vérifiez les droits",
    errno.ENOENT: "vérifiez que le disque est branché ou choisissez un autre emplacement",
}


def cause(exc: OSError) -> str:
    """The cause of a file error in French ('disque plein'), else the system's own words."""
    if exc.errno in CAUSES:
        return CAUSES[exc.errno]
    return exc.strerror or exc.__class__.__name__


def file_error(action: str, path: Path | str, exc: OSError) -> FileError:
    """'impossible d'écrire /x/y.pdf : disque plein ; libérez de la place…' as a FileError."""
    advice = ADVICE.get(exc.errno or 0, "")
    where = f" {path}" if str(path) else ""
    text = f"impossible {action}{where} : {cause(exc)}" + (f" ; {advice}" if advice else "")
    return FileError(text)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a system without folder handles just skips it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """The final file's permissions: the old file's, else the usual ones under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def temp_beside(path: Path) -> Path:
    """A new empty file, hidden, in the same folder as `path` (so the rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def fsync_file(path: Path) -> None:
    """Flush a file's content to the disk."""
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def atomic_write(path: Path | str, data: bytes | Writer) -> Path:
    """Write `data` (bytes, or a function that writes the path it is given) to `path` whole.

    The content goes to a temporary file beside `path`, is flushed and renamed; on any file
    error the temporary file is removed, `path` keeps its old content (or stays absent) and a
    FileError names the path and the cause ("disque plein").
    """
    path = Path(path)
    if path.is_dir():
        raise file_error("d'écrire", path, IsADirectoryError(errno.EISDIR, "is a directory"))
    if path.exists() and not path.is_file():
        return _write_through(path, data)
    try:
        tmp = temp_beside(path)
    except OSError as exc:
        raise file_error("d'écrire", path, exc) from exc
    try:
        if isinstance(data, bytes | bytearray):
            with tmp.open("wb") as fh:
                fh.write(data)
        else:
            data(tmp)
        fsync_file(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, FileError):
            raise
        raise file_error("d'écrire", path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(path.parent)
    return path


def _write_through(path: Path, data: bytes | Writer) -> Path:
    """Write to a device or a pipe (`-o /dev/null`, `-o /dev/stdout`) as it is: renaming a
    temporary file over it would replace the device itself with a plain file."""
    try:
        if isinstance(data, bytes | bytearray):
            with path.open("wb") as fh:
                fh.write(data)
        else:
            data(path)
    except OSError as exc:
        if isinstance(exc, FileError):
            raise
        raise file_error("d'écrire", path, exc) from exc
    return path


def writable_folder_problem(folder: Path) -> str | None:
    """Why `folder` cannot hold files (French), or None: it must exist or be made, and be writable.

    The folder is created when missing; writing is tried with a temporary file, removed at once.
    """
    if folder.exists() and not folder.is_dir():
        return f"« {folder} » est un fichier, pas un dossier"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = temp_beside(folder / "essai")
        probe.unlink()
    except OSError as exc:
        return f"le dossier « {folder} » n'est pas utilisable : {cause(exc)}"
    return None


def read_bytes(path: Path) -> bytes:
    """A file to read whole (an import, a statement): a missing, empty or unreadable one is an
    InputError naming it."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name} : fichier introuvable ({path})") from None
    except IsADirectoryError:
        raise InputError(f"{name} : c'est un dossier, pas un fichier") from None
    except OSError as exc:
        raise InputError(f"{name} : lecture impossible ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{name} : fichier vide")
    return data
