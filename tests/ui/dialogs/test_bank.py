"""Fichier > Importer un relevé bancaire…: proposals shown, sure ones recorded, the rest
reconciled by hand or marked not ours (pytest-qt, a CAMT.053 written in the test)."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from models.store.codes import BANK_NOT_OURS
from tests.models.bank.statements import MOVES, camt053, fill_ledger
from ui.dialogs import bank, bank_pending
from ui.dialogs.bank import BankDialog, import_statement
from ui.dialogs.bank_items import COL_PAYER, COL_TEXT, COL_WHAT
from ui.window.main import MainWindow

SHOTS = Path("/work/helper-briefs/shots-bank19")


def _shot(widget, name):
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / name))


@pytest.fixture
def ids(ledger):
    return fill_ledger(ledger)


@pytest.fixture
def camt(tmp_path):
    path = tmp_path / "releve-mars.xml"
    path.write_bytes(camt053(MOVES))
    return path


def test_the_statement_lists_credits_with_reasons_then_records_the_sure_ones(qtbot, ops, ids, camt):
    dialog = import_statement(None, ops, camt)
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.tree
    assert tree.topLevelItemCount() == 5
    first = tree.topLevelItem(0)
    assert first.text(COL_WHAT) == "Sûr"
    assert first.child(0).text(COL_TEXT) == "n° de facture F2026-01 dans le libellé"
    kasba = tree.topLevelItem(2)
    assert kasba.text(COL_WHAT) == "Probable"
    assert kasba.child(0).text(COL_WHAT) == (
        "Probable : F2026-021 250,00\u00a0€, F2026-022 400,00\u00a0€"
    )
    assert tree.topLevelItem(3).child(0).text(COL_WHAT).startswith("Possible : F2026-030")
    assert tree.topLevelItem(4).text(COL_WHAT) == "Aucune proposition"
    assert "2 paiement(s) sûr(s) à enregistrer" in dialog.summary.text()
    _shot(dialog, "bank-statement.png")
    assert ops.ledger.counts()["payments"] == 0
    qtbot.mouseClick(dialog.apply_btn, Qt.MouseButton.LeftButton)
    assert ops.ledger.counts()["payments"] == 2
    assert ops.ledger.balance_cents(ids["F2026-01"]) == 0
    assert tree.topLevelItem(0).text(COL_WHAT) == "Enregistré"
    assert "2 paiement(s) enregistré(s), 3 à rapprocher" in dialog.summary.text()
    assert not dialog.apply_btn.isEnabled()
    assert dialog.pending.tree.topLevelItemCount() == 3
    assert dialog.tabs.tabText(1) == "À rapprocher (3)"
    _shot(dialog, "bank-statement-recorded.png")


def test_a_waiting_credit_is_accepted_picked_or_marked_not_ours(qtbot, ops, ids, camt, refusals):
    ops.ledger.bank_import(bank.read_statement(camt), ops.today())
    dialog = BankDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.pending
    pending = tab.tree
    assert pending.topLevelItemCount() == 3
    # The Kasba credit is selected: its proposal's invoices are ticked in the picker.
    assert pending.currentItem().text(COL_PAYER) == "STUDIO KASBA"
    ticked = [
        tab.invoice_list.item(i).text().split(" — ")[0]
        for i in range(tab.invoice_list.count())
        if tab.invoice_list.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["F2026-021", "F2026-022"]
    dialog.tabs.setCurrentIndex(0)
    _shot(dialog, "bank-to-reconcile.png")
    qtbot.mouseClick(tab.accept_btn, Qt.MouseButton.LeftButton)
    assert ops.ledger.balance_cents(ids["F2026-021"]) == 0
    assert ops.ledger.balance_cents(ids["F2026-022"]) == 0
    assert pending.topLevelItemCount() == 2
    _shot(dialog, "bank-to-reconcile-after-accept.png")
    # Lumen's credit: the user ticks the newer invoice instead of the proposal's.
    assert pending.currentItem().text(COL_PAYER) == "AGENCE LUMEN SARL"
    tab.search.setText("F2026-031")
    assert tab.invoice_list.count() == 1
    tab.invoice_list.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(tab.record_btn, Qt.MouseButton.LeftButton)
    assert ops.ledger.balance_cents(ids["F2026-031"]) == 0
    assert ops.ledger.credit_cents(ids["lumen"]) == 20000  # the excess, kept as trop-perçu
    # The unknown credit: not ours, with the reason typed.
    bank_pending.ask_text_hook = lambda *_a: "virement entre nos comptes"
    try:
        tab.search.clear()
        qtbot.mouseClick(tab.not_ours_btn, Qt.MouseButton.LeftButton)
    finally:
        bank_pending.ask_text_hook = bank_pending.ask_text
    assert pending.topLevelItemCount() == 0
    assert "Aucun virement à rapprocher" in tab.label.text()
    (gone,) = ops.ledger.bank_entries(BANK_NOT_OURS)
    assert gone.note == "virement entre nos comptes"
    assert refusals == []


def test_a_bad_file_is_refused_with_its_name(qtbot, ops, ids, tmp_path, refusals):
    path = tmp_path / "abime.xml"
    path.write_bytes(camt053(MOVES)[:600])
    assert import_statement(None, ops, path) is None
    assert "abime.xml : XML mal formé" in str(refusals[0])


def test_the_file_menu_opens_the_statement(qtbot, ops, ids, camt, tmp_path, monkeypatch):
    settings = QSettings(str(tmp_path / "relance.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ops, settings)
    qtbot.addWidget(window)
    monkeypatch.setattr(bank, "choose_statement_hook", lambda _parent: camt)
    window.act_bank.trigger()
    assert isinstance(window.dialog, BankDialog)
    assert window.dialog.tree.topLevelItemCount() == 5
    window.dialog.close()
    window.act_bank_pending.trigger()
    assert window.dialog.tabs.count() == 1
    assert window.dialog.tabs.tabText(0) == "À rapprocher (0)"
