"""Paramètres > Sauvegardes on a shared ledger: pg_dump explained, a SQLite copy exported."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from models.store.ledger import Ledger
from tests.ui.conftest import fixed_data
from ui.ops import Ops
from ui.settings.backups import BackupsPage

SHOTS = os.environ.get("RELANCE_SHOTS")


def test_server_ledger_backups_page_exports_a_sqlite_copy(qtbot, tmp_path: Path, pg_url: str):
    ledger = Ledger.open(pg_url)
    fixed_data(ledger)
    page = BackupsPage(Ops(ledger, today=lambda: dt.date(2026, 3, 15)))
    qtbot.addWidget(page)
    page.resize(760, 520)
    page.show()
    assert page.server_box.isVisible()
    assert not page.table.isVisible()
    assert not page.backup_button.isVisible()
    texts = " ".join(w.text() for w in page.server_box.findChildren(type(page.status)))
    assert "pg_dump" in texts
    assert "pg_restore" in texts
    dest = tmp_path / "copie.sqlite"
    page.ask_save_path = lambda *_args: dest
    assert page.export_copy() == dest
    assert "8 factures" in page.export_status.text()
    copy = Ledger.open(str(dest), create=False)
    assert copy.counts() == ledger.counts()
    assert copy.aged_balance(dt.date(2026, 3, 15)) == ledger.aged_balance(dt.date(2026, 3, 15))
    copy.close()
    # A second export to the same name replaces nothing: refused, the file as it was.
    before = dest.read_bytes()
    refused: list[str] = []
    page.ops.refused.connect(refused.append)
    page.ops.show_refusal = lambda _parent, _exc: None
    assert page.export_copy() is None
    assert "existe déjà" in refused[0]
    assert dest.read_bytes() == before
    if SHOTS:
        qtbot.wait(50)  # the layout follows the status line first
        page.grab().save(str(Path(SHOTS) / "sauvegardes-serveur.png"))
    ledger.close()
