"""What the history records for each way a letter left (models/letters/delivery.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError
from models.letters.delivery import Record, missing_for, postal_gaps, record_for

DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("kind", "delivery", "number", "expected"),
    [
        # A PDF produced says "préparée" and has no channel yet (not "e-mail", issue 10).
        ("reminder_1", "pdf", "", Record("letter", "", "Lettre préparée (PDF)", "Relance 1")),
        ("reminder_2", "printed", "", Record("letter", "letter", "Lettre imprimée", "Relance 2")),
        (
            "reminder_1",
            "email_draft",
            "",
            Record("email", "email", "Brouillon d'e-mail ouvert (envoi non confirmé)", "Relance 1"),
        ),
        (
            "preventive",
            "email_sent",
            "",
            Record("email", "email", "Envoyée par e-mail", "Rappel préventif"),
        ),
        # "Envoyée en recommandé" only with the LRAR number.
        (
            "formal_notice",
            "printed",
            "1A 123 456 7890 1",
            Record(
                "formal_notice",
                "registered_letter",
                "Envoyée en recommandé (LRAR)",
                "Mise en demeure",
            ),
        ),
        (
            "formal_notice",
            "printed",
            "",
            Record("formal_notice", "letter", "Lettre imprimée", "Mise en demeure"),
        ),
        (
            "formal_notice",
            "sent",
            "",
            Record("formal_notice", "letter", "", "Mise en demeure envoyée (LRAR)"),
        ),
        ("reminder_2", "sent", "", Record("letter", "letter", "", "Relance 2 envoyée")),
    ],
)
def test_each_delivery_records_what_happened(kind, delivery, number, expected) -> None:
    assert record_for(kind, delivery, number) == expected


def test_unknown_delivery_is_refused() -> None:
    with pytest.raises(InputError, match="mode d'envoi inconnu « fax »"):
        record_for("reminder_1", "fax")


def test_ledger_records_the_delivery(ledger) -> None:
    client = ledger.add_client("Studio Kasba", street="1 rue A", postal_code="75001", city="Paris")
    inv = ledger.add_invoice(client, "F-1", dt.date(2026, 9, 1), Decimal(100), dt.date(2026, 10, 1))
    ledger.record_letter_sent(client, "reminder_1", [inv], DAY, delivery="pdf")
    ((action, numbers),) = ledger.history(client)
    assert (action.kind, action.channel, action.outcome, action.step, numbers) == (
        "letter",
        "",
        "Lettre préparée (PDF)",
        "reminder_1",
        ["F-1"],
    )
    assert {r.invoice: r.stage for r in ledger.stages(DAY)}["F-1"] == "reminder_1"


def test_postal_gaps() -> None:
    assert postal_gaps("1 rue A", "", "75001", "Paris", "") == []
    assert postal_gaps("", "BP 12", "75001", "Paris", "") == []
    assert postal_gaps("", "", "", "", "") == ["rue (ou boîte postale)", "code postal", "ville"]
    assert postal_gaps("Rue 1", "", "", "Genève", "Suisse") == []  # abroad: no French code
    assert missing_for("letter", ["ville"], True) == "adresse postale incomplète (ville)"
    assert missing_for("email", ["ville"], False) == "pas d'adresse e-mail"
    assert missing_for("email", [], True) == missing_for("call", ["ville"], False) == ""
