"""Bank statements into the ledger: the sure payments recorded once, the others waiting."""

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest

from models.bank.read import read_statement
from models.errors import InputError
from models.litigation.case import claim_file
from models.store.codes import BANK_APPLIED, BANK_NOT_OURS, BANK_TO_RECONCILE
from models.store.ledger import Ledger
from tests.models.bank.statements import LATER, MOVES, bank_csv, camt053, fill_ledger, ofx

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def ids(ledger):
    return fill_ledger(ledger)


def statement(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return read_statement(path)


def proposals(result):
    """Each credit's proposals: (confidence, [(invoice, cents)], excess, reason)."""
    return [
        [
            (p.confidence, [(a.number, a.cents) for a in p.allocations], p.excess_cents, p.reason)
            for p in line.match.proposals
        ]
        for line in result.lines
    ]


def test_apply_records_the_two_certain_credits_and_keeps_the_others(ledger, ids, tmp_path):
    result = ledger.bank_import(statement(tmp_path, "mars.xml", camt053(MOVES)), TODAY)
    assert (len(result.lines), result.debits, result.recorded, result.to_reconcile) == (5, 1, 2, 3)
    assert [line.status for line in result.lines] == [
        BANK_APPLIED,
        BANK_APPLIED,
        BANK_TO_RECONCILE,
        BANK_TO_RECONCILE,
        BANK_TO_RECONCILE,
    ]
    assert ledger.balance_cents(ids["F2026-01"]) == 0
    assert ledger.balance_cents(ids["F2026-010"]) == 0
    (pay,) = ledger.payments(ids["F2026-010"])
    assert (pay.date, pay.amount_cents, pay.reference) == (dt.date(2026, 3, 3), 30000, "E2E-42")
    # The others are proposed with their reasons, and nothing is paid on them.
    kasba, lumen, unknown = proposals(result)[2:]
    assert kasba[0][:2] == ("likely", [("F2026-021", 25000), ("F2026-022", 40000)])
    assert "montant exact du solde des factures F2026-021, F2026-022" in kasba[0][3]
    assert lumen[0][:2] == ("possible", [("F2026-030", 120000)])
    assert "paiement partiel" in lumen[0][3]
    assert unknown == []
    assert ledger.counts()["payments"] == 2
    # The payment keeps its link: the entry, and a history line naming the statement.
    entry = next(e for e in ledger.bank_entries(BANK_APPLIED) if e.bank_reference == "R002")
    assert ledger.bank_entry_payments(entry.id) == [pay.id]
    history = ledger.history(ids["dupont"])
    line = next(a for a, numbers in history if a.id == entry.action_id)
    assert line.date == dt.date(2026, 3, 3)
    assert "relevé CAMT.053 mars.xml, réf. banque R002" in line.notes
    assert "imputé sur F2026-010 300,00\u00a0€" in line.notes


def test_the_same_statement_again_records_nothing(ledger, ids, tmp_path):
    data = camt053(MOVES)
    ledger.bank_import(statement(tmp_path, "a.xml", data), TODAY)
    before = ledger.counts()
    again = ledger.bank_import(statement(tmp_path, "b.xml", data), TODAY)
    assert (again.known, again.new, again.recorded) == (5, 0, 0)
    assert [line.status for line in again.lines][:2] == [BANK_APPLIED, BANK_APPLIED]
    assert ledger.counts() == before
    assert len(ledger.bank_entries()) == 5


@pytest.mark.parametrize("refs", [True, False], ids=["bank-references", "hashes"])
def test_an_overlapping_statement_records_only_its_new_entries(ledger, ids, tmp_path, refs):
    ledger.bank_import(statement(tmp_path, "a.xml", camt053(MOVES, refs=refs)), TODAY)
    later = ledger.bank_import(statement(tmp_path, "b.xml", camt053(LATER, refs=refs)), TODAY)
    assert (later.known, later.new, later.recorded) == (2, 1, 1)
    assert ledger.balance_cents(ids["F2026-020"]) == 0
    assert len(ledger.bank_entries()) == 6


def test_the_same_credits_in_ofx_and_csv_give_the_same_proposals(ledger, ids, tmp_path):
    camt = ledger.bank_preview(statement(tmp_path, "r.xml", camt053(MOVES, "08")))
    for name, data in [
        ("r1.ofx", ofx(MOVES, 1)),
        ("r2.ofx", ofx(MOVES, 2)),
        ("r.csv", bank_csv(MOVES)),
        ("s.csv", bank_csv(MOVES, signed=True)),
    ]:
        other = ledger.bank_preview(statement(tmp_path, name, data))
        assert proposals(other) == proposals(camt), name
        assert other.debits == 1
    assert ledger.counts()["payments"] == 0  # a preview writes nothing
    assert ledger.bank_entries() == []


def test_two_credits_naming_one_invoice_pay_it_once(ledger, ids, tmp_path):
    twice = [MOVES[0], MOVES[0].__class__(**{**MOVES[0].__dict__, "ref": "R009"})]
    result = ledger.bank_import(statement(tmp_path, "x.xml", camt053(twice)), TODAY)
    assert [line.status for line in result.lines] == [BANK_APPLIED, BANK_TO_RECONCILE]
    assert ledger.balance_cents(ids["F2026-01"]) == 0


def test_without_apply_the_credits_wait(ledger, ids, tmp_path):
    result = ledger.bank_import(statement(tmp_path, "a.xml", camt053(MOVES)), TODAY, apply=False)
    assert result.recorded == 0
    assert len(ledger.bank_entries(BANK_TO_RECONCILE)) == 5


def test_reconcile_by_hand_and_not_ours(ledger, ids, tmp_path):
    ledger.bank_import(statement(tmp_path, "a.xml", camt053(MOVES)), TODAY)
    pending = ledger.bank_pending()
    assert [row.amount_cents for row, _ in pending] == [65000, 120000, 9900]
    kasba, match = pending[0]
    assert match.proposals[0].numbers == ["F2026-021", "F2026-022"]
    made = ledger.reconcile_bank_entry(kasba.id, match.proposals[0].invoice_ids, TODAY)
    assert len(made) == 2
    assert ledger.balance_cents(ids["F2026-021"]) == 0
    assert ledger.balance_cents(ids["F2026-022"]) == 0
    # More than the chosen invoice's balance: the rest is kept to the client's credit.
    lumen = pending[1][0]
    ledger.reconcile_bank_entry(lumen.id, [ids["F2026-031"]], TODAY)
    assert ledger.balance_cents(ids["F2026-031"]) == 0
    assert ledger.credit_cents(ids["lumen"]) == 20000
    unknown = pending[2][0]
    ledger.dismiss_bank_entry(unknown.id, TODAY, "remboursement d'un fournisseur")
    assert len(ledger.bank_pending()) == 0
    (gone,) = ledger.bank_entries(BANK_NOT_OURS)
    assert gone.note == "remboursement d'un fournisseur"
    with pytest.raises(InputError, match="déjà enregistré"):
        ledger.reconcile_bank_entry(kasba.id, [ids["F2026-020"]], TODAY)
    with pytest.raises(InputError, match="pas pour nous"):
        ledger.dismiss_bank_entry(unknown.id, TODAY)


def test_reconcile_refuses_two_clients_and_settled_invoices(ledger, ids, tmp_path):
    ledger.bank_import(statement(tmp_path, "a.xml", camt053(MOVES)), TODAY)
    row, _ = ledger.bank_pending()[0]
    with pytest.raises(InputError, match="d'un même client"):
        ledger.reconcile_bank_entry(row.id, [ids["F2026-020"], ids["F2026-030"]], TODAY)
    with pytest.raises(InputError, match="déjà soldée"):
        ledger.reconcile_bank_entry(row.id, [ids["F2026-01"]], TODAY)
    with pytest.raises(InputError, match="au moins une facture"):
        ledger.reconcile_bank_entry(row.id, [], TODAY)
    assert ledger.counts()["payments"] == 2


def test_the_payment_line_appears_in_the_dossier_chronology(ledger, ids, tmp_path):
    lumen = ids["lumen"]
    ledger.bank_import(statement(tmp_path, "a.xml", camt053(MOVES)), TODAY)
    row = next(r for r, _ in ledger.bank_pending() if r.debtor == "AGENCE LUMEN SARL")
    ledger.reconcile_bank_entry(row.id, [ids["F2026-030"]], TODAY)
    claim = claim_file(ledger, lumen, TODAY)
    (entry,) = [e for e in claim.chronology if "Paiement reçu" in e.detail]
    assert entry.date == dt.date(2026, 3, 6)
    assert entry.invoices == ("F2026-030",)
    assert "virement de 1\u00a0200,00\u00a0€ du 06/03/2026 de AGENCE LUMEN SARL" in entry.detail
    assert ledger.balance_cents(ids["F2026-030"]) == 80000


def test_our_letters_reference_in_the_text_pays_that_letters_invoices(ledger, ids, tmp_path):
    from models.bank.read import read_statement as read
    from tests.models.bank.statements import Move

    kasba = ids["kasba"]
    letter_day = dt.date(2026, 2, 20)
    ledger.record_letter_sent(kasba, "reminder_2", [ids["F2026-021"], ids["F2026-022"]], letter_day)
    move = Move(dt.date(2026, 3, 2), Decimal("650.00"), "KSB", f"REL-{kasba}-20260220", "R1")
    path = tmp_path / "rel.xml"
    path.write_bytes(camt053([move]))
    result = ledger.bank_import(read(path), TODAY)
    (line,) = result.lines
    assert line.payment_ids
    proposal = line.match.certain
    assert proposal.numbers == ["F2026-021", "F2026-022"]
    assert f"référence REL-{kasba}-20260220 de notre courrier du 20/02/2026" in proposal.reason


def test_the_migration_adds_the_tables_once(tmp_path):
    from models.store import db

    path = tmp_path / "old.sqlite"
    ledger = Ledger.open(str(path))
    ledger.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE bank_entry_payment")
        conn.execute("DROP TABLE bank_entry")
        conn.execute("UPDATE alembic_version SET version_num = '0010'")
    conn.close()
    for _ in range(2):  # upgraded, then the stamp set back again: run twice, safely
        ledger = Ledger.open(str(path))
        assert db.current_revision(ledger.engine) == db.head_revision(ledger.engine)
        assert ledger.bank_entries() == []
        ledger.close()
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE alembic_version SET version_num = '0010'")
        conn.close()


def test_a_bank_payment_cancelled_puts_its_credit_back_to_reconcile(ledger, ids, tmp_path):
    ledger.bank_import(statement(tmp_path, "a.xml", camt053(MOVES)), TODAY)
    entry = next(e for e in ledger.bank_entries(BANK_APPLIED) if e.bank_reference == "R002")
    (payment_id,) = ledger.bank_entry_payments(entry.id)
    # Corrected (another date): the replacement is linked, the credit stays recorded.
    new_id = ledger.correct_payment(payment_id, TODAY, "date", date=dt.date(2026, 3, 4))
    assert ledger.bank_entry_payments(entry.id) == [payment_id, new_id]
    assert entry.id in {e.id for e in ledger.bank_entries(BANK_APPLIED)}
    # Cancelled: its money is on no invoice any more, so it waits again.
    ledger.cancel_payment(new_id, TODAY, "mauvaise facture")
    (back,) = [e for e in ledger.bank_entries(BANK_TO_RECONCILE) if e.id == entry.id]
    assert back.note == "paiement annulé le 15/03/2026 : mauvaise facture"
    assert any(row.id == entry.id for row, _ in ledger.bank_pending())
    # Undone (the payment put back): recorded again, nothing to reconcile twice.
    again = ledger.reinstate_payment(new_id, TODAY, "annulation annulée")
    assert again in ledger.bank_entry_payments(entry.id)
    assert entry.id in {e.id for e in ledger.bank_entries(BANK_APPLIED)}
    assert ledger.balance_cents(ids["F2026-010"]) == 0
