"""A failed automatic backup: the window opens, a banner says why and leads to the settings."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import QSettings

from models.store.ledger import Ledger
from tests.ui.conftest import TODAY, fixed_data
from ui.ops import Ops
from ui.settings.backups import BackupsPage
from ui.window.main import MainWindow

NOW = dt.datetime(2026, 3, 15, 9, 0)


def unplugged(tmp_path):
    """A database whose backup folder is on a drive that is gone (a file where it was)."""
    path = tmp_path / "relance.sqlite"
    led = Ledger.open(str(path))
    fixed_data(led)
    led.close()
    drive = tmp_path / "cle-usb"
    drive.write_text("")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('backup_dir', ?)",
            (f'"{drive / "sauvegardes"}"',),
        )
    conn.close()
    return path


def test_unplugged_backup_drive_opens_with_a_banner(qtbot, tmp_path, monkeypatch):
    # Issue 12, item 1: the window opens; the banner names the reason and the way out.
    led = Ledger.open(str(unplugged(tmp_path)), now=NOW)
    ops = Ops(led, today=lambda: TODAY)
    problems: list[str] = []
    ops.show_problem = lambda _parent, text: problems.append(text)
    win = MainWindow(ops, QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1100, 500)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data and win.balance is not None, timeout=10000)
    banner = win.backup_banner
    assert banner.isVisible()
    assert banner.text().startswith("⚠ La sauvegarde n'a pas pu être faite : ")
    assert "cle-usb" in banner.text()
    assert banner.button.text() == "Réglages des sauvegardes…"
    opened = []
    import ui.settings.dialog as dialog

    monkeypatch.setattr(dialog, "open_settings", lambda o, parent, page: opened.append(page))
    banner.button.click()
    assert opened == ["backups"]
    # On the backups page: "Sauvegarder maintenant" into the missing folder is said, not raised.
    page = BackupsPage(ops)
    qtbot.addWidget(page)
    page.now = lambda: NOW
    assert page.backup_now() is None
    assert "n'est pas utilisable" in problems[0] or "impossible" in problems[0]
    # Another folder is accepted; the missed backup is made there at once and the banner goes.
    page.folder.setText(str(tmp_path / "sauvegardes"))
    assert page.save()
    assert len(led.backups()) == 1
    assert led.backups()[0].parent == tmp_path / "sauvegardes"
    assert not banner.isVisible()
    assert page.status.text().startswith("Sauvegarde faite : ")
    win.close()
    led.close()
