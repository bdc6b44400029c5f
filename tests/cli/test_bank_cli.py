"""`relance bank FILE [--apply] [--format json]`: proposals listed, sure ones recorded once."""

import json

import pytest

import main
from models.store.ledger import Ledger
from tests.models.bank.statements import LATER, MOVES, camt053, fill_ledger


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "relance.sqlite"
    ledger = Ledger.open(str(path))
    fill_ledger(ledger)
    ledger.close()
    return str(path)


def run(capsys, *args):
    code = main.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_preview_lists_each_credit_with_its_proposals(db, tmp_path, capsys):
    path = tmp_path / "mars.xml"
    path.write_bytes(camt053(MOVES))
    code, out, err = run(capsys, "--db", db, "bank", str(path), "--as-of", "2026-03-15")
    assert code == 0
    assert "[sûr] SARL Boulangerie Dupont : F2026-01 1\u00a0200,00\u00a0€" in out
    assert "[probable] Studio Kasba SAS : F2026-021 250,00\u00a0€, F2026-022 400,00\u00a0€" in out
    assert "[possible] Agence Lumen : F2026-030" in out
    assert "aucune facture proposée" in out
    assert "aperçu, rien n'est enregistré : --apply enregistrerait 2 paiement(s) sûr(s)" in err
    ledger = Ledger.open(db)
    assert ledger.counts()["payments"] == 0
    ledger.close()


def test_apply_json_then_again_then_an_overlap(db, tmp_path, capsys):
    path = tmp_path / "mars.xml"
    path.write_bytes(camt053(MOVES))
    args = ("--db", db, "bank", str(path), "--apply", "--format", "json", "--as-of", "2026-03-15")
    code, out, err = run(capsys, *args)
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("format", "applied", "credits", "debits", "known")} == {
        "format": "CAMT.053",
        "applied": True,
        "credits": 5,
        "debits": 1,
        "known": 0,
    }
    assert (data["recorded"], data["to_reconcile"]) == (2, 3)
    first = data["entries"][0]
    assert first["status"] == "applied"
    assert first["proposals"][0]["invoices"] == [{"invoice": "F2026-01", "amount": "1200.00"}]
    assert [e["proposals"][0]["confidence"] for e in data["entries"][:4]] == [
        "certain",
        "certain",
        "likely",
        "possible",
    ]
    assert data["entries"][4]["proposals"] == []
    assert "2 paiement(s) sûr(s) enregistré(s), 3 à rapprocher" in err
    code, out, err = run(capsys, *args)
    again = json.loads(out)
    assert (again["known"], again["recorded"], again["to_reconcile"]) == (5, 0, 0)
    assert "5 déjà connu(s)" in err
    later = tmp_path / "avril.xml"
    later.write_bytes(camt053(LATER))
    code, out, _ = run(capsys, "--db", db, "bank", str(later), "--apply", "--format", "json")
    overlap = json.loads(out)
    assert (overlap["known"], overlap["recorded"], overlap["to_reconcile"]) == (2, 1, 0)


def test_bad_input_exits_2_with_one_french_line(db, tmp_path, capsys):
    path = tmp_path / "abime.xml"
    path.write_bytes(camt053(MOVES)[:700])
    code, out, err = run(capsys, "--db", db, "bank", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("relance: abime.xml : XML mal formé")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--db", db, "bank", str(tmp_path / "absent.ofx"))
    assert code == 2
    assert "absent.ofx : fichier introuvable" in err
