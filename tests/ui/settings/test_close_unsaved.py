"""Closing the settings with changes not saved asks Enregistrer / Ne pas enregistrer / Annuler."""

from __future__ import annotations

import pytest

from ui.ops import Ops
from ui.settings.dialog import CANCEL, DISCARD, SAVE, SettingsDialog


@pytest.fixture
def dialog(qtbot, ledger) -> SettingsDialog:
    """The settings dialog, shown, with the company's name typed and not saved."""
    ops = Ops(ledger)
    ops.show_refusal = lambda _parent, exc: pytest.fail(str(exc))
    d = SettingsDialog(ops)
    qtbot.addWidget(d)
    d.show()
    name = d.pages["company"].edits["name"]  # type: ignore[attr-defined]
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Atelier Eric Dupont")  # typed, as a user would
    return d


def asked(dialog: SettingsDialog, answer: str) -> list[list[str]]:
    questions: list[list[str]] = []

    def ask(_parent, pages):
        questions.append(pages)
        return answer

    dialog.ask_unsaved = ask
    return questions


def test_cancel_keeps_the_dialog_open_with_the_change(dialog, ledger):
    """Rule: a change is never lost without a word; Annuler stays."""
    questions = asked(dialog, CANCEL)
    assert dialog.unsaved() == ["company"]
    dialog.reject()  # Fermer / Échap
    assert questions == [["Entreprise"]]
    assert dialog.isVisible()
    assert dialog.pages["company"].edits["name"].text() == "Atelier Eric Dupont"  # type: ignore[attr-defined]
    assert not dialog.close()  # the window's close button asks too
    assert dialog.isVisible()


def test_save_writes_then_closes(dialog, ledger):
    """Rule: Enregistrer saves the page's changes, then the dialog closes."""
    asked(dialog, SAVE)
    dialog.reject()
    assert not dialog.isVisible()
    assert ledger.company().name == "Atelier Eric Dupont"


def test_discard_closes_and_writes_nothing(dialog, ledger):
    """Rule: Ne pas enregistrer closes and leaves the stored settings as they were."""
    before = ledger.company().name
    asked(dialog, DISCARD)
    dialog.reject()
    assert not dialog.isVisible()
    assert ledger.company().name == before


def test_no_question_without_changes(qtbot, ledger):
    """Rule: nothing changed, nothing asked."""
    d = SettingsDialog(Ops(ledger))
    qtbot.addWidget(d)
    d.show()
    questions = asked(d, CANCEL)
    d.reject()
    assert questions == []
    assert not d.isVisible()


def test_rates_and_backups_pages_ask_too(qtbot, tmp_path):
    """Rule: every page with a form asks before its typing is lost (Taux, Sauvegardes)."""
    from models.store.ledger import Ledger

    led = Ledger.open(str(tmp_path / "r.sqlite"))
    try:
        d = SettingsDialog(Ops(led))
        qtbot.addWidget(d)
        d.show()
        assert d.unsaved() == []
        rates = d.pages["rates"]
        rates.code.setText("2027-H1")  # type: ignore[attr-defined]
        rates.ecb.setText("2,40")  # type: ignore[attr-defined]
        backups = d.pages["backups"]
        backups.kept.setValue(backups.kept.value() + 3)  # type: ignore[attr-defined]
        assert sorted(d.unsaved()) == ["backups", "rates"]
        questions = asked(d, DISCARD)
        d.reject()
        assert len(questions) == 1
        assert not d.isVisible()
    finally:
        led.close()
