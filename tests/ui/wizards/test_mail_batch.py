""" "Relances du jour" with an account: the e-mails sent in one go, the rest stays in letters."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from models.store.codes import MAIL_SENT
from tests.mail_server import DAY, account, add_clients, mail_ledger, smtp_server
from ui.ops import Ops
from ui.wizards.batch import BatchDialog

__all__ = ["mail_ledger", "smtp_server"]
SHOTS = Path(os.environ.get("RELANCE_SHOTS", "/work/helper-briefs/shots-mail"))


def dialog_for(qtbot, ledger) -> tuple[BatchDialog, list]:
    """The batch dialog on DAY, refusals collected."""
    refusals: list = []
    ops = Ops(ledger, today=lambda: DAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    dialog = BatchDialog(ops)
    qtbot.addWidget(dialog)
    return dialog, refusals


def test_emails_sent_from_the_batch_and_no_address_stays_a_letter(qtbot, mail_ledger, smtp_server):
    """Issue 15 item 4: e-mails sent in one go; a client without address goes by post."""
    server = smtp_server()
    add_clients(mail_ledger, 3)
    no_mail = mail_ledger.add_client(
        "Sans Courriel SARL", street="2 rue Neuve", postal_code="69001", city="Lyon"
    )
    mail_ledger.add_invoice(
        no_mail, "FA-2026-0099", DAY.replace(day=1), Decimal(500), DAY.replace(day=13)
    )
    mail_ledger.set_mail_account(account(server.port))
    dialog, refusals = dialog_for(qtbot, mail_ledger)
    assert dialog.windowTitle() == "Relances du jour"
    assert len(dialog.mails.requests) == 3
    assert [r.client for r in dialog.requests] == ["Sans Courriel SARL"]
    dialog.resize(820, 560)
    dialog.grab().save(str(SHOTS / "batch-before.png"))
    summary = dialog.mails.send()
    assert refusals == []
    assert summary.count("sent") == 3
    assert len(server.inbox.messages) == 3
    assert [m.status for m in mail_ledger.mails()] == [MAIL_SENT] * 3
    assert "3 e-mail(s) envoyé(s)" in dialog.mails.label.text()
    assert not dialog.mails.button.isEnabled()  # nothing left: nothing sent twice
    dialog.grab().save(str(SHOTS / "batch-after.png"))


def test_without_account_the_email_steps_stay_letters(qtbot, mail_ledger):
    """Without an account nothing is sent; the steps are in the letters as before."""
    add_clients(mail_ledger, 2)
    dialog, _refusals = dialog_for(qtbot, mail_ledger)
    assert dialog.mails.requests == []
    assert not dialog.mails.button.isEnabled()
    assert "Aucun compte d'envoi" in dialog.mails.label.text()
    assert len(dialog.requests) == 2
