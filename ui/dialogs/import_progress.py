"""The import's progress: lines read, checked and written, with a button to stop before saving."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from ui.background import LongWrite
from ui.ops import tr


def _count(n: int) -> str:
    """A count with French thousands spacing: 100 000."""
    return f"{n:,}".replace(",", "\u202f")


class ImportProgressDialog(QProgressDialog):
    """Follows a LongWrite: what it does now, how far; « Annuler » stops it, nothing written."""

    def __init__(self, job: LongWrite, title: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Lecture du fichier…"), tr("Annuler"), 0, 0, parent)
        self.job = job
        bar = QProgressBar(self)
        bar.setFormat("%p\u202f%")  # French spacing: 41 %
        self.setBar(bar)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)  # shown at once: even a short import says what it does
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(440)
        self.outcome: tuple[bool, object] | None = None
        self.canceled.disconnect()  # QProgressDialog would hide itself: wait for the job instead
        self.canceled.connect(self._cancel)
        job.progress.connect(self.show_progress)
        job.finished.connect(self._finished)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        """Say the stage and the count: read, checked, written."""
        if self.job.cancelled():
            return
        texts = {
            "read": tr("Lecture du fichier : {done} ligne(s) lue(s) sur {total}"),
            "check": tr("Vérification : {done} ligne(s) vérifiée(s) sur {total}"),
            "write": tr("Enregistrement : {done} ligne(s) écrite(s) sur {total}"),
        }
        text = texts.get(stage, "{done} / {total}")
        self.setLabelText(text.format(done=_count(done), total=_count(total)))
        self.setMaximum(max(total, 1))
        self.setValue(min(done, total))

    def reject(self) -> None:
        """Esc: the same as « Annuler »; the dialog stays until the import has stopped."""
        self._cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button: the same as « Annuler », never a hidden running import."""
        event.ignore()
        self._cancel()

    def _cancel(self) -> None:
        self.job.cancel()
        self.setLabelText(tr("Annulation… rien ne sera enregistré."))

    def _finished(self, ok: bool, result: object) -> None:
        self.outcome = (ok, result)
        self.accept()
