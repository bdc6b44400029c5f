"""Two people run the day's letters at once on one ledger: each letter is recorded once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from models.errors import StepTakenError
from models.letters.batch import letters_due, not_taken, record_batch
from models.mail.outbox import step_kinds
from models.store.ledger import Ledger
from tests.sample_company import COMPANY

ROOT = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 11, 23)
CLIENTS = 30

BATCH = """
import datetime as dt, json, sys, time
from models.letters.batch import letters_due, record_batch
from models.mail.outbox import step_kinds
from models.store.ledger import Ledger
led = Ledger.open(sys.argv[1], create=False)
led.user = sys.argv[3]
day = dt.date(2026, 11, 23)
requests = letters_due(led.todo(day), step_kinds(led))
while time.time() < float(sys.argv[2]):  # start together
    time.sleep(0.001)
done, refused = record_batch(led, requests, day, "printed", "/lots/lot.pdf")
print(json.dumps({"done": [r.client for r in done], "refused": refused}))
led.close()
"""


def _ledger(path: Path) -> Ledger:
    """CLIENTS clients, one invoice each, 20 days late on DAY (a letter step due)."""
    led = Ledger.open(str(path))
    led.set_company(COMPANY)
    for n in range(1, CLIENTS + 1):
        c = led.add_client(
            f"Client {n:02d}", street="1 rue de la Paix", postal_code="75002", city="Paris"
        )
        led.add_invoice(
            c,
            f"FA-{n:03d}",
            DAY - dt.timedelta(days=50),
            Decimal("100") + n,
            DAY - dt.timedelta(20),
        )
    return led


def _live_steps(led: Ledger) -> dict[tuple[str, str], int]:
    """(invoice number, step) -> how many live history lines record it."""
    out: dict[tuple[str, str], int] = {}
    for c in led.clients():
        for action, numbers in led.history(c.id):
            if action.step and action.cancelled_on is None:
                for number in numbers:
                    out[(number, action.step)] = out.get((number, action.step), 0) + 1
    return out


def test_two_processes_running_the_batch_make_each_letter_once(tmp_path):
    """Issue 18: the check and the record are one transaction: no letter twice."""
    path = tmp_path / "r.sqlite"
    led = _ledger(path)
    expected = letters_due(led.todo(DAY), step_kinds(led))
    assert len(expected) == CLIENTS
    led.close()
    start = str(time.time() + 5.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", BATCH, str(path), start, who],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("Marie", "Paul")
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    results = [json.loads(out) for out, _ in outputs]
    made = [name for r in results for name in r["done"]]
    # Each client's letter made exactly once, by one or the other.
    assert sorted(made) == sorted(r.client for r in expected)
    refused = [line for r in results for line in r["refused"]]
    assert len(refused) == CLIENTS - len(results[0]["done"]) + CLIENTS - len(results[1]["done"])
    assert all("déjà faite" in line for line in refused)
    led = Ledger.open(str(path))
    counts = _live_steps(led)
    assert counts
    assert set(counts.values()) == {1}
    assert len(counts) == CLIENTS
    # Each line says who made it.
    whos = {a.done_by for c in led.clients() for a, _ in led.history(c.id) if a.step}
    assert whos <= {"Marie", "Paul"}
    assert whos
    led.close()


def test_a_letter_made_meanwhile_is_refused_with_who_and_when(tmp_path):
    """The second screen's batch leaves out what the first recorded, saying who did it."""
    path = tmp_path / "r.sqlite"
    first = _ledger(path)
    first.user = "Marie"
    second = Ledger.open(str(path))
    second.user = "Paul"
    requests = letters_due(second.todo(DAY), step_kinds(second))[:2]
    done, refused = record_batch(first, requests[:1], DAY, "printed")
    assert (len(done), refused) == (1, [])
    left, taken = not_taken(second, requests)
    assert left == requests[1:]
    assert "Client 01" in taken[0]
    assert "par Marie" in taken[0]
    assert "23/11/2026" in taken[0]
    with pytest.raises(StepTakenError, match="déjà faite"):
        second.record_letter_steps(
            requests[0].client_id, requests[0].recorded_steps(), DAY, delivery="printed"
        )
    assert set(_live_steps(second).values()) == {1}
    first.close()
    second.close()


def test_an_email_step_made_meanwhile_is_refused_in_the_batch_only(tmp_path):
    """The day's batch (once) refuses a step recorded meanwhile; a resend on purpose is free."""
    led = _ledger(tmp_path / "r.sqlite")
    led.user = "Marie"
    inv = led.find_invoice("FA-001")
    led.record_letter_steps(inv.client_id, [("reminder_1", [inv.id])], DAY, delivery="printed")
    at = dt.datetime(2026, 11, 23, 9, 0).astimezone()
    args = (inv.client_id, "reminder_1", [inv.id], ["a@b.fr"], "Rappel", "<1@x>", at)
    with pytest.raises(StepTakenError, match="par Marie"):
        led.mail_pending(*args, once=True)
    assert led.mails() == []
    assert led.mail_pending(*args) > 0  # the wizard sends it again on purpose
    # A message on its way (pending) for another client: a second batch does not send it too.
    two = led.find_invoice("FA-002")
    led.mail_pending(two.client_id, "reminder_1", [two.id], ["c@d.fr"], "Rappel", "<2@x>", at)
    with pytest.raises(StepTakenError, match="déjà en cours d'envoi"):
        led.mail_pending(
            two.client_id, "reminder_1", [two.id], ["c@d.fr"], "Rappel", "<3@x>", at, once=True
        )
    led.close()
