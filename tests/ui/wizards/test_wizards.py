"""Letter wizards driven to the end offscreen (ui/wizards/reminder, notice_wizard, plan_wizard)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

import ui.pdf_preview as pdf_preview
import ui.wizards.launch as wizards
from models.errors import InputError
from models.law.deadlines import deadline, french_date
from models.letters.data import invoices_for_letter
from models.litigation.pieces import attach
from models.store.ledger import Ledger
from reports.letters import render_letter
from ui.ops import Ops
from ui.pdf_preview import HAS_QTPDF, PdfPreview
from ui.wizards.notice import AcknowledgementDialog, NoticeWizard
from ui.wizards.output import default_file_name, text_of, with_text
from ui.wizards.plan import PlanWizard
from ui.wizards.reminder import LetterWizard, ReminderWizard

TODAY = dt.date(2026, 11, 23)
COMPANY = {
    "name": "Atelier Exemple SARL",
    "street": "14 rue du Faubourg Saint-Antoine",
    "postal_code": "75011",
    "city": "Paris",
    "siret": "732 829 320 00074",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP882",
    "signatory": "Claire Exemple, gérante",
    "phone": "01 43 55 12 34",
    "email": "compta@atelier-exemple.fr",
    # C. conso. L612-1, L616-1: required before a letter to a consumer (Jeanne Petit).
    "mediator_name": "Médiation Exemple",
    "mediator_url": "www.mediation-exemple.fr",
}
DUPONT = "Dupont & Fils <SARL>"


def set_company(ledger: Ledger) -> None:
    """The creditor's identity every letter prints."""
    ledger.set_company(COMPANY)


def seed(ledger: Ledger) -> dict[str, int]:
    """Three clients with overdue invoices; Dupont already had its first reminder."""
    set_company(ledger)
    ids: dict[str, int] = {}
    ids["dupont"] = ledger.add_client(
        DUPONT,
        street="7 allée des Charpentiers",
        postal_code="45160",
        city="Olivet",
        email="compta@dupont.fr",
    )
    ids["F-101"] = ledger.add_invoice(
        ids["dupont"], "F-101", dt.date(2026, 9, 20), Decimal("1200.00"), dt.date(2026, 10, 20)
    )
    ids["F-102"] = ledger.add_invoice(
        ids["dupont"], "F-102", dt.date(2026, 10, 1), Decimal("850.50"), dt.date(2026, 10, 31)
    )
    ledger.record_letter_sent(
        ids["dupont"], "reminder_1", [ids["F-101"], ids["F-102"]], dt.date(2026, 10, 28)
    )
    ids["martin"] = ledger.add_client(
        "Boulangerie Martin", street="3 place du Marché", postal_code="69002", city="Lyon"
    )
    ids["F-201"] = ledger.add_invoice(
        ids["martin"], "F-201", dt.date(2026, 9, 25), Decimal("300.00"), dt.date(2026, 11, 12)
    )
    ids["petit"] = ledger.add_client(
        "Jeanne Petit", kind="b2c", street="12 rue des Lilas", postal_code="33000", city="Bordeaux"
    )
    ids["F-301"] = ledger.add_invoice(
        ids["petit"], "F-301", dt.date(2026, 10, 1), Decimal("450.00"), dt.date(2026, 11, 1)
    )
    return ids


def pdf_text(path: Path) -> str:
    """All the text of a PDF, no-break spaces as plain spaces."""
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def wiz_refusals() -> list[InputError]:
    """Refusals shown (instead of a modal box)."""
    return []


@pytest.fixture
def wiz_ops(ledger, wiz_refusals) -> Ops:
    """Ops on the seeded data, today fixed, refusals recorded; `ops.ids` names the rows."""
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: wiz_refusals.append(exc)
    ops.ids = seed(ledger)
    return ops


def prepared(qtbot, wizard: LetterWizard, tmp_path: Path) -> LetterWizard:
    """Shown, with the archive in tmp_path, the file dialog answering tmp_path/sortie.pdf."""
    qtbot.addWidget(wizard)
    wizard.letters_folder = tmp_path / "lettres"
    wizard.outputs.ask_save_path = lambda _parent, _suggested: str(tmp_path / "sortie.pdf")
    wizard.outputs.opened = []
    # A mail program takes the draft (openUrl answers True); tests of failure answer False.
    wizard.outputs.open_url = lambda url: wizard.outputs.opened.append(url) or True
    wizard.outputs.warnings = []
    wizard.outputs.warn = lambda _parent, text: wizard.outputs.warnings.append(text)
    page = getattr(wizard, "channel_page", None)
    if page is not None:  # a modal question would block the test: it fails instead
        page.ask_sent = lambda *_a: (_ for _ in ()).throw(AssertionError("e-mail sent?"))
    wizard.show()
    return wizard


def go_to(wizard: LetterWizard, page: object) -> None:
    """Press Next until `page` shows (each page validated on the way)."""
    for _ in range(8):
        if wizard.currentPage() is page:
            return
        wizard.next()
    raise AssertionError(f"page not reached, stuck on {wizard.currentPage().title()}")


def test_text_round_trip(wiz_ops):
    letter = wiz_ops.ledger.letter(wiz_ops.ids["dupont"], "reminder_2", TODAY)
    text = text_of(letter)
    assert with_text(letter, text) == letter
    edited = with_text(letter, "Un.\n\n  \nDeux\nlignes.\n\nBien à vous.")
    assert edited.paragraphs == ("Un.", "Deux\nlignes.")
    assert edited.closing == "Bien à vous."


def test_default_file_name():
    name = default_file_name("reminder_2", "Dupont & Fils / <SARL>", TODAY)
    assert name == "relance-2_Dupont-&-Fils-SARL_2026-11-23.pdf"


def test_step_and_invoices_proposed(qtbot, wiz_ops, tmp_path):
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["dupont"]), tmp_path)
    assert wizard.kind() == "reminder_2"  # proposed from the policy
    facts = wiz_ops.ledger.facts(client_id=wiz_ops.ids["dupont"])
    expected = [f.id for f in invoices_for_letter(facts, "reminder_2", TODAY)]
    assert wizard.invoice_ids() == expected == [wiz_ops.ids["F-101"], wiz_ops.ids["F-102"]]
    tree = wizard.invoices_page.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "F-101",
        "F-102",
    ]
    assert tree.topLevelItem(0).text(4) == "Relance 1"


def test_reminder_wizard_to_the_end(qtbot, wiz_ops, tmp_path):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    wizard = prepared(
        qtbot,
        ReminderWizard(wiz_ops, ids["dupont"], [ids["F-101"], ids["F-102"]], "reminder_2"),
        tmp_path,
    )
    assert wizard.invoices_page.step.currentText() == "Relance 2 (ferme)"
    go_to(wizard, wizard.text_page)
    text = wizard.text_page.edit.toPlainText()
    assert "F-101" in text
    wizard.text_page.edit.setPlainText(text.replace("Malgré", "Sauf erreur de notre part, malgré"))
    go_to(wizard, wizard.preview_page)
    assert wizard.preview_page.preview.technique == ("qtpdf" if HAS_QTPDF else "pdftoppm")
    assert wizard.preview_page.preview.page_count() >= 1
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()  # Finish
    assert wizard.result() == QDialog.DialogCode.Accepted
    out = pdf_text(tmp_path / "sortie.pdf")
    assert DUPONT in out
    assert "2 050,50" in out
    assert "Sauf erreur de notre part, malgré" in out
    archived = list((tmp_path / "lettres").iterdir())
    assert archived == [wizard.document_path]
    action, numbers = led.history(ids["dupont"])[-1]
    assert (action.kind, action.step, action.date) == ("letter", "reminder_2", TODAY)
    assert action.document_path == str(archived[0])
    assert numbers == ["F-101", "F-102"]
    stages = {row.invoice: row.stage for row in led.stages(TODAY)}
    assert stages["F-101"] == stages["F-102"] == "reminder_2"


def test_cancel_at_preview_records_nothing(qtbot, wiz_ops, tmp_path):
    before = wiz_ops.ledger.counts()["actions"]
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["dupont"]), tmp_path)
    go_to(wizard, wizard.preview_page)
    wizard.reject()
    assert wiz_ops.ledger.counts()["actions"] == before
    assert not (tmp_path / "lettres").exists() or not any((tmp_path / "lettres").iterdir())
    assert not (tmp_path / "sortie.pdf").exists()


@pytest.mark.skipif(not HAS_QTPDF, reason="printing renders pages with QtPdf")
def test_print_paints_every_page(qtbot, wiz_ops, tmp_path):
    wizard = prepared(
        qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["martin"], step="reminder_1"), tmp_path
    )
    printed = tmp_path / "imprime.pdf"

    def fake_dialog(_parent):
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setFullPage(True)
        return printer

    wizard.outputs.ask_printer = fake_dialog
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("print")
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) >= 1
    assert wizard.outputs.warnings == []
    action, _ = wiz_ops.ledger.history(wiz_ops.ids["martin"])[-1]
    assert action.step == "reminder_1"


def test_cancelled_file_dialog_keeps_the_wizard_open(qtbot, wiz_ops, tmp_path):
    before = wiz_ops.ledger.counts()["actions"]
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["martin"]), tmp_path)
    wizard.outputs.ask_save_path = lambda _parent, _suggested: ""
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert wizard.isVisible()
    assert wiz_ops.ledger.counts()["actions"] == before


def test_archive_that_cannot_be_written_records_nothing(qtbot, wiz_ops, tmp_path):
    before = wiz_ops.ledger.counts()["actions"]
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["martin"]), tmp_path)
    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("un fichier, pas un dossier")
    wizard.letters_folder = blocker / "lettres"  # cannot be created under a file
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert wizard.isVisible()
    assert "n'a pas pu être conservé" in wizard.outputs.warnings[0]
    assert "rien n'a été enregistré" in wizard.outputs.warnings[0]
    assert wiz_ops.ledger.counts()["actions"] == before
    assert not (tmp_path / "sortie.pdf").exists()


def test_email_opens_an_eml_draft_with_the_mail_text(qtbot, wiz_ops, tmp_path):
    """Issue 15 item 6 (replaces the mailto: draft): the e-mail text of the step, the PDF
    attached, in an .eml opened by the mail program; recorded once confirmed sent."""
    from email import policy
    from email.parser import BytesParser

    ids = wiz_ops.ids
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, ids["dupont"], step="reminder_2"), tmp_path)
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("email")
    assert wizard.channel_page.channel() == "email"
    assert wizard.channel_page.to.text() == "compta@dupont.fr"
    wizard.channel_page.ask_sent = lambda _parent, _text: True
    wizard.accept()
    (eml,) = wizard.outputs.opened
    assert eml.isLocalFile()
    msg = BytesParser(policy=policy.default).parsebytes(Path(eml.toLocalFile()).read_bytes())
    assert msg["Subject"].startswith("Deuxième rappel")
    assert "F-101" in msg.get_body(("plain",)).get_content()
    action, _ = wiz_ops.ledger.history(ids["dupont"])[-1]
    assert action.channel == "email"
    assert action.outcome == "Envoyée par e-mail"
    assert Path(action.document_path).is_file()


def test_choosing_a_notice_hands_over_to_its_wizard(qtbot, wiz_ops, tmp_path):
    ids = wiz_ops.ids
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, ids["dupont"]), tmp_path)
    wizard.invoices_page.set_checked([ids["F-101"]])
    wizard.invoices_page.set_kind("formal_notice")
    with qtbot.waitSignal(wizard.switchRequested) as signal:
        wizard.next()
    assert signal.args == ["formal_notice", [ids["F-101"]]]
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.result() == QDialog.DialogCode.Rejected


def notice_to_amounts(qtbot, ops: Ops, client: str, tmp_path: Path) -> NoticeWizard:
    """The notice wizard shown on its amounts page."""
    wizard = prepared(qtbot, NoticeWizard(ops, ops.ids[client]), tmp_path)
    go_to(wizard, wizard.amounts_page)
    return wizard


def registered_only(wizard: NoticeWizard) -> None:
    """On the channel page: the registered letter without its copy by e-mail."""
    go_to(wizard, wizard.channel_page)
    wizard.channel_page.set_channel("post")


def test_notice_wizard_to_the_end(qtbot, wiz_ops, tmp_path):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    wizard = notice_to_amounts(qtbot, wiz_ops, "dupont", tmp_path)
    page = wizard.amounts_page
    cell = lambda r, c: page.table.item(r, c).text().replace("\u00a0", " ").replace("\u202f", " ")  # noqa: E731
    expected = led.interest("F-101", TODAY)
    assert cell(0, 0) == "F-101"
    assert cell(0, 1) == "1 200,00 €"
    assert cell(0, 2).replace(" €", "") == f"{expected.penalties:.2f}".replace(".", ",")
    assert cell(0, 4) == "40,00 €"
    assert cell(2, 0) == "Total"
    assert page.days.value() == 8
    assert page.due_by.text() == french_date(deadline(TODAY, 8))
    page.registered.setText("1a 123 456 7890 1")
    go_to(wizard, wizard.channel_page)
    assert wizard.channel_page.channel() == "both"  # Dupont has an address: a copy by e-mail
    wizard.channel_page.set_channel("post")  # the registered letter only
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    out = pdf_text(tmp_path / "sortie.pdf")
    assert "MISE EN DEMEURE" in out
    assert DUPONT in out
    assert "1A 123 456 7890 1" in out
    assert "2 050,50" in out
    action, _ = led.history(ids["dupont"])[-1]
    assert (action.kind, action.step, action.registered_number) == (
        "formal_notice",
        "formal_notice",
        "1A 123 456 7890 1",
    )
    assert action.document_path == str(wizard.document_path)
    assert {r.invoice: r.stage for r in led.stages(TODAY)}["F-101"] == "formal_notice"


def test_notice_refuses_an_empty_registered_number(qtbot, wiz_ops, wiz_refusals, tmp_path):
    before = wiz_ops.ledger.counts()["actions"]
    wizard = notice_to_amounts(qtbot, wiz_ops, "dupont", tmp_path)
    wizard.next()
    assert wizard.currentPage() is wizard.amounts_page
    assert "recommandé" in str(wiz_refusals[-1])
    wizard.amounts_page.registered.setText("12-34")
    wizard.next()
    assert wizard.currentPage() is wizard.amounts_page
    wizard.reject()
    assert wiz_ops.ledger.counts()["actions"] == before


def test_notice_deadline_days_are_editable(qtbot, wiz_ops, tmp_path):
    wizard = notice_to_amounts(qtbot, wiz_ops, "dupont", tmp_path)
    wizard.amounts_page.days.setValue(15)
    wizard.amounts_page.registered.setText("1A 123 456 7890 1")
    go_to(wizard, wizard.text_page)
    text = wizard.text_page.edit.toPlainText()
    assert "dans un délai de 15 jours à compter de la réception de la présente" in text
    assert wizard.amounts_page.deadline_date() == deadline(TODAY, 15)  # shown as a guide


def test_notice_for_a_consumer(qtbot, wiz_ops, tmp_path):
    wizard = notice_to_amounts(qtbot, wiz_ops, "petit", tmp_path)
    page = wizard.amounts_page
    assert "taux légal" in page.note.text()
    assert "pas d'indemnité" in page.note.text()
    assert page.table.item(0, 4).text().startswith("0,00")


def test_acknowledgement_refuses_a_date_before_sending(qtbot, wiz_ops, wiz_refusals):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    action_id = led.record_letter_sent(
        ids["dupont"], "formal_notice", [ids["F-101"]], TODAY, registered_number="1A 123 456 7890 1"
    )
    dialog = AcknowledgementDialog(wiz_ops, action_id, TODAY)
    qtbot.addWidget(dialog)
    dialog.set_date(TODAY - dt.timedelta(days=1))
    dialog.accept()
    assert not dialog.recorded
    assert "précède" in str(wiz_refusals[-1])
    dialog.set_date(TODAY + dt.timedelta(days=3))
    dialog.accept()
    assert dialog.recorded
    action = next(a for a, _ in led.history(ids["dupont"]) if a.id == action_id)
    assert action.acknowledged_on == TODAY + dt.timedelta(days=3)


def plan_to_instalments(qtbot, ops: Ops, tmp_path: Path) -> PlanWizard:
    """The plan wizard for Dupont on its instalments page."""
    wizard = prepared(qtbot, PlanWizard(ops, ops.ids["dupont"]), tmp_path)
    go_to(wizard, wizard.instalments_page)
    return wizard


def test_plan_wizard_to_the_end(qtbot, wiz_ops, tmp_path):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    wizard = plan_to_instalments(qtbot, wiz_ops, tmp_path)
    page = wizard.instalments_page
    # On 23/11/2026 (2026-H2 has no rate yet: 2026-H1's 12,15 % goes on, C. com. L441-10 II):
    # F-101 1 200,00 € due 20/10: 34 days, 1 200 x 0,1215 x 34 / 365 = 13,58 ;
    # F-102 850,50 € due 31/10: 23 days, 850,50 x 0,1215 x 23 / 365 = 6,51 ;
    # 2 050,50 + 20,09 + 2 x 40 (D441-5) = 2 150,59 €.
    assert page.total.text().replace("\u202f", " ").replace("\u00a0", " ") == "2 150,59 €"
    page.count.setValue(4)
    page.set_frequency("monthly")
    page.first.setDate(page.first.date().__class__(2026, 12, 10))
    # 215 059 cents / 4 = 53 764, the last takes the rest: 215 059 - 3 x 53 764 = 53 767.
    assert [c for _, c in wizard.instalments()] == [53764, 53764, 53764, 53767]
    assert page.table.rowCount() == 4
    assert page.table.item(3, 1).text() == "10/03/2027"
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    out = pdf_text(tmp_path / "sortie.pdf")
    assert "N° Échéance Montant" in out
    assert DUPONT in out
    assert "537,67" in out
    assert "Montant de l'échéancier 2 150,59 €" in out
    assert "la somme de 2 150,59 €" in out  # the text states the table's figure
    assert wizard.plan_id is not None
    history = led.history(ids["dupont"])
    agreement = history[-1][0]
    assert (agreement.kind, agreement.step) == ("agreement", "payment_plan")
    assert agreement.notes == "Échéancier en 4 versements"
    assert agreement.outcome == "Lettre préparée (PDF)"  # saved, not claimed as sent
    assert agreement.document_path == str(wizard.document_path)
    assert [a.kind for a, _ in history].count("agreement") == 1  # one entry, not two
    assert {r.invoice: r.stage for r in led.stages(TODAY)}["F-101"] == "payment_plan"


def test_plan_that_waives_penalties_spreads_the_principal_and_says_so(qtbot, wiz_ops, tmp_path):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    wizard = plan_to_instalments(qtbot, wiz_ops, tmp_path)
    page = wizard.instalments_page
    page.waive.setChecked(True)
    assert page.total.text().replace("\u202f", " ").replace("\u00a0", " ") == "2 050,50 €"
    assert "renonçons aux pénalités" in page.covers.text()
    page.count.setValue(3)
    assert sum(c for _, c in wizard.instalments()) == 205050
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    out = " ".join(pdf_text(tmp_path / "sortie.pdf").split())
    assert "Principal restant dû 2 050,50 €" in out
    assert "Montant de l'échéancier 2 050,50 €" in out
    assert "Pénalités de retard (" not in out  # no penalty row in the totals
    assert "nous renonçons aux pénalités de retard" in out
    agreement = led.history(ids["dupont"])[-1][0]
    assert agreement.notes == "Échéancier en 3 versements (pénalités abandonnées si respecté)"


def test_refused_plan_records_nothing(qtbot, wiz_ops, wiz_refusals, tmp_path):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    wizard = plan_to_instalments(qtbot, wiz_ops, tmp_path)
    go_to(wizard, wizard.output_page)
    led.record_payment(ids["F-101"], TODAY, Decimal("100.00"))  # balance changed meanwhile
    before = led.counts()["actions"]
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert wizard.isVisible()
    assert "diffère du montant de l'accord" in str(wiz_refusals[-1])
    assert led.counts()["actions"] == before
    assert not any((tmp_path / "lettres").iterdir())


def test_open_wizard_asks_for_the_identity_first(qtbot, monkeypatch):
    import ui.settings.dialog as settings_dialog

    led = Ledger.open("sqlite://")
    try:
        ops = Ops(led, today=lambda: TODAY)
        client = led.add_client(
            "Client Sans Identité", street="1 rue A", postal_code="75001", city="Paris"
        )
        led.add_invoice(client, "X-1", dt.date(2026, 9, 1), Decimal("100.00"))
        told: list[str] = []
        monkeypatch.setattr(
            settings_dialog.QMessageBox, "information", lambda *a: told.append(a[2])
        )
        # First time the user closes the settings without filling them: no wizard.
        monkeypatch.setattr(settings_dialog, "open_settings", lambda *a: None)
        assert wizards.open_wizard(None, ops, client, [], "formal_notice") is None
        assert "SIRET" in told[0]
        assert led.counts()["actions"] == 0

        def fill_in(o, _parent, _page):
            o.ledger.set_company(COMPANY)

        monkeypatch.setattr(settings_dialog, "open_settings", fill_in)
        wizard = wizards.open_wizard(None, ops, client, [], "formal_notice")
        assert isinstance(wizard, NoticeWizard)
        assert wizard.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.reject()
    finally:
        led.close()


def test_open_wizard_picks_the_wizard_for_the_step(qtbot, wiz_ops):
    ids = wiz_ops.ids
    opened = [
        wizards.open_wizard(None, wiz_ops, ids["dupont"], [ids["F-101"]], step)
        for step in ("payment_plan", "reminder_3", "courtesy_call")
    ]
    assert [type(w).__name__ for w in opened] == ["PlanWizard", "ReminderWizard", "ReminderWizard"]
    assert opened[1].kind() == "reminder_3"
    assert opened[2].kind() == "reminder_2"  # not a letter step: proposed
    for wizard in opened:
        wizard.reject()


def test_ticks_follow_the_step_until_ticked_by_hand(qtbot, wiz_ops, tmp_path):
    ids = wiz_ops.ids
    led = wiz_ops.ledger
    f302 = led.add_invoice(
        ids["petit"], "F-302", dt.date(2026, 11, 1), Decimal("90.00"), dt.date(2026, 11, 28)
    )
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, ids["petit"]), tmp_path)
    assert wizard.invoice_ids() == [ids["F-301"]]
    wizard.invoices_page.set_kind("preventive")
    assert wizard.invoice_ids() == [f302]
    assert not wizard.invoices_page.hint.isVisible()
    wizard.invoices_page.set_kind("formal_notice")
    assert wizard.invoices_page.hint.isVisible()
    wizard.invoices_page.tree.topLevelItem(1).setCheckState(0, Qt.CheckState.Checked)
    wizard.invoices_page.set_kind("reminder_1")
    assert wizard.invoice_ids() == [ids["F-301"], f302]  # kept as ticked by hand


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_preview_falls_back_to_page_images(qtbot, wiz_ops, monkeypatch):
    monkeypatch.setattr(pdf_preview, "HAS_QTPDF", False)
    pdf = wiz_ops.ledger.letter(wiz_ops.ids["dupont"], "reminder_2", TODAY)
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.set_pdf(render_letter(pdf))
    assert preview.technique == "pdftoppm"
    assert preview.page_count() >= 1
    preview.set_pdf(b"not a pdf")
    assert preview.technique == "message"


def test_a_penalty_statement_with_nothing_to_claim_is_not_offered(qtbot, wiz_ops, tmp_path):
    # Jeanne Petit is a consumer with no formal notice: no interest runs (C. civ. 1231-6).
    wizard = prepared(qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["petit"]), tmp_path)
    page = wizard.invoices_page
    item = page.step.model().item(page.step.findData("penalty_statement"))
    assert not item.isEnabled()
    assert "Rien à réclamer" in item.toolTip()
    # Dupont, a professional client late on his invoices, owes penalties: it is offered.
    other = prepared(qtbot, ReminderWizard(wiz_ops, wiz_ops.ids["dupont"]), tmp_path)
    step = other.invoices_page.step
    assert step.model().item(step.findData("penalty_statement")).isEnabled()


def test_notice_appends_the_archived_reminders_it_encloses(qtbot, wiz_ops, tmp_path):
    from pypdf import PdfReader

    ids, led = wiz_ops.ids, wiz_ops.ledger
    earlier = tmp_path / "relance-2.pdf"
    reminder = led.letter(ids["dupont"], "reminder_2", dt.date(2026, 11, 10), [ids["F-101"]])
    earlier.write_bytes(render_letter(reminder))
    led.record_letter_sent(
        ids["dupont"],
        "reminder_2",
        [ids["F-101"]],
        dt.date(2026, 11, 10),
        document_path=str(earlier),
    )
    # The invoice itself, attached by the user as a PDF piece of kind "facture".
    invoice_pdf = tmp_path / "facture-F-101.pdf"
    invoice_pdf.write_bytes(render_letter(reminder))  # any real one-page PDF will do
    attach(led, invoice_pdf, "facture", TODAY, invoice_id=ids["F-101"])
    wizard = notice_to_amounts(qtbot, wiz_ops, "dupont", tmp_path)
    page = wizard.amounts_page
    assert page.copies.isEnabled()
    assert "(2)" in page.copies.text()
    page.registered.setText("1A 123 456 7890 1")
    registered_only(wizard)
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    reader = PdfReader(tmp_path / "sortie.pdf")
    letter_pages = len(PdfReader(io.BytesIO(render_letter(wizard.letter()))).pages)
    copies = len(PdfReader(invoice_pdf).pages) + len(PdfReader(earlier).pages)
    assert len(reader.pages) == letter_pages + copies
    assert [o.title for o in reader.outline] == [
        "Copie de notre facture n° F-101",
        "Copie de notre deuxième relance du 10/11/2026",
    ]
    text = pdf_text(tmp_path / "sortie.pdf")
    assert "Pièces jointes" in text
    assert "Copie de notre deuxième relance du 10/11/2026" in text


def test_a_damaged_archived_copy_is_named_and_nothing_recorded(
    qtbot, wiz_ops, wiz_refusals, tmp_path
):
    ids, led = wiz_ops.ids, wiz_ops.ledger
    damaged = tmp_path / "relance-abimee.pdf"
    damaged.write_bytes(b"%PDF-1.4 tronque")
    led.record_letter_sent(
        ids["dupont"],
        "reminder_2",
        [ids["F-101"]],
        dt.date(2026, 11, 10),
        document_path=str(damaged),
    )
    before = led.counts()["actions"]
    wizard = notice_to_amounts(qtbot, wiz_ops, "dupont", tmp_path)
    wizard.amounts_page.registered.setText("1A 123 456 7890 1")
    registered_only(wizard)
    go_to(wizard, wizard.output_page)
    wizard.output_page.set_choice("save")
    wizard.accept()
    assert wizard.isVisible()
    assert "relance-abimee.pdf" in str(wiz_refusals[-1])
    assert led.counts()["actions"] == before
