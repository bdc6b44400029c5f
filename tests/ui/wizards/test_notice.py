"""The formal-notice wizard and a time-barred claim: it says so and asks (C. civ. 2219)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.ui.wizards.test_wizards import TODAY, go_to, prepared, set_company
from ui.ops import Ops
from ui.wizards.notice import NoticeWizard

D = dt.date


def barred_client(ops: Ops) -> tuple[int, int]:
    """A consumer whose invoice fell due on 2024-10-31: barred after 2026-10-31 (L218-2)."""
    led = ops.ledger
    set_company(led)
    cid = led.add_client(
        "Jeanne Ancienne", "b2c", street="3 rue Basse", postal_code="44000", city="Nantes"
    )
    inv = led.add_invoice(cid, "F-200", D(2024, 10, 1), Decimal("480.00"), D(2024, 10, 31))
    return cid, inv


def test_notice_for_a_time_barred_claim_refused_without_confirmation(qtbot, ops, tmp_path):
    ops.set_today(TODAY)  # 2026-11-23: barred since 2026-11-01
    cid, inv = barred_client(ops)
    wizard = prepared(qtbot, NoticeWizard(ops, cid, [inv]), tmp_path)
    asked: list[str] = []

    def say_no(_parent, _title, question):
        asked.append(question)
        return False

    wizard.confirm = say_no
    wizard.next()
    # Refused: the wizard stays on the invoices page, and said why.
    assert wizard.currentPage() is wizard.invoices_page
    assert len(asked) == 1
    assert "F-200" in asked[0]
    assert "Prescrite depuis le 01/11/2026" in asked[0]
    assert "L218-2" in asked[0]
    assert "C. civ. 2219" in asked[0]
    before = ops.ledger.counts()["actions"]

    def say_yes(_parent, _title, question):
        asked.append(question)
        return True

    wizard.confirm = say_yes
    go_to(wizard, wizard.amounts_page)
    assert len(asked) == 2
    # The amounts page keeps saying it.
    assert "F-200 : Prescrite depuis le 01/11/2026" in wizard.amounts_page.warnings.text()
    assert not wizard.amounts_page.warnings.isHidden()
    # Asked once for these invoices and date: going back and forth does not ask again.
    wizard.back()
    go_to(wizard, wizard.amounts_page)
    assert len(asked) == 2
    wizard.reject()
    assert ops.ledger.counts()["actions"] == before


def test_notice_for_a_live_claim_asks_nothing(qtbot, ops, tmp_path):
    ops.set_today(D(2026, 10, 31))  # the last day the claim can be brought (C. civ. 2229)
    cid, inv = barred_client(ops)
    wizard = prepared(qtbot, NoticeWizard(ops, cid, [inv]), tmp_path)
    wizard.confirm = lambda *_a: (_ for _ in ()).throw(AssertionError("asked"))
    go_to(wizard, wizard.amounts_page)
    assert "Prescrite" not in wizard.amounts_page.warnings.text()


def test_invoices_page_marks_the_time_barred_claim(qtbot, ops, tmp_path):
    # Every list says it (issue 11): the first page of every letter wizard too.
    ops.set_today(TODAY)
    cid, inv = barred_client(ops)
    wizard = prepared(qtbot, NoticeWizard(ops, cid, [inv]), tmp_path)
    item = wizard.invoices_page.tree.topLevelItem(0)
    assert item.text(0) == "F-200"
    assert item.text(4).endswith("· prescrite")
