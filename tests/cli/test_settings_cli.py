"""`main.py settings get/set`: validated values, exit 2 with one line on bad ones."""

import json

import pytest

import main
from models.store.ledger import Ledger

SIRET = "73282932000074"
IBAN = "FR7630006000011234567890189"
BAD_IBAN = "FR7630006000011234567890188"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "relance.sqlite"
    Ledger.open(str(path)).close()
    return str(path)


def run(capsys, *args):
    code = main.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stored(db, key):
    ledger = Ledger.open(db)
    try:
        return ledger.setting(key)
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("company", json.dumps({"siret": "73282932000075"})), "SIRET"),
        (("company", json.dumps({"iban": BAD_IBAN})), "IBAN"),
        (("company.iban", BAD_IBAN), "IBAN"),
        (("company.siret", "123"), "SIRET"),
        (("company.colour", "bleu"), "inconnu"),
        (("nope", "1"), "paramètre inconnu"),
        (("payment_terms_days", "90"), "60"),
        (("template.reminder_1", "Titre: X\n\nVous devez {montant_faux}."), "montant_faux"),
    ],
)
def test_bad_values_exit_2_with_one_line(db, capsys, args, reason):
    code, out, err = run(capsys, "--db", db, "settings", "set", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert reason in err
    assert stored(db, "company") == {}


def test_good_company_stored_and_read_back(db, capsys):
    code, _, err = run(
        capsys, "--db", db, "settings", "set", "company",
        json.dumps({"name": "Atelier Exemple SARL", "siret": SIRET, "iban": IBAN}),
    )  # fmt: skip
    assert (code, err) == (0, "")
    company = stored(db, "company")
    assert company["siret"] == "732 829 320 00074"
    assert company["iban"] == "FR76 3000 6000 0112 3456 7890 189"
    code, out, _ = run(capsys, "--db", db, "settings", "get", "company.siret")
    assert code == 0
    assert json.loads(out) == "732 829 320 00074"


def test_dotted_key_sets_one_field(db, capsys):
    assert run(capsys, "--db", db, "settings", "set", "company.name", "Atelier Exemple")[0] == 0
    assert run(capsys, "--db", db, "settings", "set", "company.siret", SIRET)[0] == 0
    assert stored(db, "company") == {
        "name": "Atelier Exemple",
        "siret": "732 829 320 00074",
        "siren": "732 829 320",
    }


def test_simple_settings(db, capsys):
    assert run(capsys, "--db", db, "settings", "set", "payment_terms_days", "45")[0] == 0
    assert stored(db, "payment_terms_days") == 45
    assert run(capsys, "--db", db, "settings", "set", "contractual_penalty_rate", "12,5")[0] == 0
    assert stored(db, "contractual_penalty_rate") == "12,5"
    code, out, _ = run(capsys, "--db", db, "settings", "get", "template.reminder_1")
    assert code == 0
    assert json.loads(out).startswith("Titre:")


def test_unknown_key_get_exits_2(db, capsys):
    code, out, err = run(capsys, "--db", db, "settings", "get", "nope")
    assert code == 2
    assert out == ""
    assert "paramètre inconnu" in err
