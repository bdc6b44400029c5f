"""The import in the background: its progress dialog, « Annuler » before the commit, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

import ui.window.first_run as first_run
from models.store.ledger import Ledger
from ui.dialogs.import_progress import ImportProgressDialog
from ui.ops import Ops

TODAY = dt.date(2026, 3, 10)
HEADER = "Client;Date facture;N° facture;Échéance;Montant TTC;Payé\n"


def sheet(folder: Path, rows: int) -> Path:
    """A spreadsheet of `rows` invoices to rows/10 clients, a third paid."""
    lines = [
        f"Client {n % max(rows // 10, 1):04d};15/02/2026;FB-{n:06d};31/03/2026;{n % 900 + 10},50;"
        f"{'oui' if n % 3 == 0 else 'non'}\n"
        for n in range(rows)
    ]
    path = folder / f"suivi-{rows}.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def dump(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import writes, in rowid order."""
    with ledger.engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.exec_driver_sql(f"SELECT rowid, * FROM {t} ORDER BY rowid")]
            for t in ("client", "invoice", "payment", "action", "actioninvoice")
        }


@pytest.fixture
def file_ops(tmp_path: Path) -> Iterator[Ops]:
    """Ops on a database file (the import then runs in a pool thread) holding one invoice."""
    ledger = Ledger.open(str(tmp_path / "relance.sqlite"))
    client = ledger.add_client("Studio Kasba")
    ledger.add_invoice(client, "F-1", dt.date(2026, 1, 5), Decimal(120), dt.date(2026, 2, 4))
    ops = Ops(ledger, today=lambda: TODAY)
    yield ops
    ledger.close()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch, file_ops: Ops) -> list[tuple[str, str]]:
    """What the boxes say (title, text): end of import, cancellation, refusal, failure."""
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(first_run, "tell_hook", lambda _p, title, text: boxes.append((title, text)))
    file_ops.show_refusal = lambda _p, exc: boxes.append(("refus", str(exc)))
    file_ops.show_problem = lambda _p, text: boxes.append(("problème", text))
    return boxes


def test_progress_tells_lines_read_checked_then_written(
    qtbot, file_ops: Ops, said, tmp_path: Path, monkeypatch
) -> None:
    seen: list[tuple[str, int, int]] = []
    labels: list[str] = []

    def watch(dialog: ImportProgressDialog) -> None:
        dialog.job.progress.connect(lambda *told: seen.append(told))
        dialog.job.progress.connect(lambda *_: labels.append(dialog.labelText()))

    monkeypatch.setattr(first_run, "watch_progress_hook", watch)
    assert first_run.import_spreadsheet(None, file_ops, sheet(tmp_path, 5000))
    stages = [stage for stage, _done, _total in seen]
    assert stages.index("read") < stages.index("check") < stages.index("write")
    assert ("read", 5000, 5000) in seen
    assert ("check", 5000, 5000) in seen
    written = [(done, total) for stage, done, total in seen if stage == "write"]
    assert written[-1][0] == written[-1][1] > 5000  # invoices, clients and payments
    assert any(label.startswith("Vérification : 5\u202f000 ligne(s)") for label in labels)
    assert said[-1][0] == "Import terminé"
    assert file_ops.ledger.counts()["invoices"] == 5001


def test_cancel_while_writing_writes_nothing(
    qtbot, file_ops: Ops, said, tmp_path: Path, monkeypatch
) -> None:
    before = dump(file_ops.ledger)
    path = sheet(tmp_path, 3000)

    def watch(dialog: ImportProgressDialog) -> None:
        def stop_once_writing(stage: str, done: int, _total: int) -> None:
            if stage == "write" and done > 0:  # the clients are written, not yet committed
                dialog.job.cancel()

        # Direct: decided in the import's own thread, so it stops exactly mid-write.
        dialog.job.progress.connect(stop_once_writing, Qt.ConnectionType.DirectConnection)

    monkeypatch.setattr(first_run, "watch_progress_hook", watch)
    assert not first_run.import_spreadsheet(None, file_ops, path)
    assert said == [("Import annulé", "Import annulé : rien n'a été enregistré.")]
    assert dump(file_ops.ledger) == before
    assert file_ops.ledger.counts()["invoices"] == 1


def test_the_cancel_button_stops_before_anything_is_saved(
    qtbot, file_ops: Ops, said, tmp_path: Path, monkeypatch
) -> None:
    before = dump(file_ops.ledger)
    labels: list[str] = []

    def press_cancel(dialog: ImportProgressDialog) -> None:
        qtbot.addWidget(dialog)
        button = dialog.findChild(QPushButton)
        assert button.text() == "Annuler"
        button.click()
        labels.append(dialog.labelText())

    monkeypatch.setattr(first_run, "watch_progress_hook", press_cancel)
    assert not first_run.import_spreadsheet(None, file_ops, sheet(tmp_path, 200))
    assert labels == ["Annulation… rien ne sera enregistré."]
    assert said == [("Import annulé", "Import annulé : rien n'a été enregistré.")]
    assert dump(file_ops.ledger) == before


def test_escape_or_closing_the_dialog_cancels_and_waits_for_the_import(
    qtbot, file_ops: Ops, said, tmp_path: Path, monkeypatch
) -> None:
    before = dump(file_ops.ledger)
    still_shown: list[bool] = []

    def press_escape(dialog: ImportProgressDialog) -> None:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.close()
        still_shown.append(dialog.isVisible())

    monkeypatch.setattr(first_run, "watch_progress_hook", press_escape)
    assert not first_run.import_spreadsheet(None, file_ops, sheet(tmp_path, 200))
    assert still_shown == [True]  # not hidden while the import runs: it stops first
    assert said == [("Import annulé", "Import annulé : rien n'a été enregistré.")]
    assert dump(file_ops.ledger) == before


def test_an_unreadable_file_is_refused_in_french_from_the_background(
    qtbot, file_ops: Ops, said, tmp_path: Path
) -> None:
    before = dump(file_ops.ledger)
    fake = tmp_path / "factures.csv"
    fake.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert not first_run.import_spreadsheet(None, file_ops, fake)
    ((kind, text),) = said
    assert kind == "refus"
    assert text.startswith("factures.csv : ce fichier est")
    assert "PDF" in text
    assert dump(file_ops.ledger) == before


def test_a_busy_database_is_said_in_french_and_nothing_is_written(
    qtbot, file_ops: Ops, said, tmp_path: Path, monkeypatch
) -> None:
    import sqlite3

    before = dump(file_ops.ledger)
    path = sheet(tmp_path, 50)
    holder = sqlite3.connect(str(tmp_path / "relance.sqlite"), timeout=0.1)

    def hold_the_file(_dialog: ImportProgressDialog) -> None:
        if not holder.in_transaction:
            holder.execute("BEGIN EXCLUSIVE")  # another program writing the file meanwhile

    monkeypatch.setattr(first_run, "watch_progress_hook", hold_the_file)
    monkeypatch.setattr("models.store.db.BUSY_TIMEOUT_MS", 200)
    try:
        assert not first_run.import_spreadsheet(None, file_ops, path)
    finally:
        holder.rollback()
        holder.close()
    assert said == [
        ("problème", "la base est utilisée par une autre fenêtre ou un autre programme, réessayez")
    ]
    assert dump(file_ops.ledger) == before
