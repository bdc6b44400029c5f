"""The shared-office locks on a PostgreSQL server (issue 18): they run once the test server
fixture `pg_url` exists (tests/pg.py); without it they are skipped, saying why."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from sqlalchemy import text

from models.errors import ConflictError, StepTakenError
from models.ids import InvoiceId
from models.letters.batch import LetterRequest, record_batch
from models.store import changes
from models.store.ledger import Ledger
from tests.sample_company import COMPANY

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def server_url(request: pytest.FixtureRequest) -> str:
    """An empty PostgreSQL database's URL from the `pg_url` fixture, else the test is skipped."""
    try:
        return str(request.getfixturevalue("pg_url"))
    except pytest.FixtureLookupError:
        pytest.skip("pas de serveur PostgreSQL de test (fixture pg_url absente)")


def test_stale_edit_is_refused_on_the_server(server_url):
    marie, paul = Ledger.open(server_url), Ledger.open(server_url)
    marie.user, paul.user = "Marie", "Paul"
    c = marie.add_client("Boulangerie Martin")
    inv = InvoiceId(marie.add_invoice(c, "FA-1", dt.date(2026, 1, 5), Decimal("1000")))
    seen = paul.invoice(inv)
    marie.record_payment(inv, DAY, Decimal("1000"), expected_version=seen.version)
    with pytest.raises(ConflictError, match="par Marie"):
        paul.record_payment(inv, DAY, Decimal("1000"), expected_version=seen.version)
    assert len(paul.payments(inv)) == 1
    assert paul.others_changed() is True
    marie.close()
    paul.close()


def test_two_batches_at_once_on_the_server_make_each_letter_once(server_url):
    led = Ledger.open(server_url)
    led.set_company(COMPANY)
    requests = []
    for n in range(1, 21):
        c = led.add_client(f"Client {n:02d}", street="1 rue", postal_code="75002", city="Paris")
        number = f"FA-{n:03d}"
        inv = led.add_invoice(
            c, number, DAY - dt.timedelta(50), Decimal(100), DAY - dt.timedelta(20)
        )
        requests.append(LetterRequest(c, f"Client {n:02d}", "reminder_2", (inv,), (number,), DAY))
    results: list[tuple[list[object], list[str]]] = []
    barrier = threading.Barrier(2)

    def run(who: str) -> None:
        mine = Ledger.open(server_url)
        mine.user = who
        barrier.wait()
        results.append(record_batch(mine, requests, DAY, "printed"))
        mine.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in ("Marie", "Paul")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    made = [r.client for done, _ in results for r in done]
    assert sorted(made) == sorted(r.client for r in requests)  # each letter once
    assert sum(len(refused) for _, refused in results) == len(requests)
    with pytest.raises(StepTakenError):
        led.record_letter_steps(requests[0].client_id, requests[0].recorded_steps(), DAY)
    led.close()


def test_the_advisory_lock_is_held_until_the_transaction_ends(server_url):
    led = Ledger.open(server_url)
    with led.engine.connect() as first, first.begin():
        changes.lock_client_steps(first, 7)
        with led.engine.connect() as second:
            got = second.execute(
                text("SELECT pg_try_advisory_xact_lock(:a, 7)"), {"a": changes.STEP_LOCK}
            )
            assert got.scalar() is False
    with led.engine.connect() as third, third.begin():
        got = third.execute(
            text("SELECT pg_try_advisory_xact_lock(:a, 7)"), {"a": changes.STEP_LOCK}
        )
        assert got.scalar() is True
    led.close()


def test_on_the_server_history_lines_carry_the_database_role(server_url, monkeypatch):
    monkeypatch.delenv("RELANCE_USER", raising=False)
    led = Ledger.open(server_url)
    with led.engine.connect() as conn:
        role = conn.execute(text("SELECT current_user")).scalar()
    c = led.add_client("Boulangerie Martin")
    led.record_action(c, DAY, "call", notes="absent")
    ((action, _),) = led.history(c)
    assert action.done_by == role == led.user
    led.close()
