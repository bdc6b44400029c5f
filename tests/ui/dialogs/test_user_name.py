"""« Votre nom » asked once at start when several people write the ledger (issue 18)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from models.store.ledger import Ledger
from models.user import local_user_name, login_name, user_file
from ui.dialogs.user_name import UserNameDialog
from ui.ops import Ops
from ui.window.main import MainWindow

SHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "user-name.png"


@pytest.fixture(autouse=True)
def no_script_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """No $RELANCE_USER: the machine's own file and the login decide."""
    monkeypatch.delenv("RELANCE_USER", raising=False)


def window(qtbot, ops: Ops, tmp_path: Path, answer) -> tuple[MainWindow, list[QDialog]]:
    """A window whose start-up questions are answered by `answer` (the real dialog)."""
    win = MainWindow(ops, QSettings(str(tmp_path / "relance.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    asked: list[QDialog] = []

    def run(dialog: QDialog) -> int:
        asked.append(dialog)
        answer(dialog)
        return int(dialog.result())

    win.run_dialog = run
    return win, asked


def someone_else_wrote(ledger: Ledger) -> int:
    """A history line recorded by Paul on another machine; the client's id."""
    client = ledger.add_client("Boulangerie Petit")
    ledger.user = "Paul"
    ledger.record_action(client, dt.date(2026, 3, 1), "call", notes="rappeler lundi")
    ledger.forget_user()  # this machine: the login, nothing chosen yet
    return client


def type_name(name: str):
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, UserNameDialog)
        assert dialog.name.text() == login_name()  # prefilled with the login
        dialog.name.setText(name)
        dialog.accept()

    return answer


def test_asked_once_the_name_is_kept_and_marks_the_next_line(qtbot, ops, refusals, tmp_path):
    client = someone_else_wrote(ops.ledger)
    win, asked = window(qtbot, ops, tmp_path, type_name("  Claire   Martin "))
    assert win.ask_user_name()
    assert len(asked) == 1
    assert asked[0].result() == QDialog.DialogCode.Accepted
    assert json.loads(user_file().read_text(encoding="utf-8"))["name"] == "Claire Martin"
    assert local_user_name() == "Claire Martin"
    ops.ledger.record_action(client, dt.date(2026, 3, 2), "call", notes="promet un virement")
    lines = ops.ledger.history(client)
    assert {a.done_by for a, _ in lines} == {"Paul", "Claire Martin"}
    assert not win.ask_user_name()  # asked once: never again on this machine
    again, asked_again = window(qtbot, ops, tmp_path, type_name("Autre"))
    again.questions_at_start()  # the next start: no question
    assert asked_again == []
    assert refusals == []


def test_cancel_keeps_the_login_and_is_not_asked_again(qtbot, ops, tmp_path):
    client = someone_else_wrote(ops.ledger)
    win, asked = window(qtbot, ops, tmp_path, lambda dialog: dialog.reject())
    assert win.ask_user_name()
    assert asked[0].result() == QDialog.DialogCode.Rejected
    assert json.loads(user_file().read_text(encoding="utf-8")) == {"asked": True}
    assert not win.ask_user_name()
    ops.ledger.record_action(client, dt.date(2026, 3, 2), "call", notes="absent")
    newest = max(ops.ledger.history(client), key=lambda line: line[0].id)[0]
    assert newest.done_by == login_name()


def test_an_empty_name_is_refused_and_the_question_stays(qtbot, ops, refusals, tmp_path):
    someone_else_wrote(ops.ledger)
    win, asked = window(qtbot, ops, tmp_path, type_name("   "))
    win.ask_user_name()
    assert asked[0].result() != QDialog.DialogCode.Accepted  # not closed by a refused name
    assert "indiquez un nom" in str(refusals[0])
    assert not user_file().exists()


def test_one_person_on_their_own_file_is_not_asked(qtbot, ops, tmp_path):
    client = ops.ledger.add_client("Boulangerie Petit")
    ops.ledger.record_action(client, dt.date(2026, 3, 1), "call")  # under the login
    win, asked = window(qtbot, ops, tmp_path, type_name("Claire"))
    win.questions_at_start()  # not empty: no first-run question either
    assert asked == []
    assert not user_file().exists()
    assert ops.ledger.history(client)[0][0].done_by == login_name()


def test_a_shared_ledger_asks_and_keeps_the_role_with_the_name(qtbot, tmp_path, pg_url):
    ledger = Ledger.open(pg_url)
    try:
        ops = Ops(ledger, today=lambda: dt.date(2026, 3, 15))
        role = ledger.user  # nothing chosen yet: the role alone
        client = ledger.add_client("Boulangerie Petit")
        win, _asked = window(qtbot, ops, tmp_path, type_name("Claire"))
        assert win.ask_user_name()  # a server ledger: asked even with no history
        ledger.record_action(client, dt.date(2026, 3, 2), "call")
        ((action, _),) = ledger.history(client)
        assert action.done_by == ledger.user == f"Claire ({role})"
    finally:
        ledger.close()


def test_screenshot_of_the_question(qtbot, ops):
    dialog = UserNameDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOT))
    assert SHOT.stat().st_size > 0


def test_at_start_the_name_comes_first_then_nothing_else_on_a_ledger_in_use(qtbot, ops, tmp_path):
    someone_else_wrote(ops.ledger)
    win, asked = window(qtbot, ops, tmp_path, lambda dialog: dialog.reject())
    win.at_start()  # the start-up sequence: name, first run (not empty), watched folders
    assert [type(dialog) for dialog in asked] == [UserNameDialog]
