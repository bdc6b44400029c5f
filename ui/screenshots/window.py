"""Screenshots of the main window, the aged balance and the invoice dialog on the demo data.

Usage: `python -m ui.screenshots.window docs/screenshots` (under `xvfb-run -a`, or offscreen).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from ui.screenshots import demo, run, settle, shoot
from ui.window.main import TAB_AGED, MainWindow

DAY = dt.date(2026, 3, 15)  # the demo is dated relative to this day: reproducible shots


def main(argv: list[str]) -> int:
    """Build the demo in memory and save the three PNGs (a QApplication must be running)."""
    out, ledger, ops = demo(argv, DAY)
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "relance.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ops, settings)
        window.resize(1400, 850)
        window.show()
        window.load()
        settle()
        view = window.invoices
        # A client with invoices at several stages, one of them selected.
        rows = [r for r in view.model.visible_rows() if r.stage == "reminder_2"]
        if rows:
            view.select_invoice(rows[0].invoice_id)
            view.table.scrollTo(view.table.currentIndex(), view.table.ScrollHint.PositionAtCenter)
        view.table.setFocus()
        shoot(window, out / "main_window.png")

        window.show_tab(TAB_AGED)
        shoot(window, out / "aged_balance.png")

        partial = [
            r
            for r in view.model.index_data.rows
            if 0 < r.balance_cents < r.total_cents and r.stage.startswith("reminder")
        ]
        chosen = partial[0] if partial else view.model.index_data.rows[0]
        dialog = view.open_invoice(chosen.invoice_id)
        dialog.resize(620, dialog.sizeHint().height())
        shoot(dialog, out / "invoice_dialog.png")
        dialog.reject()
        window.close()
    ledger.close()
    return 0


if __name__ == "__main__":
    run(main)
