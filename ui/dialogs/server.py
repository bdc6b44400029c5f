"""Fichier > Base partagée… : the address of a ledger on a PostgreSQL server, tested, then opened.

The address goes to the window's settings without the password; the password goes to the
system keyring (or, without one, stays for this session; ~/.pgpass serves the next ones).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.errors import InputError
from models.store import db, server
from models.store.server import SSL_MODES, ServerAddress
from ui.ops import tr

SSL_LABELS = {
    "disable": "disable : jamais chiffré",
    "allow": "allow : chiffré si le serveur l'exige",
    "prefer": "prefer : chiffré si possible (défaut)",
    "require": "require : toujours chiffré",
    "verify-ca": "verify-ca : chiffré, certificat vérifié",
    "verify-full": "verify-full : chiffré, certificat et nom vérifiés",
}


class SharedDatabaseDialog(QDialog):
    """Server, port, database, user, sslmode and password; 'Tester' connects once."""

    chosen = Signal(str, str)  # the URL (no password), the password typed ("" if none)

    def __init__(self, current_url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Base partagée (PostgreSQL)"))
        self.setMinimumWidth(520)
        known = ServerAddress.from_url(current_url) if db.is_server(current_url) else None
        self.host = QLineEdit(known.host if known else "")
        self.host.setPlaceholderText(tr("serveur.bureau.lan ou 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(known.port if known else server.DEFAULT_PORT)
        self.database = QLineEdit(known.database if known else "relance")
        self.user = QLineEdit(known.user if known else "")
        self.sslmode = QComboBox()
        for mode in SSL_MODES:
            self.sslmode.addItem(tr(SSL_LABELS[mode]), mode)
        self.sslmode.setCurrentIndex(SSL_MODES.index(known.sslmode if known else "prefer"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("laisser vide : trousseau, ~/.pgpass ou PGPASSWORD"))
        form = QFormLayout()
        form.addRow(tr("Serveur"), self.host)
        form.addRow(tr("Port"), self.port)
        form.addRow(tr("Base"), self.database)
        form.addRow(tr("Utilisateur"), self.user)
        form.addRow(tr("Chiffrement (sslmode)"), self.sslmode)
        form.addRow(tr("Mot de passe"), self.password)
        hint = QLabel(
            tr(
                "Plusieurs personnes travaillent sur le même registre, enregistré sur un "
                "serveur PostgreSQL de confiance. Le mot de passe est gardé dans le trousseau "
                "du système, jamais dans les réglages. Pour créer la base et les rôles : "
                "packaging/postgresql-setup.sql."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.test_button = QPushButton(tr("Tester la connexion"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.result, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setText(tr("Ouvrir"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuler"))
        box = QVBoxLayout(self)
        box.addWidget(hint)
        box.addLayout(form)
        box.addLayout(row)
        box.addWidget(self.buttons)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.open_chosen)
        self.buttons.rejected.connect(self.reject)

    def address(self) -> ServerAddress:
        """The address as typed (checked by `server.check_address`)."""
        return ServerAddress(
            host=self.host.text().strip(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            sslmode=str(self.sslmode.currentData()),
        )

    def _show(self, text: str, ok: bool) -> None:
        colour = "#1b5e20" if ok else "#b71c1c"
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText(text[:1].upper() + text[1:])

    def test_connection(self) -> bool:
        """Connect once with what is typed; the outcome in French beside the button."""
        try:
            found = server.try_connection(self.address(), self.password.text() or None)
        except InputError as exc:
            self._show(str(exc), ok=False)
            return False
        self._show(found, ok=True)
        return True

    def open_chosen(self) -> None:
        """Check the address, keep the password in the keyring, hand the URL to the window."""
        if not self.test_connection():
            return
        address = self.address()
        password = self.password.text()
        if password:
            server.store_password(address, password)
        self.chosen.emit(address.url(), password)
        self.accept()
