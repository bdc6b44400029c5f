"""No silent error in the window: unexpected exceptions and Qt's fatal messages in a dialog.

A windowed build has no terminal: an exception raised in a slot would vanish. `install` routes
it (sys.excepthook) and Qt's fatal messages (qInstallMessageHandler) to a French dialog with
"Copier les détails", and writes the traceback to the rotating error log (models/crashlog.py).
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import crashlog
from ui.ops import tr


class CrashDialog(QDialog):
    """'Une erreur inattendue s'est produite' with the details folded and a copy button."""

    def __init__(self, details: str, log: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Erreur inattendue"))
        self.details = details
        where = (
            tr("Les détails sont enregistrés dans {log}.").format(log=log)
            if log
            else tr("Les détails n'ont pas pu être enregistrés dans le journal.")
        )
        self.message = QLabel(
            tr(
                "Une erreur inattendue s'est produite ; l'opération en cours n'a pas abouti. "
                "Vos données enregistrées ne sont pas touchées.\n{where}\nSi l'erreur revient, "
                "copiez les détails et envoyez-les à votre assistance."
            ).format(where=where)
        )
        self.message.setWordWrap(True)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setMinimumSize(560, 180)
        self.copy_button = QPushButton(tr("Copier les détails"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        box = QVBoxLayout(self)
        box.addWidget(self.message)
        box.addWidget(self.text, 1)
        box.addWidget(buttons)

    def copy(self) -> None:
        """Put the details on the clipboard."""
        QApplication.clipboard().setText(self.details)


class ErrorReporter:
    """Logs and shows unexpected errors; `present` is an attribute so tests need no modal box."""

    def __init__(self, log_path: Path | None = None) -> None:
        self.log_path = log_path
        self.present: Callable[[CrashDialog], object] = lambda dialog: dialog.exec()
        self.reporting = False  # an error inside the report itself is not reported again

    def report(self, details: str) -> None:
        """Write the details to the log, then show the dialog."""
        log = crashlog.write(details, dt.datetime.now(), self.log_path)
        if self.reporting or QApplication.instance() is None:
            sys.stderr.write(details)
            return
        self.reporting = True
        try:
            parent = QApplication.activeWindow()
            self.present(CrashDialog(details, log, parent))
        finally:
            self.reporting = False

    def excepthook(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """sys.excepthook: every exception nobody caught (in a slot, a timer, an event)."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.report("".join(traceback.format_exception(kind, value, tb)))

    def qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        """Qt's messages: a fatal one is logged and shown (Qt then stops), others to stderr."""
        if mode == QtMsgType.QtFatalMsg:
            where = f"{context.file}:{context.line}" if context.file else ""
            self.report(f"Qt : message fatal {where}\n{message}\n")
            return
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtWarningMsg):
            sys.stderr.write(f"Qt : {message}\n")


def install(log_path: Path | None = None) -> ErrorReporter:
    """Route uncaught exceptions and Qt's fatal messages to the dialog and the log."""
    reporter = ErrorReporter(log_path)
    sys.excepthook = reporter.excepthook
    qInstallMessageHandler(reporter.qt_message)
    return reporter
