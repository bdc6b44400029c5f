"""The Ledger's writes: validation refuses bad input and writes nothing; history; to-do."""

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError, NotFoundError
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

D = dt.date


@pytest.fixture
def client(ledger):
    return ledger.add_client(
        "Cabinet Aubry",
        siren="732829320",
        postal_code="75011",
        city="Paris",
        street="12 rue Oberkampf",
    )


def test_invoice_without_due_date_gets_30_days(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"))
    assert ledger.invoice(inv).due_date == D(2026, 2, 4)
    assert ledger.invoice(inv).due_date_given is False


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount_ttc": Decimal("-5")}, "montant TTC"),
        ({"due_date": D(2026, 1, 1)}, "échéance"),
        ({"number": "  "}, "numéro"),
        ({"deposit": Decimal("2000")}, "acompte"),
    ],
)
def test_bad_invoice_refused_nothing_written(ledger, client, kwargs, field):
    args = {"number": "FA-1", "issue_date": D(2026, 1, 5), "amount_ttc": Decimal("1200.00")}
    with pytest.raises(InputError) as err:
        ledger.add_invoice(client, **(args | kwargs))
    assert err.value.errors[0].field == field
    assert ledger.counts()["invoices"] == 0


def test_duplicate_number_refused(ledger, client):
    ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("10"))
    with pytest.raises(InputError, match="FA-1 existe déjà"):
        ledger.add_invoice(client, "FA-1", D(2026, 1, 6), Decimal("20"))
    assert ledger.counts()["invoices"] == 1


def test_bad_siret_and_email_refused(ledger):
    with pytest.raises(InputError) as err:
        ledger.add_client("X", siret="12345678901234", email="pas-une-adresse")
    assert {e.field for e in err.value.errors} == {"SIRET", "e-mail"}
    assert ledger.counts()["clients"] == 0
    ledger.add_client("Y", siret="73282932000074")  # a valid SIRET


def test_payment_moves_the_stage(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    assert ledger.stages(D(2026, 3, 1))[0].stage == "overdue"
    with pytest.raises(InputError, match="positif"):
        ledger.record_payment(inv, D(2026, 3, 1), Decimal("0"))
    ledger.record_payment(inv, D(2026, 3, 1), Decimal("200.00"), "cheque", "CHQ 123")
    row = ledger.stages(D(2026, 3, 1))[0]
    assert (row.stage, row.balance_cents, row.days_late) == ("overdue", 100000, 25)
    ledger.record_payment(inv, D(2026, 3, 2), Decimal("1000.00"))
    assert ledger.stages(D(2026, 3, 2))[0].stage == "paid"


def test_reminder_recorded_moves_stage_and_history(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    ledger.record_action(
        client,
        D(2026, 2, 11),
        "email",
        invoice_ids=[inv],
        step="reminder_1",
        channel="email",
        notes="Relance 1 envoyée",
    )
    assert ledger.stages(D(2026, 2, 12))[0].stage == "reminder_1"
    ((action, numbers),) = ledger.history(client)
    assert (action.kind, numbers) == ("email", ["FA-1"])


def test_promise_in_history_and_in_todo_on_its_date(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    ledger.record_action(
        client,
        D(2026, 2, 6),
        "promise",
        invoice_ids=[inv],
        channel="call",
        outcome="Promesse",
        promise_date=D(2026, 2, 20),
        promise_amount=Decimal("1200.00"),
    )
    assert [t.step for t in ledger.todo(D(2026, 2, 19))] == []
    todo = ledger.todo(D(2026, 2, 20))
    assert [(t.on, t.action, t.step, t.invoices) for t in todo] == [
        (D(2026, 2, 20), "call", "promise", ["FA-1"])
    ]
    with pytest.raises(InputError, match="précède"):
        ledger.record_action(client, D(2026, 2, 6), "promise", promise_date=D(2026, 2, 1))


def test_todo_groups_a_clients_invoices(ledger, client):
    ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("100"), D(2026, 2, 4))
    ledger.add_invoice(client, "FA-2", D(2026, 1, 7), Decimal("200"), D(2026, 2, 6))
    other = ledger.add_client("Mme Claire Fontaine", kind="b2c")
    ledger.add_invoice(other, "FA-3", D(2026, 1, 7), Decimal("90"), D(2026, 2, 6))
    todo = ledger.todo(D(2026, 2, 13))
    assert [(t.client, t.action, t.on, t.invoices) for t in todo] == [
        ("Cabinet Aubry", "reminder_1", D(2026, 2, 11), ["FA-1", "FA-2"]),
        ("Mme Claire Fontaine", "reminder_1", D(2026, 2, 13), ["FA-3"]),
    ]


def test_plan_must_add_up_and_then_holds_the_stage(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    with pytest.raises(InputError, match="diffère du montant de l'accord"):
        ledger.create_plan(client, [inv], D(2026, 3, 1), [(D(2026, 3, 15), Decimal("100"))])
    assert ledger.counts()["actions"] == 0
    ledger.create_plan(
        client,
        [inv],
        D(2026, 3, 1),
        [(D(2026, 3, 15), Decimal("600")), (D(2026, 4, 15), Decimal("600"))],
        waive_penalties=True,
    )
    assert ledger.stages(D(2026, 3, 10))[0].stage == "payment_plan"
    assert [t.step for t in ledger.todo(D(2026, 3, 15))] == ["instalment"]
    assert ledger.stages(D(2026, 3, 21))[0].stage == "overdue"  # missed, back to overdue


def test_dispute_and_write_off_need_a_reason(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    with pytest.raises(InputError, match="motif"):
        ledger.mark_disputed(inv, D(2026, 2, 10), " ")
    ledger.mark_disputed(inv, D(2026, 2, 10), "Prestation contestée")
    assert ledger.stages(D(2026, 2, 10))[0].stage == "disputed"
    ledger.resolve_dispute(inv, D(2026, 3, 1))
    assert ledger.stages(D(2026, 3, 1))[0].stage == "overdue"
    ledger.write_off(inv, D(2026, 9, 1), "Client introuvable")
    assert ledger.stages(D(2026, 9, 1))[0].stage == "written_off"


def test_pause_client_until_a_date(ledger, client):
    ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    with pytest.raises(InputError, match="motif"):
        ledger.pause(D(2026, 3, 31), "", client_id=client)
    ledger.pause(D(2026, 3, 31), "Attente du paiement de leur propre client", client_id=client)
    assert ledger.todo(D(2026, 3, 15)) == []
    assert ledger.todo(D(2026, 4, 1))[0].step == "reminder_1"


def test_client_policy_overrides_default(ledger, client):
    from dataclasses import replace

    from models.law.policy import DEFAULT_POLICY

    quick = replace(
        DEFAULT_POLICY,
        name="Rapide",
        steps=tuple(
            replace(s, offset_days=s.offset_days - 5)
            if s.reference == "due" and s.offset_days > 1
            else s
            for s in DEFAULT_POLICY.steps
        ),
    )
    ledger.set_policy(quick, "Rapide")
    ledger.update_client(client, policy_name="Rapide")
    ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    other = ledger.add_client("Studio Kasba")
    ledger.add_invoice(other, "FA-2", D(2026, 1, 5), Decimal("500.00"), D(2026, 2, 4))
    # Reminder 1 at due + 2 for the client with the quick policy, due + 7 for the other.
    assert [(t.client, t.step, t.on) for t in ledger.todo(D(2026, 2, 6))] == [
        ("Studio Kasba", "courtesy_call", D(2026, 2, 5)),
        ("Cabinet Aubry", "reminder_1", D(2026, 2, 6)),
    ]


def test_delete_with_history_refused_archive_instead(ledger, client):
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"))
    ledger.record_payment(inv, D(2026, 1, 20), Decimal("100"))
    with pytest.raises(InputError, match="archivez"):
        ledger.delete_invoice(inv)
    ledger.archive_invoice(inv)
    assert ledger.stages(D(2026, 3, 1)) == []
    assert ledger.counts()["invoices"] == 1


def test_unknown_invoice(ledger):
    with pytest.raises(NotFoundError, match="facture inconnue : NOPE"):
        ledger.interest("NOPE", D(2026, 1, 1))


def test_settings_validated(ledger):
    with pytest.raises(InputError, match="entre 0 et 60"):
        ledger.set_setting("payment_terms_days", 90)
    with pytest.raises(InputError, match="inconnu"):
        ledger.set_setting("nope", 1)
    ledger.set_setting("contractual_penalty_rate", "15")
    assert ledger.contractual_rate() == Decimal("15")


def test_a_plan_with_penalties_covers_exactly_what_its_letter_states(ledger, client):
    # 1 200,00 € due 04/02/2026, plan agreed 01/03/2026: 25 days late (05/02 to 01/03).
    # C. com. L441-10 II, 2026-H1 default rate 12,15 % (ECB 2,15 + 10):
    # 1 200 x 0,1215 x 25 / 365 = 9,986... -> 9,99 € ; + 40 € (D441-5) -> 1 249,99 €.
    inv = ledger.add_invoice(client, "FA-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    statement = ledger.statement(client, "payment_plan", D(2026, 3, 1), [inv])
    assert (statement.principal, statement.penalties, statement.indemnity) == (
        Decimal("1200.00"),
        Decimal("9.99"),
        Decimal("40.00"),
    )
    assert statement.total == Decimal("1249.99")
    with pytest.raises(InputError, match="diffère du montant de l'accord"):
        ledger.create_plan(client, [inv], D(2026, 3, 1), [(D(2026, 3, 15), Decimal("1200"))])
    ledger.create_plan(
        client,
        [inv],
        D(2026, 3, 1),
        [(D(2026, 3, 15), Decimal("625")), (D(2026, 4, 15), Decimal("624.99"))],
    )
    assert ledger.stages(D(2026, 3, 10))[0].stage == "payment_plan"
    # A missed instalment is in the to-do from the day after it fell due (and on the day).
    assert [(t.step, t.on) for t in ledger.todo(D(2026, 3, 16))] == [("instalment", D(2026, 3, 15))]


def test_empty_counts_and_names_of_others_read_without_the_orm(ledger):
    """What the window asks as it opens (plain queries): empty or not, the counts, whether
    someone else wrote history (issue 18: then it asks who works here)."""
    assert ledger.is_empty()
    assert ledger.counts() == {"clients": 0, "invoices": 0, "payments": 0, "actions": 0}
    client = ledger.add_client("Durand SARL")
    assert not ledger.is_empty()  # a client alone: not the first run any more
    number = ledger.add_invoice(client, "F-1", dt.date(2026, 1, 5), Decimal(100))
    ledger.record_payment(number, dt.date(2026, 1, 20), Decimal(40), "transfer")
    assert ledger.written_by_others("Paul") is False
    ledger.user = "Marie"
    ledger.record_action(client, dt.date(2026, 2, 1), "call", invoice_ids=[number])
    assert ledger.counts() == {"clients": 1, "invoices": 1, "payments": 1, "actions": 1}
    assert ledger.written_by_others("Marie") is False
    assert ledger.written_by_others("Paul") is True
