"""The window's import flow: skipped lines and inferred dates shown, conflicts asked about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import ui.window.first_run as first_run
from models.store.ledger import Ledger
from ui.ops import Ops

HEADER = "Client;Date facture;N° facture;Échéance;Montant TTC;Payé\n"


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the end-of-import box says (a modal box would block the test)."""
    said: list[str] = []
    monkeypatch.setattr(first_run, "tell_hook", lambda _p, _t, text: said.append(text))
    return said


def test_import_shows_skipped_lines_and_inferred_dates(
    qtbot, ops: Ops, ledger: Ledger, told: list[str], tmp_path: Path
) -> None:
    ops.set_today(dt.date(2026, 3, 10))
    sheet = tmp_path / "suivi.csv"
    sheet.write_text(
        "Suivi 2026\n" + HEADER + "Studio Kasba;15/02/2026;FA-1;31/03/2026;1 200,00;oui\n"
        "TOTAL;;;;1 200,00;\n",
        encoding="utf-8",
    )
    assert first_run.import_spreadsheet(None, ops, sheet)
    (text,) = told
    assert text.startswith("1 facture(s) et 1 client(s) créés, 1 paiement(s)")
    assert "• ligne 1 ignorée : au-dessus de la ligne d'en-tête (« Suivi 2026 »)" in text
    assert "• ligne 4 ignorée : ligne de total (« TOTAL »), pas une facture" in text
    assert "1 date(s) de paiement supposée(s)" in text
    inv = ledger.find_invoice("FA-1")
    assert [p.date for p in ledger.payments(inv.id)] == [dt.date(2026, 3, 10)]


@pytest.mark.parametrize(("answer", "cents"), [(False, 10000), (True, 12000), (None, 10000)])
def test_conflicts_are_asked_before_anything_is_written(
    qtbot, ops: Ops, ledger: Ledger, told, tmp_path: Path, monkeypatch, answer, cents
) -> None:
    ops.set_today(dt.date(2026, 3, 10))
    first = tmp_path / "a.csv"
    first.write_text(HEADER + "Studio Kasba;15/02/2026;FZ-1;;100,00;non\n", encoding="utf-8")
    assert first_run.import_spreadsheet(None, ops, first)
    second = tmp_path / "b.csv"
    second.write_text(
        HEADER + "Studio Kasba;15/02/2026;fz-1;;120,00;non\nAgence Lumen;15/02/2026;FZ-2;;5;non\n",
        encoding="utf-8",
    )
    asked: list[list[str]] = []
    monkeypatch.setattr(
        first_run,
        "ask_conflicts_hook",
        lambda _p, rep: asked.append([c.text for c in rep.conflicts]) or answer,
    )
    assert first_run.import_spreadsheet(None, ops, second) is (answer is not None)
    assert len(asked) == 1
    assert asked[0][0].startswith("ligne 2 : la facture FZ-1 est enregistrée pour 100,00")
    assert "gardée" not in asked[0][0]  # the question does not announce its own answer
    assert ledger.find_invoice("FZ-1").amount_ttc_cents == cents
    assert ledger.counts()["invoices"] == (1 if answer is None else 2)  # cancel: nothing written


def test_conflict_box_offers_keep_replace_and_cancel(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from models.importing.apply import ImportConflict, ImportReport

    seen: list[list[str]] = []

    def click(box: QMessageBox) -> int:
        seen.append(sorted(b.text() for b in box.buttons()))
        next(b for b in box.buttons() if b.text().startswith("Remplacer")).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    report = ImportReport(conflicts=[ImportConflict("ligne 2 : la facture FZ-1 …", "gardée")])
    assert first_run.ask_conflicts(None, report) is True
    assert seen == [
        ["Annuler l'import", "Garder celles enregistrées", "Remplacer par celles du fichier"]
    ]
