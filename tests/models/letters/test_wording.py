"""Wording that fits the case (models/letters/wording.py): no letter claims a formal notice
that does not exist, a repeated notice says so, the notice lists its enclosures and counts its
delay from receipt, and a penalty statement with nothing to claim is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError
from models.letters.kinds import LETTER_KINDS
from models.store.ledger import Ledger
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)
from tests.sample_company import COMPANY

D = dt.date
AS_OF = D(2025, 9, 15)
NOTICE_CLAIMS = ("depuis notre mise en demeure", "à compter de la présente mise en demeure")


@pytest.fixture
def consumer(ledger: Ledger):
    ledger.set_company(COMPANY)
    cid = ledger.add_client(
        "Mme Lise Roux", "b2c", street="1 rue des Lilas", postal_code="44000", city="Nantes"
    )
    inv = ledger.add_invoice(cid, "FA-1", D(2025, 5, 2), Decimal("900.00"), D(2025, 6, 1))
    return ledger, cid, inv


def text_of(ledger: Ledger, cid, kind: str, inv: int) -> str:
    letter = ledger.letter(cid, kind, AS_OF, [inv])
    return " ".join([letter.title, *letter.paragraphs])


@pytest.mark.parametrize("kind", [k for k in LETTER_KINDS if k != "formal_notice"])
def test_no_b2c_letter_claims_a_notice_that_does_not_exist(consumer, kind):
    ledger, cid, inv = consumer
    if kind == "penalty_statement":  # no notice: no interest, nothing to claim
        with pytest.raises(InputError, match="rien à réclamer"):
            ledger.letter(cid, kind, AS_OF, [inv])
        return
    instalments = [(AS_OF, 90000)] if kind == "payment_plan" else []
    letter = ledger.letter(cid, kind, AS_OF, [inv], instalments=instalments)
    text = " ".join(letter.paragraphs)
    assert not any(claim in text for claim in NOTICE_CLAIMS), kind


def test_first_b2c_notice_starts_interest_itself(consumer):
    ledger, cid, inv = consumer
    text = text_of(ledger, cid, "formal_notice", inv)
    assert "à compter de la présente mise en demeure" in text
    assert "depuis notre mise en demeure" not in text


def test_after_a_notice_b2c_letters_date_the_interest_from_it(consumer):
    ledger, cid, inv = consumer
    ledger.record_letter_sent(
        cid, "formal_notice", [inv], D(2025, 7, 1), registered_number="1A 123 456 7890 1"
    )
    for kind in ("reminder_2", "formal_notice"):
        text = text_of(ledger, cid, kind, inv)
        assert "depuis notre mise en demeure du 1er juillet 2025" in text, kind
        assert "à compter de la présente mise en demeure" not in text, kind
    # A second notice recalls the first rather than claiming none was sent.
    assert "Malgré notre mise en demeure du 1er juillet 2025, restée sans effet" in text_of(
        ledger, cid, "formal_notice", inv
    )
    # C. civ. 1231-6: interest from the day after the later of notice and due date.
    # 900 € from 02/07 to 15/09/2025 = 76 days at 2,76 % (2025-H2 legal rate, "autres cas":
    # the creditor is a business): 900 x 0,0276 x 76 / 365 = 5,172... -> 5,17 €.
    letter = ledger.letter(cid, "penalty_statement", AS_OF, [inv])
    assert letter.total == Decimal("5.17")
    assert "depuis notre mise en demeure du 1er juillet 2025" in " ".join(letter.paragraphs)


def test_notice_lists_its_enclosures_and_counts_from_receipt(ledger):
    ledger.set_company(COMPANY)
    cid = ledger.add_client(
        "Menuiserie Durand", street="7 allée A", postal_code="45160", city="Olivet"
    )
    a = ledger.add_invoice(cid, "F-1", D(2025, 5, 2), Decimal("100.00"), D(2025, 6, 1))
    b = ledger.add_invoice(cid, "F-2", D(2025, 5, 20), Decimal("200.00"), D(2025, 6, 19))
    ledger.record_letter_sent(cid, "reminder_1", [a], D(2025, 6, 10))
    ledger.record_letter_sent(cid, "reminder_2", [a, b], D(2025, 7, 1))
    ledger.record_action(cid, D(2025, 7, 5), "call", invoice_ids=[a])  # a call is not enclosed
    letter = ledger.letter(cid, "formal_notice", AS_OF, [a, b])
    assert letter.enclosures == (
        "Copie de notre facture n° F-1 du 02/05/2025",
        "Copie de notre facture n° F-2 du 20/05/2025",
        "Copie de notre relance du 10/06/2025",
        "Copie de notre deuxième relance du 01/07/2025",
    )
    text = " ".join(letter.paragraphs)
    assert text.startswith("Madame, Monsieur, Malgré nos relances restées sans effet")
    assert "dans un délai de 8 jours à compter de la réception de la présente" in text
    assert letter.deadline is None  # no fixed date: the delay runs from receipt
    # Other letters list no enclosures.
    assert ledger.letter(cid, "reminder_3", AS_OF, [a, b]).enclosures == ()


def test_notice_without_earlier_reminders_says_so(ledger):
    ledger.set_company(COMPANY)
    cid = ledger.add_client("Alpha", street="1 rue A", postal_code="75001", city="Paris")
    inv = ledger.add_invoice(cid, "F-9", D(2025, 5, 2), Decimal("100.00"), D(2025, 6, 1))
    letter = ledger.letter(cid, "formal_notice", AS_OF, [inv])
    assert "Madame, Monsieur, Sauf erreur de notre part" in " ".join(letter.paragraphs)
    assert letter.enclosures == ("Copie de notre facture n° F-9 du 02/05/2025",)
