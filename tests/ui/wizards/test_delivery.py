"""The history records only what happened (issue 10 item 6): failures said, nothing recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from models.errors import InputError
from tests.ui.wizards.test_wizards import TODAY, pdf_text, prepared, seed
from ui.ops import Ops
from ui.pdf_preview import HAS_QTPDF
from ui.tables.history import HistoryTableModel
from ui.wizards.output import CANCEL, COMPLETE, CONTINUE
from ui.wizards.reminder import ReminderWizard


@pytest.fixture
def shown() -> list[InputError]:
    """Refusals shown (instead of a modal box)."""
    return []


@pytest.fixture
def dops(ledger, shown) -> Ops:
    """Ops on the wizard tests' data, today fixed; `ops.ids` names the rows."""
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: shown.append(exc)
    ops.ids = seed(ledger)
    return ops


def at_output(qtbot, ops: Ops, who: str, tmp_path: Path, choice: str) -> ReminderWizard:
    """A reminder wizard for `who` on its output page with `choice` selected."""
    wizard = prepared(qtbot, ReminderWizard(ops, ops.ids[who], step="reminder_1"), tmp_path)
    for _ in range(8):
        if wizard.currentPage() is wizard.output_page:
            break
        wizard.next()
    wizard.output_page.set_choice(choice)
    return wizard


def last_entry(ops: Ops, who: str) -> tuple[str, str, str]:
    """Type and channel of the client's newest history entry, as the history table shows it."""
    model = HistoryTableModel()
    model.set_rows(ops.ledger.history(ops.ids[who]))
    row = model.row(model.rowCount() - 1)
    return row.kind_text(), model.data(model.index(model.rowCount() - 1, 2)), row.notes_text()


def test_no_mail_program_records_nothing_and_says_why(qtbot, dops, tmp_path) -> None:
    before = dops.ledger.counts()["actions"]
    wizard = at_output(qtbot, dops, "dupont", tmp_path, "email")
    wizard.outputs.open_url = lambda url: wizard.outputs.opened.append(url) or False
    wizard.accept()
    assert wizard.isVisible()  # still on the page: the user may save the PDF instead
    (message,) = wizard.outputs.warnings
    assert message.startswith("La lettre n'est pas partie : aucun logiciel de messagerie")
    assert "Rien n'a été noté dans l'historique." in message
    assert dops.ledger.counts()["actions"] == before
    assert not any((tmp_path / "lettres").iterdir())  # no archived letter left behind


def test_a_refused_file_path_records_nothing_and_says_why(qtbot, dops, tmp_path) -> None:
    before = dops.ledger.counts()["actions"]
    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("un fichier")  # so blocker/relance.pdf cannot be written (even by root)
    target = blocker / "relance.pdf"
    wizard = at_output(qtbot, dops, "martin", tmp_path, "save")
    wizard.outputs.ask_save_path = lambda _parent, _name: str(target)
    wizard.accept()
    assert wizard.isVisible()
    (message,) = wizard.outputs.warnings
    assert message == (
        f"La lettre n'est pas partie : impossible d'écrire {target} : un élément du chemin est "
        "un fichier, pas un dossier.\nRien n'a été noté dans l'historique."
    )
    assert dops.ledger.counts()["actions"] == before
    assert not any((tmp_path / "lettres").iterdir())


def test_a_saved_pdf_is_recorded_as_prepared_not_as_an_email(qtbot, dops, tmp_path) -> None:
    wizard = at_output(qtbot, dops, "martin", tmp_path, "save")  # reminder 1 goes by e-mail
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert last_entry(dops, "martin") == ("Lettre préparée (PDF) (Relance 1)", "", "Relance 1")


def test_an_email_draft_is_recorded_only_once_confirmed_sent(qtbot, dops, tmp_path) -> None:
    """Issue 15 item 6 (replaces "a mailto draft is recorded as a draft"): without an account
    an .eml draft with the PDF is opened; the step is recorded only when the user confirms."""
    from email import policy
    from email.parser import BytesParser

    wizard = at_output(qtbot, dops, "dupont", tmp_path, "email")
    assert wizard.output_page.radios["email"].text().startswith("Ouvrir dans ma messagerie")
    assert "seulement quand vous aurez confirmé l'envoi" in wizard.output_page.note.text()
    before = dops.ledger.counts()["actions"]
    wizard.channel_page.ask_sent = lambda _parent, _text: False
    wizard.accept()
    assert wizard.isVisible()  # not sent: nothing recorded, the wizard stays
    assert dops.ledger.counts()["actions"] == before
    (url,) = wizard.outputs.opened
    assert not Path(url.toLocalFile()).exists()  # the unsent draft is not kept
    wizard.channel_page.ask_sent = lambda _parent, _text: True
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    eml = Path(wizard.outputs.opened[-1].toLocalFile())
    msg = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].addr_spec == "compta@dupont.fr"
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "Relance-F-101.pdf"
    kind, channel, _notes = last_entry(dops, "dupont")
    assert kind.startswith("Envoyée par e-mail")
    assert channel == "E-mail"


@pytest.mark.skipif(not HAS_QTPDF, reason="printing renders pages with QtPdf")
def test_printing_records_printed_once_done(qtbot, dops, tmp_path) -> None:
    wizard = at_output(qtbot, dops, "martin", tmp_path, "print")

    def printer_to_file(_parent):
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "imprime.pdf"))
        return printer

    wizard.outputs.ask_printer = printer_to_file
    wizard.accept()
    assert (tmp_path / "imprime.pdf").stat().st_size > 0
    assert last_entry(dops, "martin")[:2] == ("Lettre imprimée (Relance 1)", "Courrier")


def test_cancelled_print_dialog_records_nothing(qtbot, dops, tmp_path) -> None:
    before = dops.ledger.counts()["actions"]
    wizard = at_output(qtbot, dops, "martin", tmp_path, "print")
    wizard.outputs.ask_printer = lambda _parent: None
    wizard.accept()
    assert wizard.isVisible()
    assert dops.ledger.counts()["actions"] == before


def test_old_history_entries_still_read_as_before(dops) -> None:
    """Entries written before this change (no outcome) keep their kind as type."""
    kind, channel, notes = last_entry(dops, "dupont")  # seeded with a by-hand record
    assert (kind, channel, notes) == ("E-mail (Relance 1)", "E-mail", "Relance 1 envoyée")


# --- a client whose record lacks what the output needs -----------------------------------------


def no_address(ops: Ops) -> None:
    """Boulangerie Martin loses its street and town."""
    ops.ledger.update_client(ops.ids["martin"], street="", city="")


def test_no_postal_address_warns_and_cancel_records_nothing(qtbot, dops, tmp_path) -> None:
    no_address(dops)
    before = dops.ledger.counts()["actions"]
    wizard = at_output(qtbot, dops, "martin", tmp_path, "print")
    page = wizard.output_page
    assert not page.gap_label.isHidden()
    assert page.gap_label.text() == (
        "L'adresse postale de Boulangerie Martin est incomplète (manque : rue (ou boîte "
        "postale), ville) : la lettre ne pourrait pas partir par la poste."
    )
    assert not page.complete_button.isHidden()
    asked: list[str] = []
    wizard.outputs.ask_complete = lambda _parent, text: asked.append(text) or CANCEL
    wizard.outputs.ask_printer = lambda _parent: pytest.fail("no printing before the warning")
    wizard.accept()
    assert asked == [page.gap_label.text()]
    assert wizard.isVisible()
    assert dops.ledger.counts()["actions"] == before


def test_completing_the_client_puts_the_new_address_on_the_letter(qtbot, dops, tmp_path) -> None:
    no_address(dops)
    wizard = at_output(qtbot, dops, "martin", tmp_path, "save")
    edited: list[int] = []

    def edit(_parent, ops, client_id):
        edited.append(client_id)
        ops.ledger.update_client(client_id, street="9 rue Neuve", city="Lyon")
        return True

    wizard.outputs.edit_client = edit
    wizard.outputs.ask_complete = lambda _parent, _text: COMPLETE
    wizard.accept()
    assert edited == [dops.ids["martin"]]
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert "9 RUE NEUVE" in pdf_text(tmp_path / "sortie.pdf").upper()
    assert wizard.output_page.gap_label.isHidden()


def test_continuing_anyway_is_the_users_choice(qtbot, dops, tmp_path) -> None:
    no_address(dops)
    wizard = at_output(qtbot, dops, "martin", tmp_path, "save")
    wizard.outputs.ask_complete = lambda _parent, _text: CONTINUE
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted


def test_no_email_address_is_said_when_email_is_chosen(qtbot, dops, tmp_path) -> None:
    wizard = at_output(qtbot, dops, "martin", tmp_path, "print")  # Martin has no e-mail
    page = wizard.output_page
    assert page.gap_label.isHidden()
    page.set_choice("email")
    assert page.gap_label.text().startswith("Boulangerie Martin n'a pas d'adresse e-mail")
    asked: list[str] = []
    wizard.outputs.ask_complete = lambda _parent, text: asked.append(text) or CANCEL
    wizard.accept()
    assert len(asked) == 1
    assert wizard.outputs.opened == []  # no draft opened
    page.email.setText("compta@martin.fr")
    assert page.gap_label.isHidden()


def test_todo_marks_clients_whose_record_lacks_the_channel(qtbot, dops) -> None:
    no_address(dops)
    items = dops.ledger.todo(TODAY)
    marked = {(i.client, i.channel): i.missing for i in items if i.missing}
    assert marked, "a letter step for Martin is due"
    for (client, channel), missing in marked.items():
        assert client in ("Boulangerie Martin", "Jeanne Petit")
        if channel == "email":
            assert missing == "pas d'adresse e-mail"
        else:
            assert missing == "adresse postale incomplète (rue (ou boîte postale), ville)"
    assert all(not i.missing for i in items if i.client.startswith("Dupont"))
