"""The Qt binding itself: a defect of a PySide6 release that would crash the app is caught here."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    text = Signal(str)
    bare = Signal()


def test_emitting_signals_keeps_python_booleans_alive(qapp) -> None:
    """PySide6 6.12.0 dropped a reference to True on each emit(): after a few thousand signals
    (a working session's writes) the interpreter aborted with "bool_dealloc"."""
    emitter = _Emitter()
    seen: list[str] = []
    emitter.text.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.text.emit("x")
        emitter.bare.emit()
    after = sys.getrefcount(True)
    assert len(seen) == 500
    assert after >= before - 50, f"True lost {before - after} references in 1000 emits"
