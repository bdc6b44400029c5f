"""Screenshots of every screen on the demo data, for docs/screenshots/ and for looking at.

Usage: `python -m ui.screenshots [FOLDER]` (offscreen, or under `xvfb-run -a` for a real window).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from models.demo import build_demo
from models.store.ledger import Ledger
from ui.ops import Ops


def settle(seconds: float = 0.0) -> None:
    """Let layouts, deferred loads and QPdfView's page rendering run."""
    end = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        if time.monotonic() >= end:
            return
        time.sleep(0.02)


def shoot(
    widget: QWidget,
    path: Path,
    width: int | None = None,
    height: int | None = None,
    wait: float = 0.1,
) -> None:
    """Show the widget (at a size, if given), let it lay out, save it as PNG."""
    if width is not None and height is not None:
        widget.resize(width, height)
    widget.show()
    settle(wait)
    if not widget.grab().save(str(path)):
        raise OSError(f"impossible d'écrire {path}")
    print(path)


def demo(argv: list[str], day: dt.date) -> tuple[Path, Ledger, Ops]:
    """The output folder (first argument, docs/screenshots by default) and the demo in memory."""
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    ledger = Ledger.open("sqlite://")
    build_demo(ledger, day)
    return out, ledger, Ops(ledger, today=lambda: day)


def run(main: Callable[[list[str]], int]) -> None:
    """Run one screenshot script with its own application (offscreen without a display)."""
    if "DISPLAY" not in os.environ:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The application outlives main(), so every widget is gone before it is.
    from ui.app import make_application

    app = make_application()  # noqa: F841
    sys.exit(main(sys.argv[1:]))
