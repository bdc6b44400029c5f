"""Screenshots of the letter wizards and the batch on the demo data.

Usage: `python -m ui.screenshots.wizards docs/screenshots` (offscreen, or under `xvfb-run -a`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QWidget

from models.letters.batch import letters_due
from ui.screenshots import demo, run, settle, shoot
from ui.wizards.batch import BatchDialog
from ui.wizards.notice import NoticeWizard
from ui.wizards.plan import PlanWizard
from ui.wizards.reminder import LetterWizard, ReminderWizard

DAY = dt.date(2026, 3, 15)  # the demo is dated relative to this day, so shots are reproducible


def walk(wizard: LetterWizard, page: QWidget) -> None:
    """Press Next up to a page."""
    wizard.show()
    for _ in range(6):
        if wizard.currentPage() is page:
            return
        wizard.next()
        settle(0.1)
    raise SystemExit(f"page non atteinte : {wizard.currentPage().title()}")


def main(argv: list[str]) -> int:
    """Build the demo in memory and save the wizard PNGs (a QApplication must be running)."""
    out, ledger, ops = demo(argv, DAY)
    due = letters_due(ledger.todo(DAY))
    reminders = [r for r in due if r.kind in ("reminder_2", "reminder_3")]
    notices = [r for r in due if r.kind == "formal_notice"]
    if not reminders or not notices:
        raise SystemExit("données de démonstration sans relance ni mise en demeure dues")
    reminder = reminders[0]
    notice = max(notices, key=lambda r: len(r.invoices))

    wizard = ReminderWizard(ops, reminder.client_id, reminder.invoice_ids, reminder.kind)
    walk(wizard, wizard.text_page)
    shoot(wizard, out / "wizard_reminder_text.png", 900, 700, wait=0.6)
    walk(wizard, wizard.preview_page)
    shoot(wizard, out / "wizard_reminder_preview.png", 900, 900, wait=0.6)
    wizard.reject()

    wizard = NoticeWizard(ops, notice.client_id, notice.invoice_ids)
    walk(wizard, wizard.amounts_page)
    wizard.amounts_page.registered.setText("1A 123 456 7890 1")
    shoot(wizard, out / "wizard_notice_amounts.png", 900, 640, wait=0.6)
    wizard.reject()

    plan = PlanWizard(ops, reminder.client_id, reminder.invoice_ids)
    walk(plan, plan.instalments_page)
    plan.instalments_page.count.setValue(4)
    shoot(plan, out / "wizard_plan_instalments.png", 900, 640, wait=0.6)
    plan.reject()

    batch = BatchDialog(ops)
    shoot(batch, out / "wizard_batch.png", 900, 560, wait=0.6)
    batch.reject()
    ledger.close()
    return 0


if __name__ == "__main__":
    run(main)
