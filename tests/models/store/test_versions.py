"""Two people on one ledger file (two connections): an edit on a stale copy is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import ConflictError
from models.ids import ClientId, InvoiceId
from models.money import format_eur
from models.store.ledger import Ledger

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def two(tmp_path):
    """Marie's and Paul's ledgers on the same SQLite file, one invoice of 1 000 €."""
    path = str(tmp_path / "r.sqlite")
    marie = Ledger.open(path)
    marie.user = "Marie"
    client = marie.add_client("Boulangerie Martin", email="compta@martin.fr")
    marie.add_invoice(client, "FA-1", dt.date(2026, 1, 5), Decimal("1000"))
    paul = Ledger.open(path)
    paul.user = "Paul"
    yield marie, paul
    marie.close()
    paul.close()


def test_every_change_bumps_the_version_and_says_who(two):
    marie, _paul = two
    inv = marie.find_invoice("FA-1")
    assert inv.version == 1
    marie.update_invoice(InvoiceId(inv.id), subject="Refonte")
    after = marie.invoice(InvoiceId(inv.id))
    assert (after.version, after.changed_by, after.change_note) == (
        2,
        "Marie",
        "champs modifiés : objet",
    )
    marie.record_payment(InvoiceId(inv.id), DAY, Decimal("100"))
    assert marie.invoice(InvoiceId(inv.id)).version == 3


def test_second_edit_of_the_same_invoice_gets_the_conflict_nothing_lost(two):
    marie, paul = two
    seen_by_marie = marie.find_invoice("FA-1")
    seen_by_paul = paul.find_invoice("FA-1")
    marie.update_invoice(
        InvoiceId(seen_by_marie.id),
        on=DAY,
        expected_version=seen_by_marie.version,
        amount_ttc_cents=120000,
    )
    with pytest.raises(ConflictError) as refused:
        paul.update_invoice(
            InvoiceId(seen_by_paul.id),
            on=DAY,
            expected_version=seen_by_paul.version,
            amount_ttc_cents=90000,
            subject="Remise",
        )
    text = str(refused.value)
    assert text.startswith("La facture FA-1 a été modifiée par Marie le ")
    old, new = format_eur(100000, cents=True), format_eur(120000, cents=True)
    assert f"pendant que vous la consultiez : montant TTC {old} → {new}." in text
    assert "Rien n'a été enregistré" in text
    now = paul.invoice(InvoiceId(seen_by_paul.id))
    assert (now.amount_ttc_cents, now.subject, now.version) == (120000, "", 2)
    assert refused.value.version == 2
    # Paul reloads (version 2) and his edit goes through.
    paul.update_invoice(InvoiceId(now.id), expected_version=now.version, subject="Remise")
    assert marie.invoice(InvoiceId(now.id)).subject == "Remise"


def test_the_same_payment_recorded_from_two_stale_screens_is_detected(two):
    marie, paul = two
    inv_marie = marie.find_invoice("FA-1")
    inv_paul = paul.find_invoice("FA-1")
    marie.record_payment(
        InvoiceId(inv_marie.id), DAY, Decimal("1000"), "cheque", expected_version=inv_marie.version
    )
    with pytest.raises(ConflictError) as refused:
        paul.record_payment(
            InvoiceId(inv_paul.id),
            DAY,
            Decimal("1000"),
            "cheque",
            expected_version=inv_paul.version,
        )
    paid = format_eur(100000, cents=True)
    assert f"paiement de {paid} du 02/03/2026 (chèque) enregistré" in str(refused.value)
    assert "par Marie" in str(refused.value)
    assert len(paul.payments(InvoiceId(inv_paul.id))) == 1
    assert paul.balance_cents(InvoiceId(inv_paul.id)) == 0


def test_client_and_contact_edits_on_a_stale_copy_are_refused(two):
    marie, paul = two
    client = paul.find_client("Boulangerie Martin")
    marie.update_client(ClientId(client.id), expected_version=client.version, city="Lyon")
    with pytest.raises(
        ConflictError, match=r"^Le client Boulangerie Martin a été modifié par Marie le "
    ):
        paul.update_client(ClientId(client.id), expected_version=client.version, city="Nantes")
    assert paul.client(ClientId(client.id)).city == "Lyon"
    contact_id = marie.add_contact(ClientId(client.id), "Jeanne")
    seen = paul.contacts(ClientId(client.id))[0]
    marie.update_contact(contact_id, expected_version=seen.version, phone="0102030405")
    with pytest.raises(ConflictError, match="champs modifiés : téléphone"):
        paul.update_contact(contact_id, expected_version=seen.version, phone="0600000000")
    assert paul.contacts(ClientId(client.id))[0].phone == "0102030405"


def test_a_payment_cancelled_meanwhile_cannot_be_corrected_from_the_old_copy(two):
    marie, paul = two
    inv = marie.find_invoice("FA-1")
    pay_id = marie.record_payment(InvoiceId(inv.id), DAY, Decimal("100"))
    stale = paul.payment(pay_id)
    marie.cancel_payment(pay_id, DAY, "saisi deux fois", expected_version=stale.version)
    with pytest.raises(ConflictError, match="paiement annulé"):
        paul.correct_payment(
            pay_id, DAY, "montant", amount=Decimal("90"), expected_version=stale.version
        )
    assert paul.balance_cents(InvoiceId(inv.id)) == 100000


def test_history_lines_say_who_recorded_them(two):
    marie, paul = two
    inv = marie.find_invoice("FA-1")
    paul.record_action(ClientId(inv.client_id), DAY, "call", invoice_ids=[inv.id], notes="Absent")
    ((action, _),) = marie.history(ClientId(inv.client_id))
    assert action.done_by == "Paul"
    assert action.created_at is not None


def test_the_change_counter_tells_a_ledger_about_the_others_writes_only(two):
    marie, paul = two
    assert marie.others_changed() is False
    marie.add_client("Chez Marie")
    assert marie.others_changed() is False  # its own write
    paul.add_client("Chez Paul")
    assert marie.others_changed() is True
    assert marie.others_changed() is False
    # Paul writes, then Marie: her own write must not hide Paul's.
    paul.add_client("Encore Paul")
    marie.add_client("Encore Marie")
    assert marie.others_changed() is True
