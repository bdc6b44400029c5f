"""OFX 1 (SGML) and OFX 2 (XML) read through ofxtools from files written in the test."""

import datetime as dt

import pytest

from models.bank.ofx import read_ofx
from models.bank.read import read_statement
from models.errors import InputError
from tests.models.bank.statements import MOVES, ofx


@pytest.mark.parametrize("version", [1, 2])
def test_transactions_are_read_signed_with_payer_and_memo(tmp_path, version):
    path = tmp_path / "releve.ofx"
    path.write_bytes(ofx(MOVES, version))
    statement = read_statement(path)
    assert statement.kind == "OFX"
    assert [(e.credit, e.amount_cents) for e in statement.entries] == [
        (True, 120000),
        (True, 30000),
        (True, 65000),
        (False, 4590),
        (True, 120000),
        (True, 9900),
    ]
    first = statement.entries[0]
    assert first.account == "300040000312345678901"
    assert first.booking_date == dt.date(2026, 3, 2)
    assert (first.debtor, first.text, first.bank_reference) == (
        "BOULANGERIE DUPONT",
        "Facture F2026-01",
        "R001",
    )


def test_a_french_decimal_comma_and_a_midnight_date_are_kept(tmp_path):
    data = ofx(MOVES[:1]).decode("cp1252")
    data = data.replace("<TRNAMT>1200.00", "<TRNAMT>1200,00")
    data = data.replace("<DTPOSTED>20260302120000", "<DTPOSTED>20260302000000[+1:CET]")
    path = tmp_path / "r.ofx"
    path.write_text(data, encoding="cp1252")
    (entry,) = read_ofx(path).entries
    assert entry.amount_cents == 120000
    assert entry.booking_date == dt.date(2026, 3, 2)  # not moved to UTC (1 March, 23:00)


def test_a_damaged_ofx_names_the_file(tmp_path):
    path = tmp_path / "abime.ofx"
    path.write_bytes(b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1></OFX>")
    with pytest.raises(InputError, match=r"abime\.ofx : "):
        read_statement(path)
    empty = tmp_path / "vide.ofx"
    data = ofx(MOVES[:1]).decode("cp1252").replace("<TRNAMT>1200.00\n", "")
    empty.write_text(data, encoding="cp1252")
    with pytest.raises(InputError, match=r"vide\.ofx : opération 1 : montant \(TRNAMT\) absent"):
        read_statement(empty)


@pytest.mark.parametrize("version", [1, 2])
def test_our_reader_agrees_with_ofxtools(tmp_path, version):
    """ofxtools (GPL 3, a test tool only) reads the same files to the same values."""
    from ofxtools.Parser import OFXTree

    path = tmp_path / "releve.ofx"
    path.write_bytes(ofx(MOVES, version))
    tree = OFXTree()
    tree.parse(str(path))
    (stmt,) = tree.convert().statements
    theirs = [
        (
            t.dtposted.date(),
            int(t.trnamt * 100),
            t.fitid,
            t.name,
            t.memo,
        )
        for t in stmt.transactions
    ]
    ours = []
    for e in read_ofx(path).entries:
        signed = e.amount_cents if e.credit else -e.amount_cents
        ours.append((e.booking_date, signed, e.bank_reference, e.debtor, e.text))
    assert ours == theirs
    assert stmt.account.acctid == "12345678901"


@pytest.mark.parametrize("version", [1, 2])
def test_accents_and_escaped_characters_in_names(tmp_path, version):
    from decimal import Decimal

    from tests.models.bank.statements import Move

    move = Move(dt.date(2026, 3, 2), Decimal("10.00"), "CAFÉ & CIE", "Réglement F-1 <bis>")
    path = tmp_path / "r.ofx"
    path.write_bytes(ofx([move], version))
    (entry,) = read_ofx(path).entries
    assert (entry.debtor, entry.text) == ("CAFÉ & CIE", "Réglement F-1 <bis>")
