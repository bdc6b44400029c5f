"""Paramètres > E-mail: the account saved without password, "Tester l'envoi", the texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.mail_server import (
    PASSWORD,
    USER,
    certificate,
    memory_keyring,
    smtp_server,
)
from ui import mail
from ui.ops import Ops
from ui.settings.mail import MailPage

__all__ = ["certificate", "memory_keyring", "smtp_server"]
SHOTS = Path(os.environ.get("RELANCE_SHOTS", "/work/helper-briefs/shots-mail"))


@pytest.fixture(autouse=True)
def fresh_session(monkeypatch):
    """Each test starts a new session: no password typed yet, none asked by a dialog."""
    monkeypatch.setattr(mail, "PASSWORDS", mail.Passwords())
    monkeypatch.delenv("RELANCE_SMTP_PASSWORD", raising=False)


def fill(page: MailPage, port: int, security: str = "none", user: str = "") -> None:
    """Type an account for the local server."""
    page.host.setText("127.0.0.1")
    page.security.setCurrentIndex(page.security.findData(security))
    page.port.setValue(port)
    page.user.setText(user)
    page.sender_name.setText("Menuiserie Testard")
    page.sender.setText("factures@testard.fr")


def test_save_and_test_sends_to_the_sender(qtbot, ops: Ops, smtp_server, memory_keyring):
    """Issue 15 item 1: "Tester l'envoi" sends a test message to the sender; the password
    goes to the keyring, never into the settings."""
    server = smtp_server(auth=True)
    page = MailPage(ops)
    qtbot.addWidget(page)
    fill(page, server.port, user=USER)
    page.password.setText(PASSWORD)
    assert page.test()
    assert "Envoi réussi" in page.status.text()
    (msg,) = server.inbox.messages
    assert msg["To"].addresses[0].addr_spec == "factures@testard.fr"
    assert msg["Subject"] == "Relance : message de test"
    assert "password" not in ops.ledger.setting("email")
    assert PASSWORD in memory_keyring.secrets.values()
    page.resize(900, 760)
    page.grab().save(str(SHOTS / "settings-mail-ok.png"))


def test_wrong_password_shows_the_server_answer_in_french(
    qtbot, ops: Ops, smtp_server, certificate, memory_keyring
):
    """Issue 15 item 1: the server's exact answer on failure, in French."""
    server = smtp_server(auth=True, tls=certificate)
    page = MailPage(ops)
    qtbot.addWidget(page)
    page.cafile = str(certificate[0])
    fill(page, server.port, "starttls", USER)
    page.password.setText("faux")
    assert not page.test()
    text = page.status.text()
    assert text.startswith("Échec de l'envoi : le serveur 127.0.0.1:")
    assert "refuse l'identifiant ou le mot de passe" in text
    assert "535" in text
    assert server.inbox.messages == []
    page.resize(900, 760)
    page.grab().save(str(SHOTS / "settings-mail-refused.png"))


def test_no_encryption_to_a_remote_server_is_refused(qtbot, ops: Ops, refusals):
    """Security "none" only for localhost: refused with the reason, nothing stored."""
    page = MailPage(ops)
    qtbot.addWidget(page)
    fill(page, 25)
    page.host.setText("smtp.exemple.fr")
    assert not page.save()
    assert "seul un serveur sur cet ordinateur" in str(refusals[-1])
    assert ops.ledger.setting("email") == {}


def test_mail_text_preview_and_refusal(qtbot, ops: Ops, refusals):
    """Issue 15 item 2: the e-mail texts are edited with a live preview; bad fields refused."""
    page = MailPage(ops)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("reminder_1"))
    assert page.preview.toPlainText().startswith("Objet : Rappel de paiement")
    assert "Boulangerie Martin" not in page.preview.toPlainText()  # {client} not in the text
    page.text.setPlainText("Objet: Facture\n\nBonjour {client}, {montnt}.")
    assert "montnt" in page.preview.toPlainText()
    assert not page.store_text()
    assert refusals
    page.text.setPlainText("Objet: Facture {liste_factures}\n\nBonjour {client}.")
    assert "Bonjour Boulangerie Martin." in page.preview.toPlainText()
    assert page.store_text()
    assert ops.ledger.mail_template_is_custom("reminder_1")
