"""Fichier > Importer des factures… and Synchroniser maintenant: the summaries the user sees."""

from __future__ import annotations

from pathlib import Path

import pytest

import ui.dialogs.einvoices as einvoices
import ui.dialogs.sync as sync_flow
from models.store.ledger import Ledger
from tests.models.einvoice.samples import Sample, cii_xml, facturx_pdf, plain_pdf, ubl_xml, write
from ui.dialogs.summary import SummaryDialog
from ui.ops import Ops
from ui.settings.sync import SyncPage


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[SummaryDialog]:
    """The summaries shown (a modal dialog would block the test)."""
    dialogs: list[SummaryDialog] = []
    monkeypatch.setattr(einvoices, "show_hook", dialogs.append)
    monkeypatch.setattr(sync_flow, "show_hook", dialogs.append)
    monkeypatch.setattr(sync_flow, "show_later_hook", dialogs.append)
    return dialogs


def test_import_summary_lists_what_was_added(
    qtbot, ops: Ops, ledger: Ledger, shown: list[SummaryDialog], tmp_path: Path
) -> None:
    files = [
        write(tmp_path, "FX-1.pdf", facturx_pdf(Sample("FX-1"))),
        write(
            tmp_path, "U-2.xml", ubl_xml(Sample("U-2", buyer="Agence Lumen", siren="", siret=""))
        ),
    ]
    changes: list[str] = []
    ops.changed.connect(changes.append)
    report = einvoices.import_einvoices(None, ops, files)
    assert report is not None
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert "2 facture(s) ajoutée(s), 2 client(s) créé(s)" in dialog.headline.text()
    assert dialog.rows() == [
        (
            "Ajoutée",
            "FX-1.pdf",
            "Facture FX-1 — Durand Bâtiment SAS (nouveau client), 1\u00a0481,47\u00a0€ TTC",
        ),
        (
            "Ajoutée",
            "U-2.xml",
            "Facture U-2 — Agence Lumen (nouveau client), 1\u00a0481,47\u00a0€ TTC",
        ),
    ]
    assert changes == ["all"]
    assert ledger.counts()["invoices"] == 2

    shown.clear()
    einvoices.import_einvoices(None, ops, files)
    assert [row[0] for row in shown[0].rows()] == ["Déjà connue", "Déjà connue"]
    qtbot.addWidget(shown[0])


def test_import_summary_names_the_refused_file(
    qtbot, ops: Ops, ledger: Ledger, shown: list[SummaryDialog], tmp_path: Path
) -> None:
    files = [write(tmp_path, "c.xml", cii_xml()), write(tmp_path, "scan.pdf", plain_pdf())]
    einvoices.import_einvoices(None, ops, files)
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert "rien n'a été enregistré" in dialog.headline.text()
    ((status, name, detail),) = dialog.rows()
    assert (status, name) == ("Refusé", "scan.pdf")
    assert detail.startswith("PDF sans facture électronique")
    assert ledger.counts()["invoices"] == 0


def test_sync_page_saves_the_folders_and_synchronises(
    qtbot, ops: Ops, ledger: Ledger, shown: list[SummaryDialog], tmp_path: Path
) -> None:
    drop = tmp_path / "factures"
    drop.mkdir()
    write(drop, "FX-1.pdf", facturx_pdf(Sample("FX-1")))
    page = SyncPage(ops)
    qtbot.addWidget(page)
    page.pick_folder = lambda _parent, _title, _start: str(drop)
    page._browse("invoices")
    assert page.is_dirty()
    page.sync_now()  # saves first, then reads the folder
    assert ledger.setting("sync_invoices_dir") == str(drop)
    assert not page.is_dirty()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.rows()[0][:2] == ("Lu", "Factures / FX-1.pdf")
    assert page.table.rowCount() == 1
    assert page.table.item(0, 2).text() == "FX-1.pdf"
    assert ledger.counts()["invoices"] == 1


def test_sync_page_refuses_a_relative_folder(qtbot, ops: Ops, ledger: Ledger, refusals) -> None:
    page = SyncPage(ops)
    qtbot.addWidget(page)
    page.edits["invoices"].setText("factures")
    assert page.save() is False
    assert "chemin complet" in str(refusals[0])
    assert ledger.setting("sync_invoices_dir") == ""


def test_at_start_the_summary_shows_only_when_something_is_new(
    qtbot, ops: Ops, ledger: Ledger, shown: list[SummaryDialog], tmp_path: Path
) -> None:
    ledger.set_setting("sync_invoices_dir", str(tmp_path))
    sync_flow.synchronise_now(None, ops, at_start=True)
    assert shown == []
    write(tmp_path, "C-1.xml", cii_xml(Sample("C-1")))
    sync_flow.synchronise_now(None, ops, at_start=True)
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.headline.text() == "<b>Synchronisation : 1 nouveau(x) fichier(s) lu(s).</b>"


def test_the_window_menu_and_the_start(
    qtbot, ops: Ops, ledger: Ledger, shown: list[SummaryDialog], tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from ui.window.main import MainWindow

    win = MainWindow(ops, QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    file_menu = win.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert "Importer des factures…" in texts
    assert "Synchroniser maintenant" in texts
    win.sync_at_start()  # no folder set: nothing read, nothing shown
    assert shown == []
    write(tmp_path, "C-1.xml", cii_xml(Sample("C-1")))
    ledger.set_setting("sync_invoices_dir", str(tmp_path))
    win.sync_at_start()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.rows()[0][:2] == ("Lu", "Factures / C-1.xml")
    assert ledger.counts()["invoices"] == 1
