"""Every screenshot: the window, the client screens, the settings, the wizards."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QEvent

from ui.screenshots import clients, run, settings, window, wizards


def main(argv: list[str]) -> int:
    """Save all the PNGs in one folder (docs/screenshots by default)."""
    for module in (window, clients, settings, wizards):
        status = module.main(argv)
        if status:
            return status
        # Each script's widgets go before the next one starts (not all at exit, in any order).
        gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


if __name__ == "__main__":
    run(main)
