"""Opening the database from the window: a new file only when asked, other files refused."""

from __future__ import annotations

import hashlib
import sqlite3

from ui.app import open_ledger


def test_a_missing_file_is_made_only_when_the_user_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("RELANCE_DB", raising=False)
    path = tmp_path / "ailleurs.sqlite"
    asked: list[str] = []
    told: list[tuple[str, str]] = []

    def refuse(asked_path: str) -> bool:
        asked.append(asked_path)
        return False

    assert open_ledger(str(path), refuse) is None
    assert asked == [str(path)]
    assert not path.exists()
    led = open_ledger(str(path), lambda _p: True, lambda *a: told.append(a))
    assert led is not None
    assert led.created
    assert told == []
    led.close()


def test_another_programs_file_is_refused_untouched(tmp_path):
    foreign = tmp_path / "compta.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY)")
    conn.close()
    before = hashlib.sha256(foreign.read_bytes()).hexdigest()
    told: list[tuple[str, str]] = []
    assert open_ledger(str(foreign), lambda _p: True, lambda *a: told.append(a)) is None
    assert told == [
        (
            str(foreign),
            f"{foreign} n'est pas une base Relance (ses tables ne sont pas celles de Relance) : "
            "rien n'y a été écrit ; vérifiez le chemin du fichier",
        )
    ]
    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == before
