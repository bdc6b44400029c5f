"""Settings page 'E-mail': the sending account, "Tester l'envoi", and the e-mail texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.errors import InputError
from models.letters.templates import SAMPLE_VALUES
from models.mail import outbox
from models.mail.account import COPY_MODES, SECURITIES, SECURITY_LABELS, account_from
from models.mail.kinds import MAIL_KINDS
from models.mail.smtp import SendError
from models.mail.templates import MAIL_TITLES, render_mail, validate_mail
from ui import mail
from ui.ops import Ops, tr
from ui.settings.templates import saved

COPY_LABELS = {"": "Pas de copie", "cc": "Copie visible (Cc)", "bcc": "Copie cachée (Cci)"}
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


class MailPage(QWidget):
    """The SMTP account (password to the keyring), a test message, and each step's e-mail."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.cafile: str | None = None  # a company's own authority (tests: a self-signed one)
        self.send_test: Callable[..., str] = outbox.send_test
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.exemple.fr")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.security = QComboBox()
        for code in SECURITIES:
            self.security.addItem(tr(SECURITY_LABELS[code]), code)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sender_name = QLineEdit()
        self.sender = QLineEdit()
        self.sender.setPlaceholderText("factures@votre-entreprise.fr")
        self.reply_to = QLineEdit()
        self.copy = QComboBox()
        for code in COPY_MODES:
            self.copy.addItem(tr(COPY_LABELS[code]), code)
        self.receipt = QCheckBox(tr("Demander un accusé de lecture"))
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #555;")
        self.save_button = QPushButton(tr("Enregistrer"))
        self.test_button = QPushButton(tr("Tester l'envoi"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Serveur SMTP"), self.host)
        form.addRow(tr("Port"), self.port)
        form.addRow(tr("Sécurité"), self.security)
        form.addRow(tr("Identifiant"), self.user)
        form.addRow(tr("Mot de passe"), self.password)
        form.addRow("", self.keyring_note)
        form.addRow(tr("Nom de l'expéditeur"), self.sender_name)
        form.addRow(tr("Adresse de l'expéditeur"), self.sender)
        form.addRow(tr("Répondre à"), self.reply_to)
        form.addRow(tr("Copie à moi-même"), self.copy)
        form.addRow("", self.receipt)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        form.addRow(self.status)
        account_box = QGroupBox(tr("Compte d'envoi"))
        account_box.setLayout(form)

        self.kind = QComboBox()
        for kind in MAIL_KINDS:
            self.kind.addItem(tr(MAIL_TITLES[kind]), kind)
        self.text = QPlainTextEdit()
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.text_status = QLabel()
        self.text_status.setWordWrap(True)
        self.save_text = QPushButton(tr("Enregistrer le texte"))
        self.reset_text = QPushButton(tr("Rétablir le texte d'origine"))
        texts = QGroupBox(tr("Textes des e-mails (mêmes champs que les lettres)"))
        col = QVBoxLayout(texts)
        col.addWidget(self.kind)
        pair = QHBoxLayout()
        pair.addWidget(self.text, 1)
        pair.addWidget(self.preview, 1)
        col.addLayout(pair, 1)
        row = QHBoxLayout()
        row.addWidget(self.text_status, 1)
        row.addWidget(self.reset_text)
        row.addWidget(self.save_text)
        col.addLayout(row)

        outer = QVBoxLayout(self)
        outer.addWidget(account_box)
        outer.addWidget(texts, 1)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.kind.currentIndexChanged.connect(self._load_text)
        self.text.textChanged.connect(self._preview)
        self.save_text.clicked.connect(self.store_text)
        self.reset_text.clicked.connect(self.restore_text)
        self.load()

    # -- account -----------------------------------------------------------------------------
    def load(self) -> None:
        """Show the stored account (never a password) and the first e-mail text."""
        try:
            acc = self.ops.ledger.mail_account()
        except InputError:
            acc = None
        self.host.setText(acc.host if acc else "")
        self.port.setValue(acc.port if acc else 587)
        self.security.setCurrentIndex(SECURITIES.index(acc.security) if acc else 1)
        self.user.setText(acc.user if acc else "")
        self.sender_name.setText(acc.sender_name if acc else self._company_name())
        self.sender.setText(acc.sender if acc else "")
        self.reply_to.setText(acc.reply_to if acc else "")
        self.copy.setCurrentIndex(COPY_MODES.index(acc.copy_to_self) if acc else 0)
        self.receipt.setChecked(acc.read_receipt if acc else False)
        self.password.clear()
        self.password.setPlaceholderText(
            tr("(enregistré)") if acc and mail.PASSWORDS.get(acc) else ""
        )
        self.keyring_note.setText(
            tr("Le mot de passe est gardé dans le trousseau du système, jamais dans la base.")
            if mail.PASSWORDS.backend_ok()
            else tr(
                "Aucun trousseau n'est disponible sur ce système : le mot de passe n'est pas "
                "enregistré, il sera demandé une fois par session."
            )
        )
        self._load_text()

    def _company_name(self) -> str:
        return str((self.ops.ledger.setting("company") or {}).get("name", ""))

    def _security_changed(self) -> None:
        code = self.security.currentData()
        if self.port.value() in DEFAULT_PORTS.values():
            self.port.setValue(DEFAULT_PORTS[code])

    def value(self) -> dict[str, Any]:
        """The account as typed (the stored form, without the password)."""
        return {
            "host": self.host.text().strip(),
            "port": self.port.value(),
            "security": self.security.currentData(),
            "user": self.user.text().strip(),
            "sender": self.sender.text().strip(),
            "sender_name": self.sender_name.text().strip(),
            "reply_to": self.reply_to.text().strip(),
            "copy_to_self": self.copy.currentData(),
            "read_receipt": self.receipt.isChecked(),
        }

    def save(self) -> bool:
        """Store the account; a password typed goes to the keyring (or this session)."""
        value = self.value()
        store = saved(lambda: self.ops.ledger.set_mail_account(value))
        if not self.ops.run(self, store, "settings"):
            return False
        acc = account_from(value)
        if acc is not None and self.password.text():
            kept = mail.PASSWORDS.set(acc, self.password.text())
            self.status.setText(
                tr("Compte enregistré ; mot de passe dans le trousseau.")
                if kept
                else tr("Compte enregistré ; mot de passe gardé pour cette session seulement.")
            )
        else:
            self.status.setText(tr("Compte enregistré."))
        self.password.clear()
        return True

    def test(self) -> bool:
        """Save, then send a test message to the sender; the server's answer on failure."""
        if not self.save():
            return False
        acc = self.ops.ledger.mail_account()
        if acc is None:
            return False
        password = mail.password_for(self, acc)
        if password is None:
            return False
        try:
            said = self.send_test(acc, password, mail.now(), self.cafile)
        except SendError as exc:
            self.status.setText(tr("Échec de l'envoi : {why}.").format(why=exc))
            self.status.setStyleSheet("color: #b00020;")
            return False
        self.status.setText(tr("Envoi réussi : {said}.").format(said=said))
        self.status.setStyleSheet("color: #1b5e20;")
        return True

    # -- texts -------------------------------------------------------------------------------
    def _load_text(self) -> None:
        kind = self.kind.currentData()
        self.text.setPlainText(self.ops.ledger.mail_template(kind))
        custom = self.ops.ledger.mail_template_is_custom(kind)
        self.text_status.setText(tr("Texte modifié par vous.") if custom else "")
        self.reset_text.setEnabled(custom)

    def _preview(self) -> None:
        text = self.text.toPlainText()
        errors = validate_mail(text)
        if errors:
            self.preview.setPlainText("\n".join(f"• {e}" for e in errors))
            return
        try:
            subject, body = render_mail(text, SAMPLE_VALUES, b2c=False)
        except InputError as exc:
            self.preview.setPlainText(str(exc))
            return
        self.preview.setPlainText(tr("Objet : {s}").format(s=subject) + "\n\n" + body)

    def store_text(self) -> bool:
        """Store the text shown for the step chosen (an unknown {field} is refused)."""
        kind, text = self.kind.currentData(), self.text.toPlainText()
        done = self.ops.run(
            self, saved(lambda: self.ops.ledger.set_mail_template(kind, text)), "settings"
        )
        self._load_text()
        return bool(done)

    def restore_text(self) -> None:
        """Go back to the shipped text for this step."""
        kind = self.kind.currentData()
        self.ops.run(self, saved(lambda: self.ops.ledger.reset_mail_template(kind)), "settings")
        self._load_text()
