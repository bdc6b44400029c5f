"""Screenshot of the import's progress dialog, partway through writing a large file (issue 17).

Usage: `python -m ui.screenshots.import_progress docs/screenshots` (offscreen, or `xvfb-run -a`).
"""

from __future__ import annotations

import datetime as dt

from ui.background import LongWrite
from ui.dialogs.import_progress import ImportProgressDialog
from ui.ops import tr
from ui.screenshots import demo, run, shoot

DAY = dt.date(2026, 3, 15)


def main(argv: list[str]) -> int:
    """Save import-progress.png: the dialog as it writes 100,000 invoices."""
    out, _ledger, ops = demo(argv, DAY)
    dialog = ImportProgressDialog(LongWrite(ops), tr("Import de {name}").format(name="suivi.csv"))
    dialog.show_progress("write", 60_000, 145_127)
    shoot(dialog, out / "import-progress.png")
    dialog.close()
    return 0


if __name__ == "__main__":
    run(main)
