"""Two machines run `send-due` at once on one ledger: each message goes out once (issue 18)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from models.store.ledger import Ledger
from tests.mail_server import COMPANY, account, add_clients, smtp_server

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date.today()  # messages are recorded on the day they leave
CLIENTS = 12

__all__ = ["smtp_server"]  # the fixture, imported for this module


def test_two_send_due_at_once_send_each_message_once(tmp_path, smtp_server):
    server = smtp_server()
    path = tmp_path / "relance.sqlite"
    led = Ledger.open(str(path))
    led.set_company(COMPANY)
    led.set_mail_account(account(server.port))
    numbers = add_clients(led, CLIENTS, day=DAY)
    led.close()
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "RELANCE_SMTP_PASSWORD": "-",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "main.py", "--db", str(path), "send-due"],
            cwd=ROOT,
            env=env | {"RELANCE_USER": who},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("Marie", "Paul")
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    summaries = [json.loads(out) for out, _ in outputs]
    sent = sum(s["counts"].get("sent", 0) for s in summaries)
    # Each step went out exactly once, whichever machine sent it.
    assert sent == CLIENTS
    assert len(server.inbox.messages) == CLIENTS
    recipients = sorted(m["To"].addresses[0].addr_spec for m in server.inbox.messages)
    assert recipients == sorted(f"compta{n}@client{n}.fr" for n in range(1, CLIENTS + 1))
    for s in summaries:
        for m in s["messages"]:
            assert m["status"] in ("sent", "taken", "unknown"), m
    led = Ledger.open(str(path))
    lines = [
        (a, nums)
        for c in led.clients()
        for a, nums in led.history(c.id)
        if a.step == "reminder_1" and a.cancelled_on is None
    ]
    assert sorted(n for _, nums in lines for n in nums) == sorted(numbers)
    assert {a.done_by for a, _ in lines} <= {"Marie", "Paul"}
    assert len(led.mails(status="sent")) == CLIENTS
    led.close()
