"""Work off the interface thread, and tabs that load when shown.

Computing the stage of 100,000 invoices takes over a second, so it runs in a worker thread with
its own Ledger on the same database, and the window shows at once with "Chargement…". Sending
e-mails waits on a server: `wait_for` runs it the same way while the window keeps running.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from sqlalchemy.engine import Engine

from models.store import db
from models.store.ledger import Ledger
from ui.ops import Ops, tr

T = TypeVar("T")
_gc_lock = threading.Lock()
_gc_state = {"reads": 0, "was_enabled": True}


def _pause_gc(step: int) -> None:
    """Count the reads under way; collection is off while any runs (see `_Job.run`)."""
    with _gc_lock:
        if step > 0 and _gc_state["reads"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["reads"] += step
        if _gc_state["reads"] == 0 and _gc_state["was_enabled"]:
            # What the reads left is long-lived data without cycles: set it aside (gc.freeze),
            # or the first collection after this would scan a million objects (~60 ms) while
            # the window waits. Objects freed by reference count still go as usual.
            gc.freeze()
            gc.enable()


class _Job(QRunnable):
    """One read on a private Ledger, in a pool thread; the result goes back through a signal."""

    def __init__(
        self,
        url: str,
        work: Callable[[Ledger], Any],
        relay: Background,
        gen: int,
        engine: Engine | None = None,
    ) -> None:
        super().__init__()
        self.url, self.work, self.relay, self.gen = url, work, relay, gen
        self.engine = engine

    def run(self) -> None:
        """Open a Ledger on the same database (a fresh one: settings may have changed), read.

        A server ledger reads through the window's own engine (its pool is thread-safe and
        holds the password the user gave, which the URL never does).
        """
        shared = self.engine is not None
        ledger = Ledger(self.engine or db.make_engine(self.url), self.url)
        # A read allocates a million small objects: the cyclic collector would run full passes
        # of 100-200 ms meanwhile, freezing the interface (they hold the GIL). Nothing read here
        # makes cycles, so collection waits until the read is over.
        _pause_gc(+1)
        try:
            ok, result = True, self.work(ledger)
        except Exception as exc:  # shown in the status bar; the interface keeps running
            ok, result = False, exc
        finally:
            if not shared:
                ledger.close()
            _pause_gc(-1)
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile: nobody waits
            self.relay.relayed.emit(self.gen, ok, result)


class Background(QObject):
    """Runs `work(ledger)` off the interface thread on a file database, else at once.

    `done(result)` is emitted in the interface thread. A request made while a read is running
    is queued, so a burst of changes gives one more read, not one per change.
    """

    done = Signal(object)
    failed = Signal(str)
    relayed = Signal(int, bool, object)  # internal: generation, ok, result

    def __init__(
        self, ops: Ops, work: Callable[[Ledger], Any], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.work = work
        url = ops.ledger.url
        # In-memory databases (tests) cannot be opened twice: read them in this thread.
        self.threaded = db.sqlite_path(url) is not None or not url.startswith("sqlite")
        self.running = False
        self._pending = False
        self._gen = 0
        self.relayed.connect(self._finish)

    def start(self) -> None:
        """Read now (or right after the read under way)."""
        if not self.threaded:
            try:
                result = self.work(self.ops.ledger)
            except Exception as exc:  # same path as the thread: never a traceback box
                self.failed.emit(str(exc))
                return
            self.done.emit(result)
            return
        if self.running:
            self._pending = True
            return
        self.running = True
        self._gen += 1
        url = self.ops.ledger.url
        engine = self.ops.ledger.engine if db.is_server(url) else None
        QThreadPool.globalInstance().start(_Job(url, self.work, self, self._gen, engine))

    def _finish(self, gen: int, ok: bool, result: object) -> None:
        if gen != self._gen:
            return
        self.running = False
        if ok:
            self.done.emit(result)
        else:
            self.failed.emit(str(result))
        if self._pending:
            self._pending = False
            self.start()


def import_in_background(*modules: str) -> threading.Thread:
    """Import modules in a thread: the ORM, which the window's start does without, is loaded
    once the table is filled, so that the first dialog opened does not wait for it."""

    def load() -> None:
        for name in modules:
            importlib.import_module(name)

    # Not a daemon: an import cut off by the interpreter's exit could leave it in a bad state;
    # the exit waits for it instead (a third of a second at most).
    thread = threading.Thread(target=load, name="relance-imports")
    thread.start()
    return thread


def can_thread(url: str) -> bool:
    """Whether a second connection may open this database (a file or a server, not memory)."""
    return db.sqlite_path(url) is not None or not url.startswith("sqlite")


def wait_for(
    ops: Ops,
    work: Callable[[Ledger, Callable[[object], None]], T],
    on_post: Callable[[object], None] = lambda _x: None,
) -> T:
    """Run `work(ledger, post)` in a thread on a private Ledger; the window keeps running.

    The caller waits in a local event loop (timers fire, the window repaints, a progress
    dialog's Annuler is clicked); `post(x)` calls `on_post(x)` in the interface thread. Each
    write of `work` is its own transaction on its own connection (SQLite WAL: the window's
    reads go on meanwhile). An in-memory database (tests) cannot be opened twice: the work
    runs here, `on_post` at once. The work's exception is raised again here.
    """
    url = ops.ledger.url
    if not can_thread(url):
        return work(ops.ledger, on_post)
    # The thread calls back through QTimer.singleShot(0, context, function): Qt queues the
    # call to the context's (this) thread. Not through a signal's emit(): PySide6 6.12's
    # SignalInstance.emit drops a reference to True on each call (Python 3.11), and a few
    # hundred e-mails would free True itself and abort the process.
    context = QObject()
    posts: queue.SimpleQueue[object] = queue.SimpleQueue()

    def deliver() -> None:
        while True:
            try:
                item = posts.get_nowait()
            except queue.Empty:
                return
            on_post(item)

    def post(item: object) -> None:
        posts.put(item)
        QTimer.singleShot(0, context, deliver)

    loop = QEventLoop()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            ledger = Ledger(db.make_engine(url), url)
            try:
                box["result"] = work(ledger, post)
            finally:
                ledger.close()
        except BaseException as exc:  # given back to the caller and raised there
            box["error"] = exc
        finally:
            QTimer.singleShot(0, context, loop.quit)

    thread = threading.Thread(target=run, name="relance-wait-for", daemon=True)
    thread.start()
    loop.exec()  # the queued quit is delivered here even when the work was quicker
    thread.join()
    deliver()  # anything posted after the last delivery
    if "error" in box:
        raise box["error"]
    return box["result"]  # type: ignore[no-any-return]


class RefreshWhenShown:
    """For a view that reads every invoice: it reloads on a change only while it is shown, and
    a hidden one catches up when next shown. The class sets `_dirty` and defines `refresh`."""

    _dirty: bool

    def refresh(self) -> None:
        """Reload the view."""
        raise NotImplementedError

    def _changed(self, _what: str) -> None:
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with changes made while hidden."""
        if self._dirty:
            self.refresh()
        super().showEvent(event)  # type: ignore[misc]


class LazyTab(QWidget):
    """A tab built when first shown (the client list and the to-do compute every stage)."""

    def __init__(self, make: Callable[[], QWidget]) -> None:
        super().__init__()
        self.make = make
        self.widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel(tr("Chargement…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.placeholder)

    def build(self) -> QWidget:
        """Create the real widget now (once)."""
        if self.widget is None:
            self.widget = self.make()
            self._layout.removeWidget(self.placeholder)
            self.placeholder.hide()
            self._layout.addWidget(self.widget)
        return self.widget

    def showEvent(self, event: QShowEvent) -> None:
        """Build right after the first paint, so the tab switch shows 'Chargement…' at once."""
        if self.widget is None:
            QTimer.singleShot(0, self.build)
        super().showEvent(event)


# A long write: work(ledger, progress(stage, done, total), cancelled()) -> result.
WriteWork = Callable[[Ledger, Callable[[str, int, int], None], Callable[[], bool]], Any]


class LongWrite(QObject):
    """A long write (an import) in a pool thread with its own Ledger, told and cancellable.

    `work(ledger, progress, cancelled)` reports with `progress(stage, done, total)` and asks
    `cancelled()` now and then; it must stop before its commit when that is True (the import
    raises ImportCancelledError: its transaction is undone). `finished(ok, result or exception)`
    comes in the interface thread. In-memory databases (tests) run in this thread, the events
    handled at each report so that the dialog still answers.
    """

    progress = Signal(str, int, int)
    finished = Signal(bool, object)

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._stop = threading.Event()
        url = ops.ledger.url
        self.threaded = db.sqlite_path(url) is not None or not url.startswith("sqlite")

    def cancel(self) -> None:
        """Ask the work to stop before its commit (nothing is then written)."""
        self._stop.set()

    def cancelled(self) -> bool:
        """Tell whether the user asked to stop."""
        return self._stop.is_set()

    def start(
        self, work: Callable[[Ledger, Callable[[str, int, int], None], Callable[[], bool]], Any]
    ) -> None:
        """Run `work` off the interface thread (or here for an in-memory database)."""
        if not self.threaded:

            def told(stage: str, done: int, total: int) -> None:
                self.progress.emit(stage, done, total)
                QCoreApplication.processEvents()

            try:
                ok, result = True, work(self.ops.ledger, told, self.cancelled)
            except Exception as exc:  # said in French by the caller, never a traceback
                ok, result = False, exc
            self.finished.emit(ok, result)
            return
        QThreadPool.globalInstance().start(_WriteJob(self, work))


class _WriteJob(QRunnable):
    """The pool thread's side of a LongWrite."""

    def __init__(self, relay: LongWrite, work: WriteWork) -> None:
        super().__init__()
        self.relay, self.work = relay, work
        self.url = relay.ops.ledger.url

    def run(self) -> None:
        """Open a Ledger on the same database, work, hand the outcome back."""
        ledger = Ledger(db.make_engine(self.url), self.url)
        _pause_gc(+1)  # a large import allocates millions of small objects, none in cycles
        try:
            ok, result = True, self.work(ledger, self._told, self.relay.cancelled)
        except Exception as exc:  # said in French by the caller, never a traceback
            ok, result = False, exc
        finally:
            ledger.close()
            _pause_gc(-1)
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile: nobody waits
            self.relay.finished.emit(ok, result)

    def _told(self, stage: str, done: int, total: int) -> None:
        with contextlib.suppress(RuntimeError):
            self.relay.progress.emit(stage, done, total)
