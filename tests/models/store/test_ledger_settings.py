"""Settings through the Ledger: identity, letter texts, user rates, policies, backups."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from models.errors import InputError
from models.law.policy import DEFAULT_POLICY
from models.letters.templates import load_default
from models.store.ledger import Ledger

D = dt.date
SIRET = "73282932000074"
IBAN = "FR7630006000011234567890189"
BAD_IBAN = "FR7630006000011234567890188"
IDENTITY = {
    "name": "Atelier Exemple SARL",
    "street": "8 rue des Artisans",
    "postal_code": "69003",
    "city": "Lyon",
    "siret": SIRET,
    "iban": IBAN,
    "bic": "AGRIFRPP",
    "signatory": "Camille Exemple, gérante",
}


@pytest.fixture
def overdue(ledger):
    """One B2B client with one invoice of 1,200.00 due 2026-11-01."""
    c = ledger.add_client(
        "Boulangerie Martin", street="3 place du Marché", postal_code="69002", city="Lyon"
    )
    ledger.add_invoice(c, "FA-1", D(2026, 10, 2), Decimal("1200.00"), D(2026, 11, 1))
    return c


def test_identity_saved_and_on_the_next_letter(ledger, overdue):
    assert ledger.company_missing() == [
        "raison sociale",
        "adresse",
        "code postal",
        "ville",
        "SIRET",
    ]
    ledger.set_company(IDENTITY)
    assert ledger.company_missing("formal_notice") == []
    letter = ledger.letter_for_invoice("FA-1", "reminder_2", D(2026, 11, 23))
    assert letter.company.name == "Atelier Exemple SARL"
    assert letter.company.siret == "732 829 320 00074"
    assert letter.company.iban == "FR76 3000 6000 0112 3456 7890 189"
    assert letter.place == "Lyon"


@pytest.mark.parametrize(("field", "value"), [("siret", "73282932000075"), ("iban", BAD_IBAN)])
def test_bad_siret_or_iban_refused_nothing_saved(ledger, field, value):
    ledger.set_company(IDENTITY)
    with pytest.raises(InputError, match=value):
        ledger.set_company(IDENTITY | {"name": "Autre nom", field: value})
    assert ledger.company().name == "Atelier Exemple SARL"


def test_dotted_key_changes_one_field(ledger):
    ledger.set_company(IDENTITY)
    ledger.set_setting("company.phone", "04 78 12 34 56")
    assert ledger.setting("company.phone") == "04 78 12 34 56"
    assert ledger.setting("company.name") == "Atelier Exemple SARL"
    with pytest.raises(InputError):
        ledger.set_setting("company.iban", BAD_IBAN)
    with pytest.raises(InputError, match="inconnu"):
        ledger.setting("nope")


def test_set_settings_is_all_or_nothing(ledger):
    with pytest.raises(InputError):
        ledger.set_settings({"payment_terms_days": 45, "company": {"siret": "123"}})
    assert ledger.setting("payment_terms_days") == 30
    ledger.set_settings({"payment_terms_days": "45", "contractual_penalty_rate": "12,5"})
    assert ledger.setting("payment_terms_days") == 45
    assert ledger.contractual_rate() == Decimal("12.5")


def test_contractual_rate_warning(ledger):
    assert ledger.contractual_rate_warning(D(2026, 3, 1)) is None
    ledger.set_setting("contractual_penalty_rate", "5")
    assert "inférieur" in (ledger.contractual_rate_warning(D(2026, 3, 1)) or "")
    assert ledger.contractual_rate_warning(D(2026, 3, 1), "10") is None


def test_logo_copied_into_the_data_folder(tmp_path):
    led = Ledger.open(str(tmp_path / "base" / "relance.sqlite"))
    logo = tmp_path / "mon logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    saved = led.save_logo(logo)
    assert saved.parent == tmp_path / "base" / "images"
    assert saved.read_bytes() == logo.read_bytes()
    assert led.company().logo_path == str(saved)
    with pytest.raises(InputError, match="PNG"):
        led.save_signature(tmp_path / "signature.gif")
    led.close()


def test_template_edit_and_reset(ledger, overdue):
    ledger.set_company(IDENTITY)
    text = load_default("reminder_1").replace(
        "{civilite}\n", "{civilite}\n\nNous restons à votre écoute au {telephone}.\n", 1
    )
    ledger.set_company({"phone": "04 78 12 34 56"})
    ledger.set_template("reminder_1", text)
    assert ledger.template_is_custom("reminder_1")
    letter = ledger.letter_for_invoice("FA-1", "reminder_1", D(2026, 11, 10))
    assert "Nous restons à votre écoute au 04 78 12 34 56." in letter.paragraphs
    ledger.reset_template("reminder_1")
    assert ledger.template("reminder_1") == load_default("reminder_1")
    assert not ledger.template_is_custom("reminder_1")


def test_template_with_unknown_field_refused(ledger):
    bad = load_default("reminder_1") + "\nVous devez {montant_faux}.\n"
    with pytest.raises(InputError, match="montant_faux"):
        ledger.set_template("reminder_1", bad)
    assert not ledger.template_is_custom("reminder_1")
    with pytest.raises(InputError):
        ledger.set_template("relance_99", "Titre: x\n\ny")


def test_missing_half_year_warned_then_entered(ledger, overdue):
    as_of = D(2026, 11, 23)
    assert ledger.rate_warning(as_of) == (
        "taux du 2e semestre 2026 non renseigné : le dernier taux connu "
        "(1er semestre 2026) est utilisé"
    )
    assert ledger.interest("FA-1", as_of).warnings == (ledger.rate_warning(as_of),)
    ledger.set_user_rate("2026-H2", "2,15", "6,67", "2,62")
    assert ledger.rate_warning(as_of) is None
    assert ledger.interest("FA-1", as_of).warnings == ()
    row = ledger.rates().lookup(as_of).row
    assert (row.source, row.default_penalty) == ("saisi", Decimal("12.15"))
    assert ledger.setting("rates_user")[0]["ecb_refi"] == "2.15"
    ledger.delete_user_rate("2026-H2")
    assert ledger.rate_warning(as_of) is not None


def test_bad_rate_refused(ledger):
    with pytest.raises(InputError, match="semestre"):
        ledger.set_user_rate("2026-H3", "2", "6", "2")
    with pytest.raises(InputError, match="taux"):
        ledger.set_user_rate("2026-H2", "deux", "6", "2")
    assert ledger.user_rates() == []


def test_user_rate_replaces_a_shipped_one(ledger):
    ledger.set_user_rate("2026-H1", "2.40", "6.70", "2.70")
    assert ledger.rates().lookup(D(2026, 3, 1)).row.legal_other == Decimal("2.70")


def test_policy_with_two_steps_same_day_same_channel_refused(ledger):
    steps = tuple(
        replace(s, offset_days=7, channel="email") if s.code == "reminder_2" else s
        for s in DEFAULT_POLICY.steps
    )
    with pytest.raises(InputError, match="même jour"):
        ledger.set_policy(replace(DEFAULT_POLICY, steps=steps))
    assert ledger.policy() == DEFAULT_POLICY


def test_policy_change_moves_the_todo(ledger, overdue):
    as_of = D(2026, 11, 5)
    assert "reminder_1" not in {t.action for t in ledger.todo(as_of)}
    steps = tuple(
        replace(s, offset_days=3) if s.code == "reminder_1" else s for s in DEFAULT_POLICY.steps
    )
    ledger.set_policy(replace(DEFAULT_POLICY, steps=steps))
    todo = {t.action: t.on for t in ledger.todo(as_of)}
    assert todo["reminder_1"] == D(2026, 11, 4)
    ledger.reset_policy()
    assert ledger.policy() == DEFAULT_POLICY


def test_named_policy_for_one_client(ledger, overdue):
    gentle = replace(
        DEFAULT_POLICY,
        name="Grands comptes",
        steps=tuple(s for s in DEFAULT_POLICY.steps if s.channel != "call"),
    )
    ledger.set_policy(gentle, "Grands comptes")
    assert ledger.policy_names() == ["Grands comptes"]
    with pytest.raises(InputError):
        ledger.set_client_policy(overdue, "Inconnue")
    ledger.set_client_policy(overdue, "Grands comptes")
    assert ledger.client(overdue).policy_name == "Grands comptes"
    assert "call" not in {t.action for t in ledger.todo(D(2026, 11, 5))}
    with pytest.raises(InputError, match="suivie"):
        ledger.delete_policy("Grands comptes")
    ledger.set_client_policy(overdue, None)
    ledger.delete_policy("Grands comptes")
    assert ledger.policy_names() == []


def test_backup_and_restore_bring_back_earlier_data(tmp_path):
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    c = led.add_client("Boulangerie Martin")
    led.add_invoice(c, "FA-1", D(2026, 10, 1), Decimal("100.00"))
    made = led.backup_now(dt.datetime(2026, 11, 23, 14, 5))
    assert led.backups() == [made]
    led.add_invoice(c, "FA-2", D(2026, 10, 2), Decimal("200.00"))
    led.set_company({"name": "Nom changé après"})
    safety = led.restore_backup(made, dt.datetime(2026, 11, 23, 15, 0))
    assert "avant-restauration" in safety.name
    assert led.counts()["invoices"] == 1
    led.find_invoice("FA-1")
    assert led.company().name == "Votre entreprise"
    assert len(led.backups()) == 2
    led.close()


def test_backups_pruned_to_the_number_kept(tmp_path):
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    led.set_setting("backups_kept", 2)
    for hour in (9, 10, 11):
        led.backup_now(dt.datetime(2026, 11, 23, hour))
    assert [p.name for p in led.backups()] == [
        "relance-2026-11-23_110000.sqlite",
        "relance-2026-11-23_100000.sqlite",
    ]
    led.close()


def test_in_memory_database_has_no_backups(ledger):
    assert ledger.backups() == []
    with pytest.raises(InputError, match="SQLite"):
        ledger.backup_now(dt.datetime(2026, 11, 23, 14, 5))
