"""Paramètres > Entreprise > Utilisateur de ce poste (issue 18): the name history lines carry."""

from __future__ import annotations

import datetime as dt

from models.user import local_user_name, user_file
from ui.settings.company import CompanyPage


def test_the_name_typed_is_kept_on_this_machine_and_marks_the_next_lines(
    qtbot, ops, refusals, monkeypatch
):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    page = CompanyPage(ops)
    qtbot.addWidget(page)
    assert page.user.text() == ops.ledger.user
    page.user.setText("  Claire   Martin ")
    assert page.save_user()
    assert local_user_name() == "Claire Martin"
    assert user_file().is_file()
    c = ops.ledger.add_client("Boulangerie")
    ops.ledger.record_action(c, dt.date(2026, 3, 1), "call", notes="rappeler lundi")
    ((action, _),) = ops.ledger.history(c)
    assert action.done_by == "Claire Martin"
    assert refusals == []


def test_an_empty_name_is_refused_in_french(qtbot, ops, refusals):
    page = CompanyPage(ops)
    qtbot.addWidget(page)
    page.user.setText("   ")
    assert not page.save_user()
    assert "indiquez un nom" in str(refusals[0])
    assert not user_file().exists()
