"""The name of who works on this machine (issue 18): chosen once, kept outside the ledger."""

from __future__ import annotations

import json

import pytest

from models.errors import InputError
from models.user import (
    local_user_name,
    login_name,
    mark_name_asked,
    name_asked,
    recorded_name,
    set_local_user_name,
    should_ask_name,
    user_file,
)


def test_default_is_the_login_then_the_name_chosen(monkeypatch):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    assert local_user_name() == login_name()
    path = set_local_user_name("  Marie   Dupont ")
    assert path == user_file()
    assert json.loads(path.read_text(encoding="utf-8")) == {"name": "Marie Dupont", "asked": True}
    assert local_user_name() == "Marie Dupont"
    monkeypatch.setenv("RELANCE_USER", "Script de nuit")
    assert local_user_name() == "Script de nuit"


@pytest.mark.parametrize(
    ("name", "why"),
    [("", "indiquez un nom"), ("x" * 61, "60 caractères au plus"), ("a\nb", "une seule ligne")],
)
def test_a_bad_name_is_refused_and_nothing_written(name, why):
    with pytest.raises(InputError, match=why):
        set_local_user_name(name)
    assert not user_file().exists()


def test_an_unreadable_file_falls_back_to_the_login(monkeypatch):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    user_file().parent.mkdir(parents=True, exist_ok=True)
    user_file().write_text("{pas du json", encoding="utf-8")
    assert local_user_name() == login_name()


def test_the_ledger_records_history_lines_in_the_machine_users_name(tmp_path, monkeypatch):
    import datetime as dt

    from models.store.ledger import Ledger

    monkeypatch.delenv("RELANCE_USER", raising=False)
    set_local_user_name("Paul")
    led = Ledger.open(str(tmp_path / "r.sqlite"))
    c = led.add_client("A")
    led.record_action(c, dt.date(2026, 3, 1), "note", notes="test")
    ((action, _),) = led.history(c)
    assert action.done_by == "Paul"
    led.close()


def test_the_name_is_asked_once_only_when_several_people_write(monkeypatch):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    assert not should_ask_name(shared=False, others_in_history=False)  # one person, own file
    assert should_ask_name(shared=True, others_in_history=False)  # a server ledger
    assert should_ask_name(shared=False, others_in_history=True)  # someone else's lines
    mark_name_asked()  # cancelled: the login stays, never asked again
    assert name_asked()
    assert not should_ask_name(shared=True, others_in_history=True)
    assert local_user_name() == login_name()
    assert json.loads(user_file().read_text(encoding="utf-8")) == {"asked": True}


def test_a_script_naming_itself_is_never_asked(monkeypatch):
    monkeypatch.setenv("RELANCE_USER", "Script de nuit")
    assert not should_ask_name(shared=True, others_in_history=True)


def test_on_a_server_the_role_stays_with_the_name_chosen(monkeypatch):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    assert recorded_name("relance") == "relance"  # nothing chosen: the role alone
    set_local_user_name("Claire")
    assert recorded_name("relance") == "Claire (relance)"
    assert recorded_name("claire") == "claire"  # the role already says who
