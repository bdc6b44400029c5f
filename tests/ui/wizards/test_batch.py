"""Today's letters in one batch (ui/wizards/batch.py): one PDF, one history entry per letter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtWidgets import QDialog

import ui.wizards.launch as wizards
from models.errors import InputError
from models.store.ledger import Ledger
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
    dialog.sheet_texts = []  # the sheet counts shown before printing, answered "go on"
    dialog.confirm_sheets = lambda _parent, text: dialog.sheet_texts.append(text) or True
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


# --- issue 10 items 6 and 7: the sheet count before printing, records only what was done -------


def test_sheet_count_is_shown_before_the_batch_goes_out(qtbot, batch_ops, tmp_path):
    dialog = batch(qtbot, batch_ops, tmp_path)
    answered: list[str] = []
    dialog.confirm_sheets = lambda _parent, text: answered.append(text) or False  # "Cancel"
    before = batch_ops.ledger.counts()["actions"]
    dialog.accept()
    with pdfplumber.open(dialog_pdf(dialog)) as pdf:
        pages = len(pdf.pages)
    assert answered == [
        f"3 lettre(s), {pages} page(s) : {pages} feuille(s) A4 à imprimer (recto seul)."
    ]
    assert dialog.sheets.text() == answered[0]
    assert dialog.isVisible()  # cancelled at the count: nothing printed, saved or recorded
    assert not (tmp_path / "lot.pdf").exists()
    assert batch_ops.ledger.counts()["actions"] == before


def dialog_pdf(dialog: BatchDialog) -> Path:
    """The batch's PDF rendered again to a file, to count its pages independently."""
    from models.letters.batch import iter_letters
    from reports.letters import render_letters

    path = dialog.letters_folder.parent / "recompte.pdf"
    path.write_bytes(
        render_letters(list(iter_letters(dialog.ledger, dialog.checked_requests(), TODAY)))
    )
    return path


def test_saved_batch_is_recorded_as_prepared(qtbot, batch_ops, tmp_path):
    from ui.tables.history import HistoryTableModel

    dialog = batch(qtbot, batch_ops, tmp_path)
    dialog.accept()
    model = HistoryTableModel()
    model.set_rows(batch_ops.ledger.history(batch_ops.ids["martin"]))
    assert model.row(model.rowCount() - 1).kind_text() == "Lettre préparée (PDF) (Relance 1)"


def test_a_failed_print_records_nothing_and_says_why(qtbot, batch_ops, tmp_path):
    before = batch_ops.ledger.counts()["actions"]
    dialog = batch(qtbot, batch_ops, tmp_path)
    warned: list[str] = []
    dialog.outputs.warn = lambda _parent, text: warned.append(text)
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    dialog.outputs.ask_save_path = lambda _parent, _suggested: str(blocker / "lot.pdf")
    dialog.accept()
    assert dialog.isVisible()
    assert warned == [
        f"Le lot n'est pas parti : impossible d'écrire {blocker / 'lot.pdf'} : un élément du "
        "chemin est un fichier, pas un dossier.\nRien n'a été noté dans l'historique."
    ]
    assert batch_ops.ledger.counts()["actions"] == before


def test_client_with_an_incomplete_address_is_marked_and_not_ticked(qtbot, batch_ops, tmp_path):
    ids = batch_ops.ids
    batch_ops.ledger.update_client(ids["petit"], postal_code="", city="")
    dialog = batch(qtbot, batch_ops, tmp_path)
    row = next(i for i, r in enumerate(dialog.requests) if r.client_id == ids["petit"])
    item = dialog.tree.topLevelItem(row)
    assert item.text(0) == "Jeanne Petit — adresse incomplète"
    assert "manque : code postal, ville" in item.toolTip(0)
    assert ids["petit"] not in {r.client_id for r in dialog.checked_requests()}
    assert "1 client(s) à l'adresse postale incomplète, non cochés" in dialog.note.text()


def test_one_letter_covers_a_client_invoice_not_due_yet(qtbot, batch_ops, tmp_path):
    from decimal import Decimal

    led, ids = batch_ops.ledger, batch_ops.ids
    soon = led.add_invoice(
        ids["martin"], "F-202", dt.date(2026, 11, 1), Decimal("75.00"), TODAY + dt.timedelta(days=3)
    )
    dialog = batch(qtbot, batch_ops, tmp_path)
    martin = [r for r in dialog.requests if r.client_id == ids["martin"]]
    assert len(martin) == 1
    assert set(martin[0].invoice_ids) == {ids["F-201"], soon}
    dialog.accept()
    assert "F-202" in pdf_text(tmp_path / "lot.pdf")
    steps = {tuple(numbers): action.step for action, numbers in led.history(ids["martin"])}
    assert steps == {("F-201",): "reminder_1", ("F-202",): "preventive"}
    again = BatchDialog(batch_ops)
    qtbot.addWidget(again)
    assert again.requests == []  # nothing left for a second batch the same day


def test_a_letter_made_meanwhile_on_another_machine_is_left_out(qtbot, batch_ops, tmp_path):
    """Issue 18: the list was shown, then a colleague made Martin's letter: it is not redone."""
    from models.ids import ClientId

    dialog = batch(qtbot, batch_ops, tmp_path)
    martin = next(r for r in dialog.requests if r.client == "Boulangerie Martin")
    other = Ledger(batch_ops.ledger.engine, batch_ops.ledger.url)  # the colleague's connection
    other.user = "Paul"
    other.record_letter_steps(
        ClientId(martin.client_id), martin.recorded_steps(), TODAY, delivery="printed"
    )
    warned: list[str] = []
    dialog.outputs.warn = lambda _parent, text: warned.append(text)
    dialog.accept()
    assert len(warned) == 1
    assert warned[0].startswith("Déjà faites depuis un autre poste, retirées du lot :")
    assert "Boulangerie Martin" in warned[0]
    assert "par Paul" in warned[0]
    assert dialog.recorded == 2  # the two others
    text = pdf_text(tmp_path / "lot.pdf")
    assert "Boulangerie Martin" not in text
    lines = [a for a, _ in batch_ops.ledger.history(martin.client_id) if a.step == martin.kind]
    assert [a.done_by for a in lines] == ["Paul"]
