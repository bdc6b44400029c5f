"""CAMT.053 read from files written in the test (versions .02 and .08), and refusals."""

import datetime as dt
from decimal import Decimal

import pytest

from models.bank.camt import read_camt
from models.bank.read import read_statement
from models.errors import InputError
from tests.models.bank.statements import IBAN, MOVES, Move, camt053


@pytest.mark.parametrize("version", ["02", "04", "08"])
def test_booked_entries_are_read_with_payer_text_and_references(tmp_path, version):
    path = tmp_path / "releve.xml"
    path.write_bytes(camt053(MOVES, version))
    statement = read_camt(path)
    assert statement.kind == "CAMT.053"
    assert len(statement.entries) == 6
    assert [e.amount_cents for e in statement.credits] == [120000, 30000, 65000, 120000, 9900]
    first, second = statement.credits[:2]
    assert first.account == IBAN
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.debtor == "BOULANGERIE DUPONT"
    assert first.text == "Facture F2026-01"
    assert first.bank_reference == "R001"
    assert first.end_to_end_id == ""  # NOTPROVIDED is no id
    assert second.end_to_end_id == "E2E-42"
    debit = next(e for e in statement.entries if not e.credit)
    assert (debit.amount_cents, debit.debtor) == (4590, "EDF")


def test_pending_and_other_currency_entries_are_set_aside(tmp_path):
    data = camt053(MOVES[:2]).decode()
    data = data.replace("<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>", 1)
    data = data.replace('Ccy="EUR">300.00', 'Ccy="USD">300.00')
    path = tmp_path / "r.xml"
    path.write_text(data, encoding="utf-8")
    statement = read_camt(path)
    assert statement.entries == ()
    assert len(statement.ignored) == 2
    assert "non comptabilisée (PDNG)" in statement.ignored[0]
    assert "devise USD" in statement.ignored[1]


def test_a_batch_booking_gives_one_credit_per_transfer(tmp_path):
    data = camt053([Move(dt.date(2026, 3, 2), Decimal("150.00"), "A", "x")]).decode()
    one = (
        '<TxDtls><Amt Ccy="EUR">100.00</Amt><RltdPties><Dbtr><Nm>ALPHA</Nm></Dbtr></RltdPties>'
        "<RmtInf><Ustrd>F-1</Ustrd></RmtInf></TxDtls>"
        '<TxDtls><Amt Ccy="EUR">50.00</Amt><RltdPties><Dbtr><Nm>BETA</Nm></Dbtr></RltdPties>'
        "<RmtInf><Ustrd>F-2</Ustrd></RmtInf></TxDtls>"
    )
    start, end = data.index("<NtryDtls>"), data.index("</NtryDtls>")
    data = data[:start] + "<NtryDtls>" + one + data[end:]
    path = tmp_path / "lot.xml"
    path.write_text(data, encoding="utf-8")
    credits = read_camt(path).credits
    assert [(e.debtor, e.amount_cents, e.text) for e in credits] == [
        ("ALPHA", 10000, "F-1"),
        ("BETA", 5000, "F-2"),
    ]
    assert [e.bank_reference for e in credits] == ["BANKREF0001/1", "BANKREF0001/2"]


def test_malformed_xml_names_the_file_and_the_place(tmp_path):
    path = tmp_path / "coupe.xml"
    path.write_bytes(camt053(MOVES)[:900])
    with pytest.raises(InputError, match=r"coupe\.xml : XML mal formé \(ligne \d+"):
        read_statement(path)


def test_entities_are_refused_before_parsing(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&b;</Document>'
    )
    path = tmp_path / "bombe.xml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(InputError, match=r"bombe\.xml : .*DTD ou des entités"):
        read_statement(path)


def test_another_xml_and_a_missing_amount_are_named(tmp_path):
    other = tmp_path / "facture.xml"
    other.write_text('<?xml version="1.0"?><Invoice xmlns="urn:x"/>', encoding="utf-8")
    with pytest.raises(InputError, match=r"facture\.xml : fichier XML qui n'est ni"):
        read_statement(other)
    data = camt053(MOVES[:1]).decode().replace('<Amt Ccy="EUR">1200.00</Amt>', "")
    path = tmp_path / "sans-montant.xml"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(InputError, match=r"sans-montant\.xml : relevé .*écriture 1 : montant"):
        read_statement(path)
    bad = tmp_path / "sens.xml"
    bad.write_text(camt053(MOVES[:1]).decode().replace(">CRDT<", ">XXXX<"), encoding="utf-8")
    with pytest.raises(InputError, match=r"sens \(CdtDbtInd\) « XXXX »"):
        read_statement(bad)


def test_an_unsupported_version_is_named(tmp_path):
    path = tmp_path / "v1.xml"
    path.write_bytes(camt053(MOVES[:1], "01"))
    with pytest.raises(InputError, match=r"version camt\.053\.001\.01 non prise en charge"):
        read_statement(path)
