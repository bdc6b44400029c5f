"""Following the others' changes (issue 18): a light poll of the ledger's change counter.

Several people may work on one ledger (a shared file or a PostgreSQL server). Every write
bumps a counter in its own transaction; the window reads it every few seconds (one query of
one row, cheap enough for the interface thread) and, when someone else wrote, has every view
reload as after its own changes (the views keep their selection).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from models.errors import StorageError
from models.store import changes
from ui.ops import Ops, tr

POLL_MS = 3000  # how often the counter is read


class ChangeFollower(QObject):
    """Polls `ledger.others_changed()`; on a change, `ops.changed("all")` and `followed`."""

    followed = Signal(str)  # the status-bar message

    def __init__(self, ops: Ops, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.ops = ops
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.listener: changes.Listener | None = None
        self.notifier: QSocketNotifier | None = None

    def start(self) -> None:
        """Begin polling; on PostgreSQL also LISTEN, so a change shows at once."""
        self.timer.start()
        engine = self.ops.ledger.engine
        if self.listener is None and changes.is_postgresql(engine):
            try:
                self.listener = changes.Listener(engine)
            except (SQLAlchemyError, OSError, AttributeError):
                return  # the poll alone follows the changes
            self.notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
            self.notifier.activated.connect(self._notified)

    def stop(self) -> None:
        """Stop polling and listening (the window closes)."""
        self.timer.stop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def _notified(self) -> None:
        """Another connection sent NOTIFY: look now."""
        if self.listener is None:
            return
        try:
            arrived = self.listener.drain()
        except Exception:  # the server went away: the poll takes over
            if self.notifier is not None:
                self.notifier.setEnabled(False)
            return
        if arrived:
            self.poll()

    def poll(self) -> bool:
        """Look once; True when another connection wrote and the views were told to reload.

        A database busy or out of reach now is asked again at the next tick, silently: the
        writes themselves say what went wrong.
        """
        try:
            outside = self.ops.ledger.others_changed()
        except (SQLAlchemyError, StorageError, OSError):
            return False
        if outside:
            self.ops.changed.emit("all")
            self.followed.emit(
                tr("Mis à jour : des changements ont été faits depuis un autre poste.")
            )
        return outside
