"""The invoice table read ahead, in a child process, while the window's modules load.

Before the window can read a row it imports Qt, SQLAlchemy and its own modules (about 0.8 s);
reading 100,000 stage rows into the table's columns takes about as long again, all of it under
one interpreter lock. On Linux the window's start forks, before any thread or Qt exists, a
child that reads the table through the light reader (plain sqlite3, the stage cache) and sends
it back through a pipe: the two run on two cores. The page takes the table only when it is
surely the one it would read itself (same file, same day, and the stage cache's epoch, which
every write that can change a stage moves, the same as when the child started and finished);
otherwise, or when anything went wrong in the child, it reads as always. No Qt, no ORM here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # imported by the child (and by the window's modules), after the fork
    from ui.tables.invoice_index import InvoiceIndex

# Set to 0: no read ahead (the table is read after the window's modules, as before).
AHEAD_ENV = "RELANCE_READ_AHEAD"
WAIT_S = 600.0  # the child reads what the page would: waiting for it is never slower
_HEAD = struct.Struct("<Q")  # the length of the pickled table, before it


class Ahead:
    """A child reading the table as of one day; `take` hands its index over, once."""

    def __init__(self, pid: int, fd: int, path: Path, as_of: dt.date) -> None:
        self.pid, self.path, self.as_of = pid, path, as_of
        self._fd = fd
        self._payload: bytearray | None = None
        self._status: int | None = None
        self._taken = False
        # Drains the pipe as the child writes (a full pipe would stop it); reading lets the
        # interpreter lock go, so the window's imports go on meanwhile.
        self._drain = threading.Thread(target=self._read, name="relance-ahead", daemon=True)
        self._drain.start()

    def _read(self) -> None:
        """The child's table, its length first: read into one buffer of that length (at a
        million invoices, no second copy of a hundred megabytes)."""
        try:
            with open(self._fd, "rb", buffering=0) as pipe:
                head = _read_into(pipe, bytearray(_HEAD.size))
                if head is not None:
                    self._payload = _read_into(pipe, bytearray(_HEAD.unpack(head)[0]))
        except OSError:
            self._payload = None
        finally:
            with contextlib.suppress(ChildProcessError):  # reaped elsewhere: status unknown
                self._status = os.waitpid(self.pid, 0)[1]

    def finished(self, timeout: float | None = None) -> bool:
        """Whether the child is done (sent its table, or gave up), waiting up to `timeout`."""
        self._drain.join(timeout)
        return not self._drain.is_alive()

    def take(
        self, path: Path | None, as_of: dt.date, epoch_now: Callable[[], int | None]
    ) -> InvoiceIndex | None:
        """The child's index when it is the table of `path` on `as_of` as the database
        stands now (`epoch_now()`: the stage cache's epoch read by the caller); else None.

        Waits for the child (it does what the caller would do instead). Once only.
        """
        from ui.tables.invoice_index import InvoiceIndex

        if self._taken:
            return None
        self._taken = True
        if not self.finished(WAIT_S) or self._status != 0 or self._payload is None:
            self.discard()
            return None
        payload, self._payload = self._payload, None
        try:
            epoch, index = pickle.loads(payload)
        except Exception:  # a half-written pipe: read as always
            return None
        if path is None or path.resolve() != self.path or as_of != self.as_of:
            return None
        if not isinstance(index, InvoiceIndex) or epoch is None or epoch_now() != epoch:
            return None
        return index

    def discard(self) -> None:
        """Stop the child if it still runs (the window closed, another database opened)."""
        self._taken = True
        if self._drain.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self._drain.join(5.0)
        self._payload = None


def _read_into(pipe: BinaryIO, buffer: bytearray) -> bytearray | None:
    """`buffer` filled from the pipe; None when the pipe closed before (the child gave up)."""
    view, done = memoryview(buffer), 0
    while done < len(buffer):
        got = pipe.readinto(view[done:])
        if not got:
            return None
        done += got
    return buffer


def send(fd: int, payload: bytes) -> None:
    """Write one table to the pipe: its length, then its bytes."""
    for part in (_HEAD.pack(len(payload)), payload):
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view) :]


def start(db_arg: str | None, as_of: dt.date) -> Ahead | None:
    """Fork the child that reads the table of the file `db_arg` names (as the window opens it).

    None when it would not help or not be safe: not Linux (no fork), a thread already running
    (fork copies locks held by other threads), a server's URL, read ahead turned off.
    """
    if not sys.platform.startswith("linux") or os.environ.get(AHEAD_ENV) == "0":
        return None
    if threading.active_count() != 1:
        return None
    from models.store.quick import chosen_file
    from models.store.stage_cache import cache_enabled

    path = chosen_file(db_arg)
    if path is None or not cache_enabled():
        return None  # without the cache's epoch nothing tells the child's table still holds
    try:
        path.stat()
    except OSError:
        return None  # a file to create: nothing to read ahead
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(path, as_of, write_end)
    os.close(write_end)
    return Ahead(pid, read_end, path, as_of)


def _child(path: Path, as_of: dt.date, fd: int) -> None:
    """Read the table, send (epoch, index) when the epoch held from start to end; exit."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal: the window's
        payload = read_table(path, as_of)
        if payload is not None:
            send(fd, payload)
            code = 0
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit, no buffers flushed twice: the parent's are its own


def read_table(path: Path, as_of: dt.date) -> bytes | None:
    """The pickled (epoch, index) of the file on `as_of`; None when it may not be kept."""
    from models.store.quick import QuickReader
    from ui.tables.invoice_index import InvoiceIndex

    reader = QuickReader.open_current(str(path))
    if reader is None:
        return None  # to upgrade, or not ours: the window's Ledger says what to do
    try:
        before = reader.stage_epoch()
        index = InvoiceIndex.of_batches(reader.iter_stage_tuple_batches(as_of, True), as_of)
        after = reader.stage_epoch()
    finally:
        reader.close()
    if before is None or before != after:
        return None
    return pickle.dumps((after, index), protocol=pickle.HIGHEST_PROTOCOL)
