"""The reminder wizard's channel page: e-mail sent for real on Finish, or e-mail and post."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pdfplumber
from PySide6.QtWidgets import QDialog

from models.store.tables import MAIL_SENT
from tests.mail_server import account, smtp_server
from tests.ui.wizards.test_wizards import TODAY, go_to, prepared, seed
from ui.ops import Ops
from ui.wizards.reminder import ReminderWizard

__all__ = ["smtp_server"]
SHOTS = Path(os.environ.get("RELANCE_SHOTS", "/work/helper-briefs/shots-mail"))


def wizard_on(qtbot, ledger, tmp_path, who: str, step: str) -> tuple[ReminderWizard, Ops, list]:
    """A reminder wizard on the seeded data, refusals collected."""
    refusals: list = []
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    ids = seed(ledger)
    wizard = prepared(qtbot, ReminderWizard(ops, ids[who], step=step), tmp_path)
    ops.ids = ids
    return wizard, ops, refusals


def test_policy_channel_preselected_and_email_sent_on_finish(qtbot, ledger, tmp_path, smtp_server):
    """Issue 15 item 4: the policy's channel is preselected; the e-mail page shows recipients,
    subject, body and the PDF, editable; Finish sends it and records it once accepted."""
    server = smtp_server()
    ledger.set_mail_account(account(server.port))
    wizard, ops, refusals = wizard_on(qtbot, ledger, tmp_path, "dupont", "reminder_1")
    page = wizard.channel_page
    go_to(wizard, page)
    assert page.channel() == "email"  # reminder 1 goes by e-mail in the default policy
    assert page.to.text() == "compta@dupont.fr"
    assert page.subject.text().startswith("Rappel de paiement")
    assert page.attachment.text() == "Relance-F-101.pdf"
    page.subject.setText("Rappel amical – facture F-101")
    page.body.setPlainText(page.body.toPlainText() + "\n\nÀ très bientôt <Hélène>")
    wizard.resize(900, 700)
    wizard.grab().save(str(SHOTS / "wizard-channel-email.png"))
    go_to(wizard, wizard.output_page)
    assert "accepté par le serveur de factures@testard.fr" in wizard.output_page.note.text()
    wizard.accept()
    assert refusals == []
    assert wizard.result() == QDialog.DialogCode.Accepted
    (msg,) = server.inbox.messages
    assert msg["Subject"] == "Rappel amical – facture F-101"
    assert "&lt;Hélène&gt;" in msg.get_body(("html",)).get_content()
    (att,) = list(msg.iter_attachments())
    with pdfplumber.open(io.BytesIO(att.get_content())) as pdf:
        assert "F-101" in pdf.pages[0].extract_text()
    (row,) = ledger.mails()
    assert row.status == MAIL_SENT
    action, numbers = ledger.history(ops.ids["dupont"])[-1]
    assert (action.outcome, action.step) == ("Envoyée par e-mail", "reminder_1")
    assert "F-101" in numbers


def test_both_sends_the_email_then_saves_the_letter(qtbot, ledger, tmp_path, smtp_server):
    """Issue 15 item 4: "les deux": the e-mail, then the letter; both in the history."""
    server = smtp_server()
    ledger.set_mail_account(account(server.port))
    wizard, ops, refusals = wizard_on(qtbot, ledger, tmp_path, "dupont", "reminder_2")
    go_to(wizard, wizard.channel_page)
    assert wizard.channel_page.channel() == "post"  # reminder 2 goes by post by default
    wizard.channel_page.set_channel("both")
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    assert wizard.channel_page.channel() == "both"
    wizard.accept()
    assert refusals == []
    assert len(server.inbox.messages) == 1
    assert (tmp_path / "sortie.pdf").exists()
    # The e-mail is dated when the server took it, the letter by the date typed.
    outcomes = {a.outcome for a, _ in ledger.history(ops.ids["dupont"])}
    assert {"Envoyée par e-mail", "Lettre préparée (PDF)"} <= outcomes


def test_server_refusal_records_nothing_and_stays(qtbot, ledger, tmp_path, smtp_server):
    """A server that is down: said in French, nothing recorded, the wizard stays open."""
    server = smtp_server()
    ledger.set_mail_account(account(server.port))
    server.stop()
    wizard, _ops, _refusals = wizard_on(qtbot, ledger, tmp_path, "dupont", "reminder_1")
    before = ledger.counts()["actions"]
    go_to(wizard, wizard.output_page)
    wizard.accept()
    assert wizard.isVisible()
    (warning,) = wizard.outputs.warnings
    assert "refuse la connexion" in warning
    assert ledger.counts()["actions"] == before
