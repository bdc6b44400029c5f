"""Every screenshot: the window, the client screens, the settings, the wizards."""

from __future__ import annotations

from ui.screenshots import (
    bank,
    clients,
    corrections,
    import_progress,
    mail,
    run,
    settings,
    window,
    wizards,
)


def main(argv: list[str]) -> int:
    """Save all the PNGs in one folder (docs/screenshots by default)."""
    for module in (window, clients, settings, wizards, corrections, bank, mail, import_progress):
        status = module.main(argv)
        if status:
            return status
    return 0


if __name__ == "__main__":
    run(main)
