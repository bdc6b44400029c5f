"""Screenshots of the e-mail screens on the demo data: the notice's and the plan's e-mail
pages, the call dialog's confirmation of a promise, the messages in "état inconnu".

Usage: `python -m ui.screenshots.mail docs/screenshots` (offscreen, or under `xvfb-run -a`).
Nothing is sent: an account on this machine is set for the pages to show it.
"""

from __future__ import annotations

import datetime as dt

from models.ids import ClientId
from models.letters.batch import letters_due
from ui.dialogs.call import PROMISE, CallDialog
from ui.dialogs.pending_mail import PendingMailDialog
from ui.screenshots import demo, run, shoot
from ui.screenshots.wizards import DAY, walk
from ui.widgets import to_qdate
from ui.wizards.notice import NoticeWizard
from ui.wizards.plan import PlanWizard

ACCOUNT = {
    "host": "127.0.0.1",
    "port": 2525,
    "security": "none",
    "user": "",
    "sender": "factures@atelier-exemple.fr",
    "sender_name": "Atelier Exemple",
}


def main(argv: list[str]) -> int:
    """Build the demo in memory and save the e-mail PNGs (a QApplication must be running)."""
    out, ledger, ops = demo(argv, DAY)
    ledger.set_mail_account(ACCOUNT)
    due = letters_due(ledger.todo(DAY))
    with_mail = [r for r in due if ledger.mail_recipients(ClientId(r.client_id))]
    notices = [r for r in with_mail if r.kind == "formal_notice"]
    reminders = [r for r in with_mail if r.kind != "formal_notice"]
    if not notices or not reminders:
        raise SystemExit("données de démonstration sans client joignable par e-mail")
    notice = notices[0]
    wizard = NoticeWizard(ops, notice.client_id, notice.invoice_ids)
    walk(wizard, wizard.amounts_page)
    wizard.amounts_page.registered.setText("1A 123 456 7890 1")
    walk(wizard, wizard.channel_page)
    shoot(wizard, out / "mail-notice.png", 900, 700, wait=0.4)
    wizard.reject()

    reminder = reminders[0]
    plan = PlanWizard(ops, reminder.client_id, reminder.invoice_ids)
    walk(plan, plan.channel_page)
    shoot(plan, out / "mail-plan.png", 900, 700, wait=0.4)
    plan.reject()

    call = CallDialog(ops, reminder.client_id, reminder.invoice_ids)
    call.set_outcome(PROMISE)
    call.promise_date.setDate(to_qdate(DAY + dt.timedelta(days=10)))
    call.promise_amount.setText("500,00")
    shoot(call, out / "mail-call.png", 1220, 560, wait=0.3)
    call.reject()

    for n, request in enumerate(with_mail[:3], start=1):
        recipients = [r.address for r in ledger.mail_recipients(ClientId(request.client_id))]
        ledger.mail_pending(
            ClientId(request.client_id),
            "reminder_1",
            request.invoice_ids,
            recipients,
            f"Rappel de paiement – {', '.join(request.invoices)}",
            f"<demo{n}@atelier-exemple.fr>",
            dt.datetime(2026, 3, 14, 17, 40 + n).astimezone(),
        )
    pending = PendingMailDialog(ops)
    shoot(pending, out / "mail-pending.png", 900, 380, wait=0.3)
    pending.reject()
    ledger.close()
    return 0


if __name__ == "__main__":
    run(main)
