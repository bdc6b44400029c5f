"""`main.py settings set email`, `email INVOICE --kind`, `send-due`: JSON, exit 2 on bad input."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import main
from models.store.ledger import Ledger
from tests.mail_server import COMPANY, account, add_clients, smtp_server

# Messages are sent and recorded today (the server's clock): the steps fall due today.
DAY = dt.date.today()

__all__ = ["smtp_server"]  # the fixture, imported for this module


@pytest.fixture
def db(tmp_path):
    """A database file with the company and three clients at reminder 1."""
    path = tmp_path / "relance.sqlite"
    ledger = Ledger.open(str(path))
    ledger.set_company(COMPANY)
    add_clients(ledger, 3, day=DAY)
    ledger.close()
    return str(path)


def run(capsys, *args):
    """Run the CLI on DAY; (exit status, stdout, stderr)."""
    code = main.run(list(args), today=DAY)
    out, err = capsys.readouterr()
    return code, out, err


def test_account_set_then_send_due_json_summary_and_nothing_twice(db, capsys, smtp_server):
    """Issue 15 item 7: the account by `settings set email`, then send-due sends once."""
    server = smtp_server()
    code, _out, err = run(
        capsys, "--db", db, "settings", "set", "email", json.dumps(account(server.port))
    )
    assert (code, err) == (0, "")
    code, out, _err = run(capsys, "--db", db, "send-due", "--dry-run")
    assert code == 0
    dry = json.loads(out)
    assert [d["status"] for d in dry] == ["dry_run"] * 3
    assert dry[0]["attachment"] == "Relance-FA-2026-0001.pdf"
    assert server.inbox.messages == []  # a dry run sends nothing
    code, out, _err = run(capsys, "--db", db, "send-due")
    assert code == 0
    summary = json.loads(out)
    assert summary["counts"] == {"sent": 3}
    assert summary["messages"][0]["message_id"] == server.inbox.messages[0]["Message-ID"]
    code, out, _err = run(capsys, "--db", db, "send-due")
    assert (code, json.loads(out)["counts"]) == (0, {})
    assert len(server.inbox.messages) == 3


def test_email_one_invoice_to_a_given_address(db, capsys, smtp_server):
    """Issue 15 item 7: `email INVOICE --kind reminder_1 --to ADDR` sends and records."""
    server = smtp_server()
    run(capsys, "--db", db, "settings", "set", "email", json.dumps(account(server.port)))
    code, out, _err = run(
        capsys, "--db", db, "email", "FA-2026-0002", "--kind", "reminder_1", "--to", "moi@ici.fr"
    )
    assert code == 0, out
    assert json.loads(out)["counts"] == {"sent": 1}
    (msg,) = server.inbox.messages
    assert msg["To"].addresses[0].addr_spec == "moi@ici.fr"
    ledger = Ledger.open(db)
    (row,) = ledger.mails()
    assert row.recipients == "moi@ici.fr"
    ledger.close()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            (
                "settings",
                "set",
                "email",
                '{"host": "smtp.ovh.net", "port": 25, "security": "none", "sender": "a@b.fr"}',
            ),
            "seul un serveur sur cet ordinateur",
        ),
        (
            (
                "settings",
                "set",
                "email",
                '{"host": "127.0.0.1", "port": 25, "security": "none", '
                '"sender": "a@b.fr", "password": "x"}',
            ),
            "jamais enregistré dans la base",
        ),
        (("email", "FA-2026-0001", "--kind", "reminder_1"), "aucun compte d'envoi"),
        (
            ("email", "FA-2026-0001", "--kind", "reminder_1", "--to", "pas-une-adresse"),
            "n'est pas une adresse e-mail valide",
        ),
        (("email", "FA-9999", "--kind", "reminder_1"), "FA-9999"),
        (
            ("email", "FA-2026-0001", "--kind", "penalty_statement"),
            "choix invalide « penalty_statement »",
        ),
    ],
)
def test_bad_input_exit_2_one_french_line(db, capsys, args, said):
    """Issue 15 item 7: bad input is one line on stderr and exit status 2, nothing sent."""
    code, _out, err = run(capsys, "--db", db, *args)
    assert code == 2
    assert said in err
    assert err.count("\n") == 1


def test_email_kind_promise_confirms_the_last_promise_noted(db, capsys, smtp_server):
    """`email INVOICE --kind promise`: the latest promise of the history, no PDF; refused
    in French when no promise was noted."""
    server = smtp_server()
    run(capsys, "--db", db, "settings", "set", "email", json.dumps(account(server.port)))
    code, _out, err = run(capsys, "--db", db, "email", "FA-2026-0001", "--kind", "promise")
    assert code == 2
    assert "aucune promesse de paiement notée pour la facture FA-2026-0001" in err
    ledger = Ledger.open(db)
    client = ledger.clients()[0]
    (fact,) = ledger.facts(client_id=client.id)
    ledger.record_action(
        client.id,
        DAY,
        "promise",
        channel="call",
        invoice_ids=[fact.id],
        promise_date=DAY + dt.timedelta(days=10),
        promise_amount=Decimal("300.00"),
    )
    ledger.close()
    code, out, _err = run(
        capsys, "--db", db, "email", "FA-2026-0001", "--kind", "promise", "--dry-run"
    )
    assert code == 0
    dry = json.loads(out)
    assert (dry["kind"], dry["attachment"], dry["status"]) == ("promise", "", "dry_run")
    assert "300,00\u00a0€ au plus tard le" in dry["body"]
    code, out, _err = run(capsys, "--db", db, "email", "FA-2026-0001", "--kind", "promise")
    assert (code, json.loads(out)["counts"]) == (0, {"sent": 1})
    (msg,) = server.inbox.messages
    assert list(msg.iter_attachments()) == []
