"""History lines cancelled with a reason, or recorded again (issue 14): never deleted."""

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

D = dt.date


def test_cancelled_reminder_no_longer_moves_the_stage(ledger):
    """Rule: a line cancelled stays, flagged, and counts no more; reinstating is a new line."""
    c = ledger.add_client("Durand")
    inv = ledger.add_invoice(c, "F-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    sent = ledger.record_action(
        c, D(2026, 2, 11), "email", invoice_ids=[inv], channel="email", step="reminder_1"
    )
    assert ledger.stages(D(2026, 2, 12))[0].stage == "reminder_1"
    ledger.cancel_action(sent, D(2026, 2, 12), "envoyé au mauvais client")
    assert ledger.stages(D(2026, 2, 12))[0].stage == "overdue"  # 8 days late, nothing sent
    lines = ledger.history(c)
    assert lines[0][0].cancel_reason == "envoyé au mauvais client"
    assert lines[-1][0].kind == "correction"
    with pytest.raises(InputError, match="déjà annulée"):
        ledger.cancel_action(sent, D(2026, 2, 12), "encore")
    with pytest.raises(InputError, match="ne s'annule pas"):
        ledger.cancel_action(lines[-1][0].id, D(2026, 2, 12), "x")
    again = ledger.reinstate_action(sent, D(2026, 2, 13), "Édition > Rétablir")
    assert ledger.stages(D(2026, 2, 13))[0].stage == "reminder_1"
    assert any(a.id == again and a.cancelled_on is None for a, _ in ledger.history(c))
    assert ledger.counts()["actions"] == 4  # sent, its cancel line, the copy, its line


def test_write_off_cancelled_puts_the_invoice_back_in_the_aged_balance(ledger):
    """Rule: a write-off undone is a correction line; the 1 200 € count again."""
    c = ledger.add_client("Durand")
    inv = ledger.add_invoice(c, "F-1", D(2026, 1, 5), Decimal("1200.00"), D(2026, 2, 4))
    ledger.write_off(inv, D(2026, 3, 1), "liquidation")
    assert ledger.aged_balance(D(2026, 3, 2)).total == Decimal("0")
    ledger.cancel_write_off(inv, D(2026, 3, 2), "jugement réformé")
    assert ledger.aged_balance(D(2026, 3, 2)).total == Decimal("1200.00")
    assert "annulé : jugement réformé" in ledger.history(c)[-1][0].notes
    with pytest.raises(InputError, match="pas passée en perte"):
        ledger.cancel_write_off(inv, D(2026, 3, 2), "x")
