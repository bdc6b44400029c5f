"""No silent error: an exception in a slot shows the French dialog and writes the log."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui import crash


class Emitter(QObject):
    """A signal whose slot fails, as a button's would."""

    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_dialog_and_writes_the_log(qtbot, tmp_path, monkeypatch):
    log = tmp_path / "journal" / "relance-erreurs.log"
    shown: list[crash.CrashDialog] = []
    reporter = crash.ErrorReporter(log)
    reporter.present = shown.append
    monkeypatch.setattr(sys, "excepthook", reporter.excepthook)

    def failing_slot() -> None:
        raise ZeroDivisionError("division par zéro dans un slot")

    emitter = Emitter()
    emitter.fired.connect(failing_slot)
    QTimer.singleShot(0, emitter.fired.emit)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert "Une erreur inattendue s'est produite" in dialog.message.text()
    assert str(log) in dialog.message.text()
    assert "ZeroDivisionError: division par zéro dans un slot" in dialog.details
    assert dialog.copy_button.text() == "Copier les détails"
    dialog.copy_button.click()
    assert "failing_slot" in QApplication.clipboard().text()
    written = log.read_text(encoding="utf-8")
    assert "ZeroDivisionError: division par zéro dans un slot" in written
    assert written.startswith("--- ")


def test_the_log_rotates(tmp_path):
    import datetime as dt

    from models import crashlog

    log = tmp_path / "relance-erreurs.log"
    for n in range(30):
        crashlog.write(f"erreur {n}\n" + "x" * 100_000, dt.datetime(2026, 12, 1, 10, n % 60), log)
    assert log.stat().st_size <= crashlog.MAX_BYTES
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "relance-erreurs.log",
        "relance-erreurs.log.1",
        "relance-erreurs.log.2",
        "relance-erreurs.log.3",
    ]
    assert "erreur 29" in log.read_text(encoding="utf-8")


def test_a_fatal_qt_message_is_logged_and_shown(qtbot, tmp_path):
    from PySide6.QtCore import QMessageLogContext, QtMsgType

    log = tmp_path / "relance-erreurs.log"
    shown: list[crash.CrashDialog] = []
    reporter = crash.ErrorReporter(log)
    reporter.present = shown.append
    reporter.qt_message(QtMsgType.QtFatalMsg, QMessageLogContext(), "plus de mémoire graphique")
    reporter.qt_message(QtMsgType.QtDebugMsg, QMessageLogContext(), "détail sans importance")
    assert len(shown) == 1
    qtbot.addWidget(shown[0])
    assert "plus de mémoire graphique" in shown[0].details
    assert "plus de mémoire graphique" in log.read_text(encoding="utf-8")
    assert "détail sans importance" not in log.read_text(encoding="utf-8")
