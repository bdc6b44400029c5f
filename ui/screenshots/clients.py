"""Screenshots of the client page, the to-do and the call dialog on the demo data.

Usage: `python -m ui.screenshots.clients docs/screenshots` (offscreen, or under `xvfb-run -a`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QEvent

from models.ids import ClientId
from ui.dialogs.call import PROMISE, CallDialog
from ui.screenshots import demo, run, shoot
from ui.widgets import to_qdate
from ui.window.clients import ClientsView
from ui.window.todo import TodoPanel

DAY = dt.date(2026, 3, 15)  # the demo is dated relative to this day, so shots are reproducible
SHOWCASE = "Groupe Horizon Distribution"  # the demo client with an invoice in every stage


def main(argv: list[str]) -> int:
    """Build the demo in memory, save the three PNGs (a QApplication must be running)."""
    out, ledger, ops = demo(argv, DAY)
    showcase = ledger.find_client(SHOWCASE)
    if showcase is None or showcase.id is None:
        raise SystemExit(f"client de démonstration introuvable : {SHOWCASE}")
    cid = ClientId(showcase.id)
    ledger.add_contact(
        cid,
        "Martine Roche",
        "Comptabilité fournisseurs",
        "04 72 10 20 30",
        "m.roche@horizon-distribution.fr",
    )

    view = ClientsView(ops)
    view.show_client(cid)
    shoot(view, out / "client_page.png", 1600, 940)

    todo = TodoPanel(ops)
    for key in ("reminders", "legal"):  # folded, so that every section heading is in the shot
        todo.view.collapse(todo.line_index(key, 0).parent())
    shoot(todo, out / "todo.png", 1200, 560)

    invoice_ids = [s.invoice_id for s in view.page.stages if s.stage in ("overdue", "reminder_3")]
    dialog = CallDialog(ops, cid, invoice_ids)
    dialog.set_outcome(PROMISE)
    dialog.promise_date.setDate(to_qdate(DAY + dt.timedelta(days=5)))
    dialog.promise_amount.setText("1 200,00")
    dialog.notes.setPlainText(
        "Virement promis par la gérante, après validation du bon de commande manquant."
    )
    dialog.notes.setFocus()
    shoot(dialog, out / "call_dialog.png", 640, dialog.sizeHint().height())
    dialog.reject()
    for widget in (dialog, todo, view):  # gone before the ledger and the next script
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    ledger.close()
    return 0


if __name__ == "__main__":
    run(main)
