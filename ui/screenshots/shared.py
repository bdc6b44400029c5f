"""Screenshots of the shared office (issue 18): a conflict, and who noted each history line.

Usage: `python -m ui.screenshots.shared docs/screenshots` (offscreen, or `xvfb-run -a`).
Two ledgers on one temporary file play Marie's and Paul's machines.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSettings

from models.demo import build_demo
from models.errors import ConflictError
from models.ids import ClientId, InvoiceId
from models.store.ledger import Ledger
from ui.ops import Ops, conflict_box
from ui.screenshots import run, settle, shoot
from ui.window.main import MainWindow

DAY = dt.date(2026, 3, 15)
WIDTH, HEIGHT = 1280, 720


def main(argv: list[str]) -> int:
    """Build the demo in a file, edit it from two ledgers, save the PNGs."""
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "partagee.sqlite")
        marie = Ledger.open(path)
        marie.user = "Marie"
        build_demo(marie, DAY)
        paul = Ledger.open(path)
        paul.user = "Paul"
        row = next(r for r in marie.stages(DAY) if r.balance_cents > 0)
        seen = paul.invoice(InvoiceId(row.invoice_id))
        marie.record_payment(
            InvoiceId(row.invoice_id), DAY, Decimal(row.balance_cents) / 100, "cheque"
        )
        try:
            paul.record_payment(
                InvoiceId(row.invoice_id),
                DAY,
                Decimal(row.balance_cents) / 100,
                "cheque",
                expected_version=seen.version,
            )
        except ConflictError as exc:
            box = conflict_box(None, exc)
            shoot(box, out / "conflict_dialog.png")
            box.close()
        client = ClientId(row.client_id)
        paul.record_action(
            client, DAY, "call", channel="call", notes="Comptable absente, rappeler jeudi"
        )
        marie.record_action(client, DAY, "note", notes="Chèque reçu par courrier")
        settings = QSettings(str(Path(folder) / "relance.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Ops(marie, today=lambda: DAY), settings)
        window.follower.timer.stop()
        window.resize(WIDTH, HEIGHT)
        window.show()
        window.load()
        settle(0.3)
        window.show_client(row.client_id)
        settle(0.5)
        shoot(window, out / "client_history_by.png")
        window.close()
        paul.close()
        marie.close()
    return 0


if __name__ == "__main__":
    run(main)
