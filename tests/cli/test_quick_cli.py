"""`aged-balance`, `stages` and `todo`: the same bytes through the light reader as through the
Ledger; and the light path imports no ORM."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

import main
from models.store.quick import QuickReader
from tests.models.store.test_stages_stream import random_ledger
from tests.models.store.test_todo_reads import todo_ledger

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["aged-balance", "stages"])
def test_reading_commands_same_output_either_way(tmp_path, capsys, command):
    path = tmp_path / "c.sqlite"
    random_ledger(str(path), 3).close()
    args = ["--db", str(path), command, "--as-of", "2026-11-23", "--format"]
    outputs = {}
    for fmt in ("json", "csv", "text"):
        # No backup for today yet: the first run opens the Ledger (and makes it); the second
        # finds nothing to do and reads through the light path.
        for run in ("ledger", "quick"):
            if run == "ledger":
                for p in (tmp_path / "sauvegardes").glob("relance-*.sqlite"):
                    p.unlink()
            if run == "quick":
                reader = QuickReader.open(str(path), dt.datetime.now())
                assert reader is not None  # this run takes the light path
                reader.close()
            assert main.run([*args, fmt]) == 0
            outputs[fmt, run] = capsys.readouterr().out
        assert outputs[fmt, "quick"] == outputs[fmt, "ledger"]
        assert outputs[fmt, "quick"].count("\n") > 3  # clients listed, not an empty table


@pytest.mark.parametrize("company", [None, "Atelier Dupré & Fils"])
def test_aged_balance_pdf_same_either_way(tmp_path, company):
    """The PDF through the light reader: the same text (company name included) and pages."""
    import pdfplumber

    path = tmp_path / "c.sqlite"
    ledger = random_ledger(str(path), 5)
    if company is not None:
        ledger.set_company({"name": company})
    name = ledger.company().name  # the demo's, or the one just set
    ledger.close()
    texts, pages = {}, {}
    for run in ("ledger", "quick"):
        if run == "ledger":  # no backup for today: the Ledger opens (and makes it)
            for p in (tmp_path / "sauvegardes").glob("relance-*.sqlite"):
                p.unlink()
            assert QuickReader.open(str(path), dt.datetime.now()) is None
        else:
            reader = QuickReader.open(str(path), dt.datetime.now())
            assert reader is not None  # this run takes the light path
            reader.close()
        out = tmp_path / f"{run}.pdf"
        argv = ["--db", str(path), "aged-balance", "--as-of", "2026-11-23", "--format", "pdf"]
        assert main.run([*argv, "-o", str(out)]) == 0
        with pdfplumber.open(out) as pdf:
            pages[run] = len(pdf.pages)
            texts[run] = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert pages["quick"] == pages["ledger"] >= 1
    assert texts["quick"] == texts["ledger"]
    assert name == (company or name)
    assert name in texts["quick"]
    assert "Balance âgée au 23 novembre 2026" in texts["quick"]


@pytest.mark.parametrize("seed", range(3))
def test_todo_same_bytes_either_way(tmp_path, capsys, seed):
    """Every format, several dates, on to-do ledgers with every mark (tests/models/store)."""
    path = tmp_path / "t.sqlite"
    todo_ledger(str(path), seed).close()
    for as_of in ("2026-11-23", "2026-03-01", "2030-01-01"):
        for fmt in ("json", "csv", "text"):
            args = ["--db", str(path), "todo", "--as-of", as_of, "--format", fmt]
            outputs = {}
            for run in ("ledger", "quick"):
                if run == "ledger":  # no backup for today: the Ledger opens (and makes it)
                    for p in (tmp_path / "sauvegardes").glob("relance-*.sqlite"):
                        p.unlink()
                    assert QuickReader.open(str(path), dt.datetime.now()) is None
                else:
                    reader = QuickReader.open(str(path), dt.datetime.now())
                    assert reader is not None  # this run takes the light path
                    reader.close()
                assert main.run(args) == 0
                outputs[run] = capsys.readouterr().out
            assert outputs["quick"] == outputs["ledger"]
            if as_of != "2026-03-01":
                assert outputs["quick"].count("\n") > 3  # steps listed, not an empty table


def test_light_commands_import_no_orm(tmp_path):
    """The light path's point: neither SQLAlchemy nor SQLModel is imported by these commands."""
    path = tmp_path / "o.sqlite"
    todo_ledger(str(path), 1).close()
    main.run(["--db", str(path), "todo"])  # today's backup made: the next runs are light
    code = (
        "import sys, main\n"
        "for cmd in (['todo'], ['stages'], ['aged-balance'], ['todo', '--format', 'csv']):\n"
        f"    assert main.run(['--db', {str(path)!r}, *cmd]) == 0\n"
        "orm = ('sqlalchemy', 'sqlmodel', 'alembic')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in orm]\n"
        "assert not bad, bad[:5]\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("\n") > 10
