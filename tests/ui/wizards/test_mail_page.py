"""The reminder wizard's channel page: e-mail sent for real on Finish, or e-mail and post."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pdfplumber
from PySide6.QtWidgets import QDialog

from models.store.codes import MAIL_SENT
from tests.mail_server import account, smtp_server
from tests.ui.wizards.test_wizards import TODAY, go_to, prepared, seed
from ui.ops import Ops
from ui.wizards.notice import NoticeWizard
from ui.wizards.plan import PlanWizard
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


def test_notice_registered_letter_and_its_copy_by_email(qtbot, ledger, tmp_path, smtp_server):
    """Issue 15: the notice goes by registered letter and a copy by e-mail, preselected when
    the client has an address; the copy is recorded as a copy, the notice with its number."""
    server = smtp_server()
    ledger.set_mail_account(account(server.port))
    refusals: list = []
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    ids = seed(ledger)
    wizard = prepared(qtbot, NoticeWizard(ops, ids["dupont"]), tmp_path)
    go_to(wizard, wizard.amounts_page)
    wizard.amounts_page.registered.setText("1A 123 456 7890 1")
    page = wizard.channel_page
    go_to(wizard, page)
    assert list(page.radios) == ["both", "post"]  # never by e-mail alone
    assert page.channel() == "both"
    assert page.to.text() == "compta@dupont.fr"
    assert page.subject.text().startswith("Copie de notre mise en demeure")
    go_to(wizard, wizard.output_page)
    assert wizard.output_page.radios["email"].isHidden()
    assert wizard.output_page.choice() == "print"
    assert "D'abord la copie par e-mail" in wizard.output_page.note.text()
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert refusals == []
    assert wizard.result() == QDialog.DialogCode.Accepted
    (msg,) = server.inbox.messages
    (att,) = list(msg.iter_attachments())
    with pdfplumber.open(io.BytesIO(att.get_content())) as pdf:
        assert "MISE EN DEMEURE" in pdf.pages[0].extract_text()
    entries = [(a.kind, a.step, a.outcome, a.notes[:27]) for a, _ in ledger.history(ids["dupont"])]
    assert ("email", "", "Envoyée par e-mail", "Copie de la mise en demeure") in entries
    notice = [a for a, _ in ledger.history(ids["dupont"]) if a.kind == "formal_notice"]
    assert [(a.step, a.registered_number) for a in notice] == [
        ("formal_notice", "1A 123 456 7890 1")
    ]


def test_notice_without_address_goes_by_registered_letter_only(qtbot, ledger, tmp_path):
    """No address: the copy cannot go, the page says so and the post is chosen."""
    ops = Ops(ledger, today=lambda: TODAY)
    ids = seed(ledger)
    wizard = prepared(qtbot, NoticeWizard(ops, ids["martin"]), tmp_path)
    go_to(wizard, wizard.amounts_page)
    wizard.amounts_page.registered.setText("1A 123 456 7890 1")
    go_to(wizard, wizard.channel_page)
    assert wizard.channel_page.channel() == "post"
    assert "pas d'adresse e-mail" in wizard.channel_page.account_note.text()


def plan_on_channel(qtbot, ledger, tmp_path) -> tuple[PlanWizard, Ops, list]:
    """The plan wizard for Dupont on its channel page, refusals collected."""
    refusals: list = []
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    ops.ids = seed(ledger)
    wizard = prepared(qtbot, PlanWizard(ops, ops.ids["dupont"]), tmp_path)
    go_to(wizard, wizard.channel_page)
    return wizard, ops, refusals


def test_plan_confirmed_by_email_alone(qtbot, ledger, tmp_path, smtp_server):
    """Issue 15: the plan's confirmation by e-mail (preselected), the agreement in PDF; the
    plan is created with the e-mail as its letter once the server accepted it."""
    server = smtp_server()
    ledger.set_mail_account(account(server.port))
    wizard, ops, refusals = plan_on_channel(qtbot, ledger, tmp_path)
    page = wizard.channel_page
    assert page.channel() == "email"
    assert page.subject.text().startswith("Confirmation de l'échéancier")
    assert "3 échéances" in page.body.toPlainText()
    go_to(wizard, wizard.output_page)
    assert wizard.output_page.choice() == "email"
    wizard.accept()
    assert refusals == []
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.plan_id is not None
    (msg,) = server.inbox.messages
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "Relance-F-101.pdf"
    history = ledger.history(ops.ids["dupont"])
    (agreement,) = [a for a, _ in history if a.kind == "agreement"]
    assert (agreement.channel, agreement.outcome) == ("email", "Envoyée par e-mail")
    (row,) = ledger.mails()
    assert agreement.document_path == row.attachment_path
    assert Path(row.attachment_path).is_file()
    (mail,) = [a for a, _ in history if a.notes.startswith("Confirmation de l'échéancier")]
    assert (mail.kind, mail.step, mail.outcome) == ("email", "", "Envoyée par e-mail")
    assert {r.invoice: r.stage for r in ledger.stages(TODAY)}["F-101"] == "payment_plan"


def test_plan_email_refused_creates_no_plan(qtbot, ledger, tmp_path, smtp_server):
    """The server down: said, no plan, nothing in the history; the wizard stays open."""
    server = smtp_server()
    ledger.set_mail_account(account(server.port))
    server.stop()
    wizard, _ops, _refusals = plan_on_channel(qtbot, ledger, tmp_path)
    before = ledger.counts()["actions"]
    go_to(wizard, wizard.output_page)
    wizard.accept()
    assert wizard.isVisible()
    assert wizard.plan_id is None
    assert "refuse la connexion" in wizard.outputs.warnings[0]
    assert ledger.counts()["actions"] == before
