"""Today's letters in one batch (ui/wizards/batch.py): one PDF, one history entry per letter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtWidgets import QDialog

import ui.wizards.launch as wizards
from models.errors import InputError
from tests.ui.wizards.test_wizards import TODAY, pdf_text, seed
from ui.ops import Ops
from ui.wizards.batch import BatchDialog, step_templates


@pytest.fixture
def batch_refusals() -> list[InputError]:
    """Refusals shown (instead of a modal box)."""
    return []


@pytest.fixture
def batch_ops(ledger, batch_refusals) -> Ops:
    """Ops on the wizard tests' data: three clients with a letter due."""
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: batch_refusals.append(exc)
    ops.ids = seed(ledger)
    return ops


def batch(qtbot, ops: Ops, tmp_path: Path) -> BatchDialog:
    """The batch dialog, saving to tmp_path/lot.pdf, archive in tmp_path/lettres."""
    dialog = BatchDialog(ops)
    qtbot.addWidget(dialog)
    dialog.letters_folder = tmp_path / "lettres"
    dialog.outputs.ask_save_path = lambda _parent, _suggested: str(tmp_path / "lot.pdf")
    dialog.outputs.warn = lambda _parent, text: pytest.fail(text)
    dialog.set_output("save")
    dialog.show()
    return dialog


def test_lists_one_letter_per_client(qtbot, batch_ops, tmp_path):
    dialog = batch(qtbot, batch_ops, tmp_path)
    assert [(r.client, r.kind) for r in dialog.requests] == [
        ("Boulangerie Martin", "reminder_1"),
        ("Dupont & Fils <SARL>", "reminder_2"),
        ("Jeanne Petit", "reminder_1"),
    ]
    assert len(dialog.checked_requests()) == 3
    assert step_templates(batch_ops.ledger)["formal_notice"] == "formal_notice"


def test_batch_of_three_letters(qtbot, batch_ops, tmp_path):
    led, ids = batch_ops.ledger, batch_ops.ids
    before = led.counts()["actions"]
    dialog = batch(qtbot, batch_ops, tmp_path)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.recorded == 3
    text = pdf_text(tmp_path / "lot.pdf")
    assert text.count("Nos réf.") == 3  # one reference line per letter
    with pdfplumber.open(tmp_path / "lot.pdf") as pdf:
        assert len(pdf.pages) >= 3
    for name in ("Boulangerie Martin", "Dupont & Fils <SARL>", "Jeanne Petit"):
        assert name in text
    assert led.counts()["actions"] == before + 3
    archived = dialog.document_path
    assert archived is not None
    assert archived.parent == tmp_path / "lettres"
    for client, step in (
        ("martin", "reminder_1"),
        ("dupont", "reminder_2"),
        ("petit", "reminder_1"),
    ):
        action, _ = led.history(ids[client])[-1]
        assert (action.step, action.document_path, action.date) == (step, str(archived), TODAY)
    stages = {r.invoice: r.stage for r in led.stages(TODAY)}
    assert (stages["F-101"], stages["F-201"], stages["F-301"]) == (
        "reminder_2",
        "reminder_1",
        "reminder_1",
    )


def test_only_ticked_letters(qtbot, batch_ops, tmp_path):
    dialog = batch(qtbot, batch_ops, tmp_path)
    dialog.set_checked({batch_ops.ids["martin"]})
    dialog.accept()
    assert dialog.recorded == 1
    assert "Jeanne Petit" not in pdf_text(tmp_path / "lot.pdf")


def test_cancelling_midway_records_nothing(qtbot, batch_ops, tmp_path):
    before = batch_ops.ledger.counts()["actions"]
    dialog = batch(qtbot, batch_ops, tmp_path)
    seen: list[int] = []

    def cancel_at_two(n: int) -> None:
        seen.append(n)
        if n == 2:
            dialog.progress.cancel()

    dialog.progressed.connect(cancel_at_two)
    dialog.accept()
    assert seen == [1, 2]
    assert dialog.isVisible()
    assert batch_ops.ledger.counts()["actions"] == before
    assert not (tmp_path / "lot.pdf").exists()
    assert not (tmp_path / "lettres").exists() or not any((tmp_path / "lettres").iterdir())


def test_formal_notices_are_left_out(qtbot, batch_ops, tmp_path):
    led, ids = batch_ops.ledger, batch_ops.ids
    # Dupont's second and third reminders went out: a formal notice is due now.
    for step, day in (("reminder_2", dt.date(2026, 11, 5)), ("reminder_3", dt.date(2026, 11, 14))):
        led.record_letter_sent(ids["dupont"], step, [ids["F-101"], ids["F-102"]], day)
    dialog = batch(qtbot, batch_ops, tmp_path)
    notice = next(r for r in dialog.requests if r.client_id == ids["dupont"])
    assert notice.kind == "formal_notice"
    assert notice not in dialog.checked_requests()
    assert "mise(s) en demeure non incluse(s)" in dialog.note.text()
    dialog.accept()
    assert dialog.recorded == 2


def test_open_batch_entry_point(qtbot, batch_ops):
    dialog = wizards.open_batch(None, batch_ops)
    assert isinstance(dialog, BatchDialog)
    assert dialog.isVisible()
    dialog.reject()
