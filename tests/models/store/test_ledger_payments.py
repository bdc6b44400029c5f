"""Payments corrected or cancelled with a trace, and the trop-perçu (issue 14), by hand.

Rates: 2026 H1 default penalty rate 12.15 % (ECB 2.15 + 10, C. com. L441-10 II), days/365.
"""

import datetime as dt
from decimal import Decimal

import pytest

from models.errors import InputError, OverpaymentError
from models.money import format_eur
from models.store.tables import Payment
from tests.pg import ledger_both  # noqa: F401  (every test here on SQLite and PostgreSQL)

D = dt.date
AS_OF = D(2026, 3, 31)


def setup(ledger):
    """F-1 1 200 € due 31/01 with a payment typed 700 € on 28/02 instead of 200 €."""
    c = ledger.add_client("Durand Bâtiment")
    f1 = ledger.add_invoice(c, "F-1", D(2026, 1, 1), Decimal("1200.00"), D(2026, 1, 31))
    wrong = ledger.record_payment(f1, D(2026, 2, 28), Decimal("700.00"), "cheque", "CHQ 1")
    return c, f1, wrong


def test_corrected_payment_moves_balance_penalties_and_aged_balance(ledger):
    """Rule: a corrected payment counts at its new value; the original stays, flagged."""
    c, f1, wrong = setup(ledger)
    before = ledger.interest("F-1", AS_OF)
    # 01/02-28/02: 1200 x 12.15 % x 28/365 = 11.18; 01/03-31/03: 500 x 12.15 % x 31/365 = 5.16
    assert (before.principal, before.penalties) == (Decimal("500.00"), Decimal("16.34"))
    new = ledger.correct_payment(wrong, D(2026, 4, 1), "chèque de 200 €", amount=Decimal("200"))
    after = ledger.interest("F-1", AS_OF)
    # 01/02-28/02: 11.18 as before; 01/03-31/03: 1000 x 12.15 % x 31/365 = 10.3192 -> 10.32
    assert (after.principal, after.penalties) == (Decimal("1000.00"), Decimal("21.50"))
    assert after.indemnity == Decimal("40.00")  # C. com. D441-5: 40 € per invoice
    assert ledger.aged_balance(AS_OF).total == Decimal("1000.00")  # 59 days late: one row
    kept = ledger.payments(f1, include_cancelled=True)
    assert [(p.amount_cents, p.cancelled_on, p.replaced_by) for p in kept] == [
        (70000, D(2026, 4, 1), new),
        (20000, None, None),
    ]
    assert kept[0].cancel_reason == "chèque de 200 €"
    assert [p.id for p in ledger.payments(f1)] == [new]
    line = ledger.history(c)[-1][0]
    assert line.kind == "correction"
    amount_change = f"montant {format_eur(70000, cents=True)} → {format_eur(20000, cents=True)}"
    assert amount_change in line.notes


def test_cancelled_payment_counts_for_nothing_and_stays(ledger):
    """Rule: a cancelled payment is kept with its reason; penalties run on the whole amount."""
    c, f1, wrong = setup(ledger)
    ledger.cancel_payment(wrong, D(2026, 4, 1), "chèque rejeté")
    r = ledger.interest("F-1", AS_OF)
    # One period 01/02-31/03, 59 days: 1200 x 12.15 % x 59/365 = 23.5677 -> 23.57
    assert (r.principal, r.penalties) == (Decimal("1200.00"), Decimal("23.57"))
    assert ledger.balance_cents(f1) == 120000
    assert ledger.counts()["payments"] == 1  # nothing deleted
    assert ledger.payment(wrong).cancel_reason == "chèque rejeté"
    assert "annulé : chèque rejeté" in ledger.history(c)[-1][0].notes
    with pytest.raises(InputError, match="déjà annulé"):
        ledger.cancel_payment(wrong, D(2026, 4, 1), "encore")
    with pytest.raises(InputError, match="pourquoi"):
        ledger.correct_payment(wrong, D(2026, 4, 1), " ")


def test_overpayment_asks_then_credit_is_used_on_another_invoice(ledger):
    """Rule: a balance never goes below zero without the user's word (C. civ. 1302, 1347)."""
    c = ledger.add_client("Zola Éditions")
    f2 = ledger.add_invoice(c, "F-2", D(2026, 2, 1), Decimal("500.00"), D(2026, 3, 3))
    f3 = ledger.add_invoice(c, "F-3", D(2026, 2, 13), Decimal("300.00"), D(2026, 3, 15))
    with pytest.raises(OverpaymentError) as asked:
        ledger.record_payment(f2, D(2026, 3, 10), Decimal("550.00"))
    assert (asked.value.balance_cents, asked.value.excess_cents) == (50000, 5000)
    assert ledger.counts()["payments"] == 0  # refused: nothing written
    pay = ledger.record_payment(f2, D(2026, 3, 10), Decimal("550.00"), excess="credit")
    assert ledger.balance_cents(f2) == 0  # 500 on F-2, never -50
    assert ledger.credit_cents(c) == 5000
    ledger.use_credit(f3, D(2026, 3, 20))  # min(credit 50, balance 300) = 50
    assert (ledger.balance_cents(f3), ledger.credit_cents(c)) == (25000, 0)
    ab = ledger.aged_balance(AS_OF)
    # F-3: 250 € due 15/03, 16 days late -> "1_30"; F-2 settled.
    assert ab.rows[0].amounts == tuple(Decimal(x) for x in ("0", "250.00", "0", "0", "0"))
    # F-3 penalties: 16/03-20/03 on 300 (5 d) = 0.4993 -> 0.50; 21/03-31/03 on 250 (11 d)
    # = 250 x 12.15 % x 11/365 = 0.9154 -> 0.92; total 1.42
    assert ledger.interest("F-3", AS_OF).penalties == Decimal("1.42")
    with pytest.raises(InputError, match="déjà servi"):
        ledger.cancel_payment(pay, D(2026, 4, 2), "erreur")
    with pytest.raises(InputError, match="pas de trop-perçu"):
        ledger.use_credit(f3, D(2026, 3, 21))
    kept = ledger.record_payment(f3, D(2026, 3, 25), Decimal("400"), excess="keep")
    assert ledger.balance_cents(f3) == -15000  # the user said so
    assert ledger.payment(kept).amount_cents == 40000


def test_credit_cancelled_with_its_payment(ledger):
    """Rule: cancelling a payment takes its unused trop-perçu with it."""
    c = ledger.add_client("Zola Éditions")
    f2 = ledger.add_invoice(c, "F-2", D(2026, 2, 1), Decimal("500.00"), D(2026, 3, 3))
    pay = ledger.record_payment(f2, D(2026, 3, 10), Decimal("550.00"), excess="credit")
    ledger.cancel_payment(pay, D(2026, 3, 11), "virement rejeté")
    assert (ledger.balance_cents(f2), ledger.credit_cents(c)) == (50000, 0)


def test_payment_moved_to_another_invoice(ledger):
    """Rule: a payment put on the wrong invoice is moved; both balances follow."""
    c, f1, wrong = setup(ledger)
    f4 = ledger.add_invoice(c, "F-4", D(2026, 2, 1), Decimal("700.00"), D(2026, 3, 3))
    ledger.correct_payment(wrong, D(2026, 4, 1), "mauvaise facture", invoice_id=f4)
    assert (ledger.balance_cents(f1), ledger.balance_cents(f4)) == (120000, 0)
    assert "facture F-1 → F-4" in ledger.history(c)[-1][0].notes


def test_invoice_changes_are_history_lines_with_old_and_new_value(ledger):
    """Rule: an invoice's amount, due date and client changes each leave a history line."""
    a = ledger.add_client("Alpha")
    b = ledger.add_client("Beta")
    inv = ledger.add_invoice(a, "F-9", D(2026, 1, 1), Decimal("300.00"), D(2026, 1, 31))
    with pytest.raises(InputError, match="date de la modification"):
        ledger.update_invoice(inv, amount_ttc_cents=35000)
    ledger.update_invoice(
        inv,
        on=D(2026, 2, 2),
        reason="avoir oublié",
        amount_ttc_cents=35000,
        due_date=D(2026, 2, 15),
    )
    (line, numbers) = ledger.history(a)[-1]
    assert numbers == ["F-9"]
    assert f"montant TTC {format_eur(30000, cents=True)} → {format_eur(35000, cents=True)}" in (
        line.notes
    )
    assert "échéance 31/01/2026 → 15/02/2026" in line.notes
    assert "motif : avoir oublié" in line.notes
    ledger.update_invoice(inv, on=D(2026, 2, 3), client_id=b)
    assert "client Alpha → Beta" in ledger.history(a)[-1][0].notes
    assert "client Alpha → Beta" in ledger.history(b)[-1][0].notes
    assert ledger.aged_balance(D(2026, 2, 20)).rows[0].client == "Beta"


def test_archive_and_restore_leave_a_line(ledger):
    """Rule: archiving is reversible and recorded; the invoice's payments stay."""
    c, f1, _ = setup(ledger)
    ledger.archive_invoice(f1, on=D(2026, 4, 1))
    assert ledger.aged_balance(AS_OF).total == Decimal("0")
    ledger.archive_invoice(f1, archived=False, on=D(2026, 4, 2))
    assert ledger.aged_balance(AS_OF).total == Decimal("500.00")
    notes = [a.notes for a, _ in ledger.history(c)]
    assert notes[-2:] == ["Facture F-1 archivée", "Facture F-1 restaurée (désarchivée)"]
    assert isinstance(ledger.payments(f1)[0], Payment)


def test_reinstated_payment_is_a_new_entry_with_its_credit(ledger):
    """Rule: an undo records again; the cancelled row stays and a history line says so."""
    c = ledger.add_client("Zola Éditions")
    f2 = ledger.add_invoice(c, "F-2", D(2026, 2, 1), Decimal("500.00"), D(2026, 3, 3))
    pay = ledger.record_payment(f2, D(2026, 3, 10), Decimal("550.00"), excess="credit")
    ledger.cancel_payment(pay, D(2026, 3, 11), "annuler")
    again = ledger.reinstate_payment(pay, D(2026, 3, 11), "rétablir")
    assert (ledger.balance_cents(f2), ledger.credit_cents(c)) == (0, 5000)
    assert ledger.counts()["payments"] == 2
    assert "rétabli" in ledger.history(c)[-1][0].notes
    # Undoing a correction: the original comes back in place of its replacement.
    new = ledger.correct_payment(again, D(2026, 3, 12), "faute", amount=Decimal("100"))
    assert ledger.balance_cents(f2) == 40000
    back = ledger.reinstate_payment(again, D(2026, 3, 12), "annuler", replacing=new)
    assert (ledger.balance_cents(f2), ledger.credit_cents(c)) == (0, 5000)
    assert ledger.payment(new).replaced_by == back
    with pytest.raises(InputError, match="pas annulé"):
        ledger.reinstate_payment(back, D(2026, 3, 12), "x")
