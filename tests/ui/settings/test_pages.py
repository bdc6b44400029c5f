"""The settings dialog: typing and clicking through each page, refusals, and their effects."""

import datetime as dt
import io
from decimal import Decimal

import pdfplumber
import pytest
from PySide6.QtWidgets import QComboBox

from models.ids import ClientId
from models.store.ledger import Ledger
from reports.letters import render_letter
from ui.dialogs.policy_choice import PolicyChoiceDialog
from ui.ops import Ops
from ui.settings.backups import BackupsPage, restore_question
from ui.settings.dialog import PAGE_KEYS, SettingsDialog
from ui.settings.policy import COL_CHANNEL, COL_TEMPLATE, COL_WHEN, PolicyPage, WhenEditor
from ui.settings.rates import RatesPage
from ui.settings.templates import TemplatesPage
from ui.window.rate_banner import RateBanner

D = dt.date
TODAY = D(2026, 11, 23)
SIRET = "73282932000074"
IBAN = "FR7630006000011234567890189"
BAD_IBAN = "FR7630006000011234567890188"


@pytest.fixture
def refusals():
    return []


@pytest.fixture
def ops(ledger, refusals):
    """The operation helper on the test ledger, as of 2026-11-23, refusals recorded."""
    o = Ops(ledger, today=lambda: TODAY)
    o.show_refusal = lambda _parent, exc: refusals.append(str(exc))
    return o


@pytest.fixture
def client(ledger):
    """A B2B client with an invoice of 1,200.00 due 2026-11-01."""
    c = ledger.add_client(
        "Boulangerie Martin", street="3 place du Marché", postal_code="69002", city="Lyon"
    )
    ledger.add_invoice(c, "FA-1", D(2026, 10, 2), Decimal("1200.00"), D(2026, 11, 1))
    return c


def pdf_text(data) -> str:
    with pdfplumber.open(io.BytesIO(render_letter(data))) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def type_identity(page, **values):
    for key, text in values.items():
        page.edits[key].setText(text)
        page.edits[key].textEdited.emit(text)


IDENTITY = {
    "name": "Atelier Exemple SARL",
    "street": "8 rue des Artisans",
    "postal_code": "69003",
    "city": "Lyon",
    "siret": SIRET,
    "iban": IBAN,
    "bic": "AGRIFRPP",
}


def test_dialog_has_the_seven_pages(qtbot, ops):
    dialog = SettingsDialog(ops, page="rates")
    qtbot.addWidget(dialog)
    assert dialog.current_page() == "rates"
    assert [dialog.nav.item(i).text() for i in range(dialog.nav.count())] == [
        "Entreprise",
        "Politique de relance",
        "Taux",
        "Modèles de lettres",
        "E-mail",  # issue 15: the sending account
        "Sauvegardes",
        "Synchronisation",  # issue 19: the watched folders
    ]
    assert PAGE_KEYS == ("company", "policy", "rates", "templates", "mail", "backups", "sync")


def test_identity_saved_and_shown_on_the_next_letter(qtbot, ops, ledger, client, refusals):
    dialog = SettingsDialog(ops)
    qtbot.addWidget(dialog)
    page = dialog.pages["company"]
    type_identity(page, **IDENTITY)
    page.terms.setValue(45)
    assert page.errors.text() == ""
    assert page.save()
    assert refusals == []
    assert ledger.setting("payment_terms_days") == 45
    text = pdf_text(ledger.letter_for_invoice("FA-1", "reminder_2", TODAY))
    assert "Atelier Exemple SARL" in text
    assert "732 829 320 00074" in text
    assert "FR76 3000 6000 0112 3456 7890 189" in text


@pytest.mark.parametrize(("field", "value"), [("siret", "73282932000075"), ("iban", BAD_IBAN)])
def test_bad_siret_or_iban_refused_nothing_saved(qtbot, ops, ledger, refusals, field, value):
    dialog = SettingsDialog(ops)
    qtbot.addWidget(dialog)
    page = dialog.pages["company"]
    type_identity(page, **(IDENTITY | {field: value}))
    assert value in page.errors.text()  # said while typing
    assert not page.save()
    assert len(refusals) == 1
    assert value in refusals[0]
    assert ledger.company_data() == {}


def test_contractual_rate_warning_is_live(qtbot, ops):
    dialog = SettingsDialog(ops)
    qtbot.addWidget(dialog)
    page = dialog.pages["company"]
    page.rate.setText("5")
    page.rate.textEdited.emit("5")
    assert "inférieur au minimum légal" in page.rate_warning.text()
    page.rate.setText("12")
    page.rate.textEdited.emit("12")
    assert page.rate_warning.text() == ""


def test_logo_chosen_is_copied_and_previewed(qtbot, ops, ledger, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    source = tmp_path / "logo.png"
    image.save(str(source))
    dialog = SettingsDialog(ops)
    qtbot.addWidget(dialog)
    page = dialog.pages["company"]
    page.pick_image = lambda _parent, _title: str(source)
    page.choose("logo")
    assert ledger.company().logo_path.endswith(".png")
    assert ledger.company().logo_path != str(source)
    assert not page.previews["logo"].pixmap().isNull()
    page.remove("logo")
    assert ledger.company().logo_path == ""


def step_row(page: PolicyPage, code: str) -> int:
    return [s.code for s in page.steps()].index(code)


def test_policy_change_moves_the_todo(qtbot, ops, ledger, client, refusals):
    page = PolicyPage(ops)
    qtbot.addWidget(page)
    as_of = D(2026, 11, 5)
    assert "reminder_1" not in {t.action for t in ledger.todo(as_of)}
    when = page.table.cellWidget(step_row(page, "reminder_1"), COL_WHEN)
    assert isinstance(when, WhenEditor)
    when.days.setValue(3)
    assert page.policy().step("reminder_1").when_text() == "3 jours après l'échéance"
    assert page.save()
    assert refusals == []
    assert {t.action: t.on for t in ledger.todo(as_of)}["reminder_1"] == D(2026, 11, 4)


def test_policy_with_two_steps_same_day_same_channel_refused(qtbot, ops, ledger, refusals):
    page = PolicyPage(ops)
    qtbot.addWidget(page)
    row = step_row(page, "reminder_2")
    page.table.cellWidget(row, COL_WHEN).days.setValue(7)
    channel = page.table.cellWidget(row, COL_CHANNEL)
    assert isinstance(channel, QComboBox)
    channel.setCurrentIndex(channel.findData("email"))
    assert "même jour" in page.errors.text()
    assert not page.save()
    assert "même jour" in refusals[0]
    assert ledger.policy().step("reminder_2").offset_days == 15


def test_formal_notice_before_any_reminder_refused(qtbot, ops, ledger, refusals):
    page = PolicyPage(ops)
    qtbot.addWidget(page)
    page.table.setCurrentCell(step_row(page, "formal_notice"), 0)
    for _ in range(5):
        page.move_step(-1)
    assert page.steps()[1].code == "formal_notice"
    assert not page.save()
    assert "précéder toute relance" in refusals[0]


def test_policy_rows_added_removed_and_defaults_restored(qtbot, ops, ledger):
    page = PolicyPage(ops)
    qtbot.addWidget(page)
    count = page.table.rowCount()
    page.table.setCurrentCell(2, 0)
    page.add_step()
    assert page.table.rowCount() == count + 1
    assert page.steps()[3].label == "Nouvelle étape"
    template = page.table.cellWidget(3, COL_TEMPLATE)
    assert template.currentData() == ""
    page.remove_step()
    assert page.table.rowCount() == count
    page.table.cellWidget(0, COL_WHEN).days.setValue(9)
    page.restore_defaults()
    assert page.steps() == list(ledger.policy().steps)


def test_named_policy_chosen_for_a_client(qtbot, ops, ledger, client):
    page = PolicyPage(ops)
    qtbot.addWidget(page)
    page.ask_name = lambda _parent: "Grands comptes"
    page.new_policy()
    assert ledger.policy_names() == ["Grands comptes"]
    dialog = PolicyChoiceDialog(ops, ClientId(client))
    qtbot.addWidget(dialog)
    dialog.combo.setCurrentIndex(dialog.combo.findData("Grands comptes"))
    dialog.accept()
    assert ledger.client(client).policy_name == "Grands comptes"


def test_missing_rate_raises_banner_until_entered(qtbot, ops, ledger, client, refusals):
    banner = RateBanner(ops)
    qtbot.addWidget(banner)
    banner.show()
    assert banner.isVisible()
    assert banner.text() == (
        "⚠ Taux du 2e semestre 2026 non renseigné : le dernier taux connu "
        "(1er semestre 2026) est utilisé"
    )
    assert ledger.interest("FA-1", TODAY).warnings
    page = RatesPage(ops)
    qtbot.addWidget(page)
    assert page.code.text() == "2026-H2"
    page.ecb.setText("2,15")
    page.private.setText("6,67")
    page.other.setText("2,62")
    assert page.save()
    assert refusals == []
    assert not banner.isVisible()
    assert ledger.interest("FA-1", TODAY).warnings == ()
    assert page.table.item(0, 5).text() == "saisi"


def test_bad_rate_refused(qtbot, ops, ledger, refusals):
    page = RatesPage(ops)
    qtbot.addWidget(page)
    page.ecb.setText("beaucoup")
    page.private.setText("6,67")
    page.other.setText("2,62")
    assert not page.save()
    assert "beaucoup" in refusals[0]
    assert ledger.user_rates() == []


def test_template_edit_appears_in_the_next_letter(qtbot, ops, ledger, client, refusals, request):
    ledger.set_company(IDENTITY)
    page = TemplatesPage(ops)
    qtbot.addWidget(page)
    request.addfinalizer(page.timer.stop)  # no preview after the ledger is closed
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("reminder_1"))
    assert page.kind() == "reminder_1"
    text = page.text().replace(
        "{civilite}\n", "{civilite}\n\nVotre dossier est suivi par notre service comptable.\n", 1
    )
    page.editor.setPlainText(text)
    assert page.is_dirty()
    assert page.timer.isActive()  # the preview waits for a pause in typing
    qtbot.waitUntil(lambda: not page.timer.isActive(), timeout=3000)
    assert page.preview.page_count() == 1
    assert page.save()
    assert refusals == []
    letter = ledger.letter_for_invoice("FA-1", "reminder_1", D(2026, 11, 10))
    assert "Votre dossier est suivi par notre service comptable." in pdf_text(letter)
    assert "\u00a0" in ledger.template("reminder_1")  # no-break spaces survive the editor


def test_template_with_unknown_field_refused(qtbot, ops, ledger, refusals, request):
    page = TemplatesPage(ops)
    qtbot.addWidget(page)
    request.addfinalizer(page.timer.stop)
    page.editor.setPlainText(page.text() + "\nMontant : {montant_faux}\n")
    assert "{montant_faux}" in page.messages.text()
    assert not page.save()
    assert "montant_faux" in refusals[0]
    assert not ledger.template_is_custom(page.kind())


def test_template_restored(qtbot, ops, ledger):
    ledger.set_template("preventive", "Titre: Rappel\n\nBonjour {client}.\n\nCordialement.")
    page = TemplatesPage(ops)
    qtbot.addWidget(page)
    page.confirm = lambda *_a: True
    page.reset()
    assert not ledger.template_is_custom("preventive")
    assert page.text() == ledger.template("preventive")


def test_restore_from_backup_brings_back_earlier_data(qtbot, tmp_path, refusals):
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    ops = Ops(led, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(str(exc))
    c = led.add_client("Boulangerie Martin")
    led.add_invoice(c, "FA-1", D(2026, 10, 1), Decimal("100.00"))
    page = BackupsPage(ops)
    qtbot.addWidget(page)
    page.now = lambda: dt.datetime(2026, 11, 23, 14, 5)
    assert page.backup_now() is not None
    assert page.table.rowCount() == 1
    led.add_invoice(c, "FA-2", D(2026, 10, 2), Decimal("200.00"))
    asked = []
    page.confirm = lambda _parent, _title, text: asked.append(text) or True
    page.now = lambda: dt.datetime(2026, 11, 23, 15, 30)
    page.table.selectRow(0)
    assert page.restore()
    assert asked == [
        "Restaurer la sauvegarde du 23/11/2026 à 14:05 ? Une copie de sécurité de la base "
        "actuelle sera faite avant."
    ]
    assert led.counts()["invoices"] == 1
    assert page.table.rowCount() == 2  # the backup and the safety copy
    assert refusals == []
    led.close()


def test_backup_settings_saved(qtbot, tmp_path, refusals):
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    ops = Ops(led, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(str(exc))
    page = BackupsPage(ops)
    qtbot.addWidget(page)
    page.folder.setText(str(tmp_path / "copies"))
    page.kept.setValue(5)
    assert page.save()
    assert led.backup_dir() == tmp_path / "copies"
    assert led.setting("backups_kept") == 5
    led.close()


def test_in_memory_database_cannot_be_backed_up(qtbot, ops):
    page = BackupsPage(ops)
    qtbot.addWidget(page)
    assert not page.backup_button.isEnabled()
    assert "SQLite" in page.status.text()


def test_restore_question_names_the_date(tmp_path):
    path = tmp_path / "relance-2026-11-23_140500.sqlite"
    assert "du 23/11/2026 à 14:05" in restore_question(path)


def test_first_letter_asks_for_the_identity_first(qtbot, ops, ledger, monkeypatch):
    import ui.settings.dialog as module

    told, opened = [], []
    monkeypatch.setattr(module.QMessageBox, "information", lambda *a: told.append(a[2]))

    def fill_in(o, _parent, page):
        opened.append(page)
        o.ledger.set_company(IDENTITY)

    monkeypatch.setattr(module, "open_settings", fill_in)
    assert module.ensure_company(ops, "reminder_2")
    assert opened == ["company"]
    assert "SIRET" in told[0]
    assert module.ensure_company(ops, "reminder_2")  # now complete: nothing asked
    assert opened == ["company"]


def test_mediator_typed_in_settings_is_printed_on_a_letter_to_a_consumer(qtbot, ops, ledger):
    # C. conso. L612-1, L616-1: the mediator is asked in Paramètres > Entreprise and printed.
    dialog = SettingsDialog(ops)
    qtbot.addWidget(dialog)
    page = dialog.pages["company"]
    type_identity(page, **IDENTITY, mediator_url="pas un site")
    assert "site du médiateur" in page.errors.text()  # said while typing
    type_identity(page, mediator_name="Médiation Exemple", mediator_url="www.med-exemple.fr")
    assert page.errors.text() == ""
    assert page.save()
    c = ledger.add_client("Mme Lise Roux", "b2c", street="1 rue C", postal_code="44000")
    ledger.add_invoice(c, "FA-9", dt.date(2026, 9, 1), Decimal("90.00"), dt.date(2026, 10, 1))
    text = pdf_text(ledger.letter_for_invoice("FA-9", "reminder_1", TODAY))
    assert "Médiation Exemple — www.med-exemple.fr" in " ".join(text.split())


def test_letter_to_a_consumer_asks_for_the_mediator_and_says_why(qtbot, ops, ledger, monkeypatch):
    import ui.settings.dialog as module

    ledger.set_company(IDENTITY)
    told, opened = [], []
    monkeypatch.setattr(module.QMessageBox, "information", lambda *a: told.append(a[2]))
    monkeypatch.setattr(module, "open_settings", lambda _o, _p, page: opened.append(page))
    assert module.ensure_company(ops, "reminder_1")  # a professional: nothing asked
    assert not module.ensure_company(ops, "reminder_1", b2c=True)
    assert opened == ["company"]
    assert "médiateur de la consommation" in told[0]
    assert "L612-1" in told[0]
