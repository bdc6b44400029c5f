"""Fichier > Base partagée… on a real PostgreSQL server: test the connection, then reopen."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from sqlalchemy.engine import make_url

from models.store.ledger import Ledger
from models.store.server import ServerAddress
from tests.pg import PASSWORD_ROLE, SUPERUSER, PgServer
from tests.ui.conftest import fixed_data
from ui.dialogs.server import SharedDatabaseDialog
from ui.dialogs.user_name import UserNameDialog
from ui.ops import Ops
from ui.window.main import OPEN_WINDOWS, MainWindow

SHOTS = os.environ.get("RELANCE_SHOTS")  # a folder: the tests save their screenshots there


def fill(dialog: SharedDatabaseDialog, url: str, user: str = SUPERUSER) -> None:
    address = ServerAddress.from_url(url)
    dialog.host.setText(address.host)
    dialog.port.setValue(address.port)
    dialog.database.setText(address.database)
    dialog.user.setText(user)


def test_connection_is_tested_and_said_in_french(qtbot, pg_url: str, pg_server: PgServer):
    dialog = SharedDatabaseDialog("")
    qtbot.addWidget(dialog)
    assert dialog.test_connection() is False  # nothing typed
    assert "Serveur" in dialog.result.text() or "serveur" in dialog.result.text()
    fill(dialog, pg_url)
    assert dialog.test_connection()
    assert "registre Relance, 0 client(s)" in dialog.result.text()
    fill(dialog, pg_url, PASSWORD_ROLE)
    dialog.password.setText("pas-le-bon")
    assert dialog.test_connection() is False
    assert "mot de passe incorrect" in dialog.result.text()
    assert "pas-le-bon" not in dialog.result.text()
    dialog.port.setValue(pg_server.port + 1 if pg_server.port < 65535 else 1)
    dialog.password.clear()
    assert dialog.test_connection() is False
    assert "injoignable" in dialog.result.text()
    if SHOTS:
        fill(dialog, pg_url)
        dialog.password.setText("secret")
        dialog.show()
        assert dialog.test_connection()
        dialog.grab().save(str(Path(SHOTS) / "base-partagee.png"))


def test_the_window_reopens_on_the_shared_ledger(qtbot, ops: Ops, tmp_path: Path, pg_url: str):
    shared = Ledger.open(pg_url)
    fixed_data(shared)
    shared.close()
    settings = QSettings(str(tmp_path / "relance.ini"), QSettings.Format.IniFormat)
    first = MainWindow(ops, settings)
    qtbot.addWidget(first)
    asked: list[QDialog] = []
    first.run_dialog = lambda question: asked.append(question) or question.reject() or 0
    first.show()
    first.open_shared_dialog()
    dialog = first.dialog
    assert isinstance(dialog, SharedDatabaseDialog)
    fill(dialog, pg_url)
    opened: list[str] = []
    dialog.chosen.connect(lambda url, _pw: opened.append(url))
    dialog.open_chosen()
    assert opened
    assert make_url(opened[0]).password is None
    window = OPEN_WINDOWS[-1]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.invoices.has_data and window.balance is not None)
    qtbot.waitUntil(lambda: bool(asked))  # the name asked once, on arriving at the server
    assert isinstance(asked[0], UserNameDialog)
    assert "base partagée" in window.windowTitle()
    assert window.invoices.model.rowCount() == 8
    assert not first.isVisible()
    assert settings.value("database/url") == opened[0]  # the address, never a password
    assert "password" not in (tmp_path / "relance.ini").read_text(encoding="utf-8").lower()
    window.ops.ledger.close()
