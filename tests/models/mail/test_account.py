"""The account setting: checked, stored without password; the e-mail texts per step."""

from __future__ import annotations

import pytest

from models.errors import InputError, NotFoundError
from models.letters.templates import SAMPLE_VALUES
from models.mail.account import NoPasswordError, Passwords, account_from, check_account
from models.mail.kinds import MAIL_KINDS
from models.mail.templates import load_default_mail, render_mail, validate_mail

GOOD = {
    "host": "smtp.exemple.fr",
    "port": 587,
    "security": "starttls",
    "user": "moi",
    "sender": "factures@exemple.fr",
    "sender_name": "Menuiserie Testard",
}


def messages(value) -> list[str]:
    """The French messages for an account value."""
    return [str(e) for e in check_account(value)]


def test_no_encryption_only_for_localhost():
    """Issue 15 item 1: security "none" is refused for a server across the network."""
    assert messages(GOOD) == []
    assert messages(GOOD | {"host": "localhost", "security": "none"}) == []
    (msg,) = messages(GOOD | {"security": "none"})
    assert "seul un serveur sur cet ordinateur" in msg


def test_bad_values_named_in_french():
    """Each wrong field is named with why."""
    got = " ; ".join(
        messages(
            GOOD
            | {
                "port": 0,
                "security": "tls",
                "sender": "pas une adresse",
                "copy_to_self": "oui",
                "reply_to": "x\r\n@y",
            }
        )
    )
    assert "email.port" in got
    assert "ssl, starttls ou none" in got
    assert "« pas une adresse » n'est pas une adresse e-mail valide" in got
    assert "copie" in got
    assert "caractère de contrôle" in got


def test_a_password_in_the_setting_is_refused(ledger):
    """Issue 15 item 1: never in the database: refused, nothing stored."""
    with pytest.raises(InputError, match="trousseau"):
        ledger.set_mail_account(GOOD | {"password": "x"})
    assert ledger.mail_account() is None
    ledger.set_mail_account(GOOD)
    assert ledger.mail_account() == account_from(GOOD)


def test_no_keyring_backend_means_asked_per_session(monkeypatch):
    """Without a keyring: NoPasswordError says so; a typed password lives for the session."""
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("RELANCE_SMTP_PASSWORD", raising=False)
    try:
        acc = account_from(GOOD)
        passwords = Passwords()
        assert not passwords.backend_ok()
        with pytest.raises(NoPasswordError, match="aucun trousseau"):
            passwords.require(acc)
        assert passwords.set(acc, "secret") is False  # kept for the session only
        assert passwords.require(acc) == "secret"
        assert Passwords().get(acc) is None  # a new session knows nothing
        monkeypatch.setenv("RELANCE_SMTP_PASSWORD", "du-script")
        assert Passwords().require(acc) == "du-script"
    finally:
        keyring.set_keyring(before)


@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_every_shipped_mail_text_fills_with_the_letter_fields(kind):
    """Issue 15 item 2: the same {fields} as the letters; each text renders."""
    text = load_default_mail(kind)
    assert validate_mail(text) == []
    for b2c in (False, True):
        subject, body = render_mail(text, SAMPLE_VALUES, b2c)
        assert subject
        assert body
        assert "{" not in subject + body


def test_mail_text_is_editable_and_checked(ledger):
    """Issue 15 item 2: editable like the letters; an unknown {field} is refused."""
    ledger.set_mail_template("reminder_1", "Objet: Facture {liste_factures}\n\nBonjour {client}.")
    assert ledger.mail_template_is_custom("reminder_1")
    with pytest.raises(InputError, match="inconnu"):
        ledger.set_mail_template("reminder_1", "Objet: {montantt}\n\nBonjour")
    ledger.reset_mail_template("reminder_1")
    assert ledger.mail_template("reminder_1") == load_default_mail("reminder_1")
    with pytest.raises(NotFoundError):
        ledger.mail_template("penalty_statement")
