"""Files written whole or not at all (models/files.py), and their errors in French."""

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from models.errors import FileError, StorageError
from models.files import atomic_write, cause, file_error, writable_folder_problem

ROOT = Path(__file__).resolve().parents[2]


def test_atomic_write_replaces_whole_and_leaves_no_temp(tmp_path):
    out = tmp_path / "lettre.pdf"
    atomic_write(out, b"premier")
    atomic_write(out, lambda tmp: tmp.write_bytes(b"second"))
    assert out.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["lettre.pdf"]


def test_a_failing_writer_keeps_the_old_file(tmp_path):
    out = tmp_path / "export.csv"
    out.write_bytes(b"ancien")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"moiti")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(FileError) as failed:
        atomic_write(out, half_then_fail)
    assert str(failed.value) == (
        f"impossible d'écrire {out} : disque plein ; libérez de la place ou choisissez un "
        "autre disque"
    )
    assert isinstance(failed.value, OSError)  # the interface's file handlers still catch it
    assert out.read_bytes() == b"ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_errors_name_the_path_and_the_cause(tmp_path):
    with pytest.raises(StorageError, match="dossier introuvable"):
        atomic_write(tmp_path / "absent" / "x.pdf", b"x")
    with pytest.raises(StorageError, match="c'est un dossier"):
        atomic_write(tmp_path, b"x")
    assert cause(OSError(errno.EROFS, "Read-only file system")) == "disque en lecture seule"
    told = str(file_error("d'écrire", "/x.pdf", PermissionError(errno.EACCES, "denied")))
    assert told.startswith("impossible d'écrire /x.pdf : accès refusé")


def test_a_backup_folder_must_be_usable(tmp_path):
    assert writable_folder_problem(tmp_path / "neuf") is None
    assert (tmp_path / "neuf").is_dir()
    (tmp_path / "f").write_text("")
    assert "est un fichier" in writable_folder_problem(tmp_path / "f")
    assert "n'est pas utilisable" in writable_folder_problem(tmp_path / "f" / "sous")


DISK_FULL_PDF = """
import datetime as dt, resource, signal, sys
from pathlib import Path
from models.errors import StorageError
from models.files import atomic_write
from reports.aged_balance import render_aged_balance
from reports.samples import sample_aged_balance
pdf = render_aged_balance(sample_aged_balance(), "Atelier Exemple")
assert len(pdf) > 4096
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit a write fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
try:
    atomic_write(Path(sys.argv[1]), pdf)
except StorageError as exc:
    print(exc)
    sys.exit(3)
"""


def test_disk_full_during_a_pdf_leaves_no_file_under_its_name(tmp_path):
    # Issue 12, item 7: a full disk used to leave a truncated letter in the archive.
    out = tmp_path / "balance.pdf"
    proc = subprocess.run(
        [sys.executable, "-c", DISK_FULL_PDF, str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.startswith(f"impossible d'écrire {out} : ")
    assert list(tmp_path.iterdir()) == []


def test_a_device_is_written_to_never_replaced():
    """`-o /dev/null`: renaming a temporary file over it would make /dev/null a plain file."""
    import stat

    atomic_write("/dev/null", b"rien")
    atomic_write("/dev/null", lambda p: p.write_bytes(b"rien non plus"))
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_pipe_gets_the_bytes_and_stays_a_pipe(tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, b"%PDF-1.4 ...")
    reader.join(timeout=10)
    assert received == [b"%PDF-1.4 ..."]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tube"]  # no temporary file left
