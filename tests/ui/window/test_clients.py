"""The client list, the client page, the client and contact dialogs (ui/client_*.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from models.errors import InputError
from models.law.stages import STAGES
from models.store.tables import Action
from models.todo import StageRow
from ui.dialogs.client import ClientDialog, PauseDialog
from ui.dialogs.contact import ContactDialog
from ui.dialogs.policy_choice import PolicyChoiceDialog
from ui.ops import Ops
from ui.tables.clients import SORT_ROLE, ClientTableModel, client_rows, relance_target
from ui.tables.history import (
    COL_CHANNEL,
    COL_KIND,
    COL_NOTES,
    COL_PROMISE_AMOUNT,
    COL_PROMISE_DATE,
    HistoryTableModel,
)
from ui.window.clients import ClientsView

TODAY = dt.date(2026, 3, 15)
d = dt.date


def fixed_clients(led) -> dict[str, int]:
    """Six clients, one per situation, as of 2026-03-15 (expected figures in the tests)."""
    ids: dict[str, int] = {}
    a = ids["martin"] = led.add_client(
        "Boulangerie Martin", "b2b", city="Lyon", payment_notes="Factures à déposer sur le portail"
    )
    led.add_contact(a, "Nathalie Roux", "Comptabilité fournisseurs", "04 78 00 00 01")
    led.add_contact(a, "Bruno Martin", "Gérant")
    f1 = ids["F-001"] = led.add_invoice(
        a, "F-001", d(2026, 1, 1), Decimal("1000.00"), d(2026, 1, 31)
    )
    led.record_action(
        a,
        d(2026, 2, 7),
        "email",
        channel="email",
        step="reminder_1",
        invoice_ids=[f1],
        notes="Relance 1 envoyée",
    )
    led.record_action(
        a,
        d(2026, 2, 15),
        "letter",
        channel="letter",
        step="reminder_2",
        invoice_ids=[f1],
        notes="Relance 2 envoyée",
    )
    ids["F-002"] = led.add_invoice(a, "F-002", d(2026, 3, 1), Decimal("500.00"), d(2026, 3, 31))
    f3 = led.add_invoice(a, "F-003", d(2026, 1, 10), Decimal("2000.00"), d(2026, 2, 9))
    led.record_payment(f3, d(2026, 2, 20), Decimal("2000.00"))
    b = ids["kasba"] = led.add_client("Studio Kasba", "b2b")
    f10 = ids["F-010"] = led.add_invoice(
        b, "F-010", d(2026, 2, 1), Decimal("2400.00"), d(2026, 3, 3)
    )
    led.record_payment(f10, d(2026, 3, 5), Decimal("400.00"))
    c = ids["fontaine"] = led.add_client("Mme Claire Fontaine", "b2c")
    ids["F-020"] = led.add_invoice(c, "F-020", d(2026, 2, 1), Decimal("300.00"), d(2026, 3, 13))
    ln = ids["lumen"] = led.add_client("Agence Lumen", "b2b")
    f30 = ids["F-030"] = led.add_invoice(
        ln, "F-030", d(2025, 11, 1), Decimal("5000.00"), d(2025, 12, 1)
    )
    e = ids["ecume"] = led.add_client("Librairie L'Écume", "b2b")
    f40 = ids["F-040"] = led.add_invoice(
        e, "F-040", d(2025, 12, 6), Decimal("800.00"), d(2026, 1, 5)
    )
    ladder = (
        ("email", "email", "reminder_1"),
        ("letter", "letter", "reminder_2"),
        ("letter", "letter", "reminder_3"),
        ("formal_notice", "registered_letter", "formal_notice"),
    )
    for on, (kind, channel, step) in zip(
        (d(2025, 12, 8), d(2025, 12, 16), d(2025, 12, 26), d(2026, 1, 5)), ladder, strict=True
    ):
        led.record_action(ln, on, kind, channel=channel, step=step, invoice_ids=[f30])
    for on, (kind, channel, step) in zip(
        (d(2026, 1, 12), d(2026, 1, 20), d(2026, 2, 1)), ladder[:3], strict=True
    ):
        led.record_action(e, on, kind, channel=channel, step=step, invoice_ids=[f40])
    g = ids["tilleuls"] = led.add_client("Garage des Tilleuls", "b2b")
    f50 = ids["F-050"] = led.add_invoice(
        g, "F-050", d(2025, 12, 1), Decimal("900.00"), d(2025, 12, 31)
    )
    led.create_plan(
        g,
        [f50],
        d(2026, 2, 1),
        [
            (d(2026, 2, 10), Decimal(300)),
            (d(2026, 3, 10), Decimal(300)),
            (d(2026, 4, 10), Decimal(300)),
        ],
        waive_penalties=True,  # the plan covers the principal alone
    )
    led.record_payment(f50, d(2026, 2, 10), Decimal("300.00"))
    return ids


@pytest.fixture
def refusals() -> list[InputError]:
    """The refusals shown (instead of a modal message box)."""
    return []


@pytest.fixture
def clients_ops(ledger, refusals) -> Ops:
    """Ops on the fixed data, today 2026-03-15, refusals recorded."""
    ops = Ops(ledger, today=lambda: TODAY)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    return ops


@pytest.fixture
def view(qtbot, clients_ops) -> ClientsView:
    """The client screen on the fixed data, shown."""
    ids = fixed_clients(clients_ops.ledger)
    widget = ClientsView(clients_ops)
    widget.ids = ids
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    return widget


def cells(model, row: int) -> list[str]:
    """The display texts of one row."""
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_client_list_shows_amounts_and_worst_stage(view):
    m = view.model
    martin = m.row_of(view.ids["martin"])
    assert cells(m, martin) == [
        "Boulangerie Martin",
        "Pro",
        "1\u00a0500,00\u00a0€",
        "1\u00a0000,00\u00a0€",
        "Relance 2",
    ]
    idx = m.index(martin, ClientTableModel.COL_STAGE)
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == QColor(STAGES["reminder_2"].colour)
    assert m.index(martin, ClientTableModel.COL_OUTSTANDING).data(SORT_ROLE) == 150000
    kasba = cells(m, m.row_of(view.ids["kasba"]))
    assert kasba[2:] == ["2\u00a0000,00\u00a0€", "2\u00a0000,00\u00a0€", "En retard"]
    fontaine = cells(m, m.row_of(view.ids["fontaine"]))
    assert fontaine[1:] == ["Particulier", "300,00\u00a0€", "300,00\u00a0€", "En retard"]
    assert cells(m, m.row_of(view.ids["lumen"]))[4] == "Mise en demeure"
    assert cells(m, m.row_of(view.ids["tilleuls"]))[2:] == [
        "600,00\u00a0€",
        "600,00\u00a0€",
        "Échéancier",
    ]


def test_client_list_sorts_by_raw_amount_and_searches_without_accents(view, qtbot):
    view.table.sortByColumn(ClientTableModel.COL_OUTSTANDING, Qt.SortOrder.DescendingOrder)
    first = view.proxy.index(0, ClientTableModel.COL_NAME).data()
    assert first == "Agence Lumen"  # 5 000 € > 2 000 € > 1 500 €: numbers, not text
    qtbot.keyClicks(view.search, "ecume")
    assert view.proxy.rowCount() == 1
    assert view.current_client() == view.ids["ecume"]  # a single hit is shown at once
    assert view.count_label.text() == "1 client sur 6"


def test_client_page_shows_identity_contacts_invoices_and_history(view):
    view.show_client(view.ids["martin"])
    page = view.page
    assert page.title.text() == "Boulangerie Martin"
    assert page.fields["payment_notes"].text() == "Factures à déposer sur le portail"
    contacts = [
        page.contacts_model.index(r, 0).data() for r in range(page.contacts_model.rowCount())
    ]
    assert contacts == ["Bruno Martin", "Nathalie Roux"]
    numbers = {
        page.invoices_model.index(r, 0).data() for r in range(page.invoices_model.rowCount())
    }
    assert numbers == {"F-001", "F-002"}  # F-003 is paid
    h = page.history_model
    assert [cells(h, r)[:3] for r in range(h.rowCount())] == [
        ["15/02/2026", "Courrier (Relance 2)", "Courrier"],
        ["07/02/2026", "E-mail (Relance 1)", "E-mail"],
    ]
    assert page.fields["outstanding"].text() == "1\u00a0500,00\u00a0€"


def test_relancer_emits_overdue_invoices_and_highest_next_step(view, qtbot):
    view.show_client(view.ids["martin"])
    with qtbot.waitSignal(view.documentRequested) as sig:
        view.page.relance_btn.click()
    assert sig.args == [view.ids["martin"], [view.ids["F-001"]], "reminder_3"]
    view.show_client(view.ids["kasba"])
    with qtbot.waitSignal(view.documentRequested) as sig:
        view.page.relance_btn.click()
    assert sig.args == [view.ids["kasba"], [view.ids["F-010"]], "reminder_1"]


def test_double_click_on_invoice_asks_to_open_it(view, qtbot):
    view.show_client(view.ids["kasba"])
    table = view.page.invoices_view
    rect = table.visualRect(table.model().index(0, 0))
    with qtbot.waitSignal(view.invoiceOpenRequested) as sig:
        # Qt's test double-click needs the press/release before it to reach the item view.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [view.ids["F-010"]]


def test_invalid_siret_is_refused_and_dialog_stays_open(view, qtbot, refusals):
    led = view.ops.ledger
    before = led.counts()
    dialog = view.new_client()
    dialog.edits["name"].setText("Transports Giraud")
    dialog.edits["siret"].setText("12345678901234")
    dialog.accept()
    assert dialog.isVisible()
    assert "SIRET" in str(refusals[-1])
    assert led.counts() == before
    dialog.edits["siret"].setText("")
    dialog.edits["email"].setText("compta@giraud.fr")
    dialog.accept()
    assert not dialog.isVisible()
    assert led.counts()["clients"] == before["clients"] + 1
    assert view.page.title.text() == "Transports Giraud"


def test_edit_client_and_bad_email_refused(view, refusals):
    view.show_client(view.ids["kasba"])
    view.page.edit_btn.click()
    dialog = view.page.dialog
    assert isinstance(dialog, ClientDialog)
    dialog.edits["email"].setText("pas-une-adresse")
    dialog.accept()
    assert "e-mail" in str(refusals[-1])
    assert view.ops.ledger.client(view.ids["kasba"]).email == ""
    dialog.edits["email"].setText("compta@kasba.fr")
    dialog.is_new.setChecked(True)
    dialog.accept()
    assert view.ops.ledger.client(view.ids["kasba"]).email == "compta@kasba.fr"
    assert view.page.fields["flags"].text() == "Nouveau client"


def test_contacts_add_edit_remove(view):
    page = view.page
    view.show_client(view.ids["kasba"])
    page.add_contact_btn.click()
    dialog = page.dialog
    assert isinstance(dialog, ContactDialog)
    dialog.name.setText("Inès Garnier")
    dialog.phone.setText("06 12 34 56 78")
    dialog.accept()
    assert [c.name for c in view.ops.ledger.contacts(view.ids["kasba"])] == ["Inès Garnier"]
    page.contacts_view.selectRow(0)
    page.edit_contact_btn.click()
    page.dialog.name.setText("Inès Garnier-Roux")
    page.dialog.accept()
    assert page.contacts_model.index(0, 0).data() == "Inès Garnier-Roux"
    page.confirm = lambda *_args: True
    page.contacts_view.selectRow(0)
    page.remove_contact_btn.click()
    assert page.contacts_model.rowCount() == 0


def test_pause_and_resume(view, refusals):
    page = view.page
    view.show_client(view.ids["martin"])
    page.pause_btn.click()
    dialog = page.dialog
    assert isinstance(dialog, PauseDialog)
    dialog.accept()  # no reason given
    assert "motif" in str(refusals[-1])
    dialog.reason.setText("Accord verbal du gérant")
    dialog.accept()
    assert view.ops.ledger.client(view.ids["martin"]).paused_until == TODAY + dt.timedelta(30)
    assert page.fields["pause"].text() == "Suspendues jusqu'au 14/04/2026 — Accord verbal du gérant"
    page.resume_btn.click()
    assert view.ops.ledger.client(view.ids["martin"]).paused_until is None
    assert page.fields["pause"].text() == "Actives"


def test_client_page_changes_the_policy(view):
    led, page = view.ops.ledger, view.page
    led.set_policy(led.policy(), "Grands comptes")
    view.show_client(view.ids["martin"])
    assert page.fields["policy"].text() == "Politique par défaut"
    page.policy_btn.click()
    dialog = page.dialog
    assert isinstance(dialog, PolicyChoiceDialog)
    dialog.combo.setCurrentIndex(dialog.combo.findData("Grands comptes"))
    dialog.accept()
    assert led.client(view.ids["martin"]).policy_name == "Grands comptes"
    assert page.fields["policy"].text() == "Grands comptes"


def test_archive_after_confirmation(view):
    page = view.page
    view.show_client(view.ids["kasba"])
    page.confirm = lambda *_args: False
    page.archive_btn.click()
    assert not view.ops.ledger.client(view.ids["kasba"]).archived
    page.confirm = lambda *_args: True
    page.archive_btn.click()
    assert view.ops.ledger.client(view.ids["kasba"]).archived
    assert view.model.row_of(view.ids["kasba"]) == -1
    view.show_client(view.ids["kasba"])  # opening it lists the archived clients
    assert page.title.text() == "Studio Kasba (archivé)"


def test_client_rows_group_stage_rows_without_database():
    def row(client_id: int, stage: str, balance: int, late: int) -> StageRow:
        return StageRow(
            client_id * 100 + late,
            "N",
            client_id,
            "X",
            stage,
            balance,
            balance,
            TODAY,
            TODAY,
            late,
            "",
            "",
            None,
            False,
        )

    class C:
        def __init__(self, id_: int, name: str) -> None:
            self.id, self.name, self.kind = id_, name, "b2b"
            self.siren = self.siret = self.city = self.email = ""

    stages = [
        row(1, "reminder_1", 10000, 20),
        row(1, "disputed", 5000, 40),
        row(1, "not_due", 2500, 0),
        row(1, "paid", 0, 0),
        row(1, "written_off", 9900, 300),
        row(2, "paid", 0, 0),
    ]
    one, two = client_rows([C(1, "Un"), C(2, "Deux")], stages)
    assert (one.outstanding_cents, one.overdue_cents, one.worst_stage) == (17500, 15000, "disputed")
    assert (two.outstanding_cents, two.worst_stage) == (0, "")
    assert relance_target(stages) == ([120], "reminder_1")  # the disputed one is not dunned


def test_history_model_french_labels_without_database():
    promise = Action(
        id=2,
        client_id=1,
        date=d(2026, 3, 15),
        kind="promise",
        channel="call",
        outcome="Promesse de paiement",
        notes="Virement annoncé",
        promise_date=d(2026, 3, 20),
        promise_amount_cents=120000,
    )
    notice = Action(
        id=1,
        client_id=1,
        date=d(2026, 3, 1),
        kind="formal_notice",
        channel="registered_letter",
        step="formal_notice",
        registered_number="1A 234",
        acknowledged_on=d(2026, 3, 4),
    )
    m = HistoryTableModel()
    m.set_rows([(promise, ["F-1", "F-2"]), (notice, ["F-1"])])
    assert m.index(0, COL_KIND).data() == "Promesse de paiement"
    assert m.index(0, COL_CHANNEL).data() == "Appel"
    assert m.index(0, COL_PROMISE_DATE).data() == "20/03/2026"
    assert m.index(0, COL_PROMISE_AMOUNT).data() == "1\u00a0200,00\u00a0€"
    assert m.index(0, COL_PROMISE_AMOUNT).data(SORT_ROLE) == 120000
    assert m.index(1, COL_KIND).data() == "Mise en demeure"
    assert m.index(1, COL_NOTES).data() == "LRAR n° 1A 234 — AR reçu le 04/03/2026"


def test_file_database_list_loads_in_the_background_and_shows_the_client_asked(qtbot, tmp_path):
    from models.store.ledger import Ledger

    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    try:
        ids = fixed_clients(led)
        view = ClientsView(Ops(led, today=lambda: TODAY))
        qtbot.addWidget(view)
        assert view.loader.threaded
        view.show_client(ids["kasba"])  # asked for before the list is there
        qtbot.waitUntil(lambda: not view.loader.running, timeout=10_000)
        qtbot.waitUntil(lambda: view.current_client() == ids["kasba"], timeout=2_000)
        assert view.page.title.text() == "Studio Kasba"
        assert view.count_label.text().endswith("clients")
    finally:
        led.close()


def test_acknowledgement_of_a_registered_notice_from_the_history(view):
    led, page, ids = view.ops.ledger, view.page, view.ids
    led.record_letter_sent(
        ids["ecume"], "formal_notice", [ids["F-040"]], d(2026, 3, 2), registered_number="1A 2"
    )
    view.show_client(ids["ecume"])
    row = next(
        r
        for r in range(page.history_model.rowCount())
        if page.history_model.row(r).action.kind == "formal_notice"
    )
    assert not page.ack_btn.isEnabled()
    page.history_view.selectRow(row)
    assert page.ack_btn.isEnabled()
    page.ack_btn.click()
    dialog = page.dialog
    dialog.set_date(d(2026, 3, 5))
    dialog.accept()
    notice = next(a for a, _ in led.history(ids["ecume"]) if a.kind == "formal_notice")
    assert notice.acknowledged_on == d(2026, 3, 5)
    texts = [page.history_model.row(r).notes_text() for r in range(page.history_model.rowCount())]
    assert any("LRAR n° 1A 2 — AR reçu le 05/03/2026" in t for t in texts)
    page.history_view.selectRow(row)
    assert not page.ack_btn.isEnabled()  # received: nothing more to note


def test_a_letter_line_is_cancelled_with_a_reason_and_kept(view):
    """Rule (issue 14): a letter sent is not undone; its line is marked cancelled, kept."""
    led, page, ids = view.ops.ledger, view.page, view.ids
    led.record_letter_sent(ids["ecume"], "reminder_1", [ids["F-040"]], d(2026, 3, 2))
    view.show_client(ids["ecume"])

    def letter_row() -> int:
        return next(
            r
            for r in range(page.history_model.rowCount())
            if page.history_model.row(r).action.step == "reminder_1"
        )

    assert not page.cancel_line_btn.isEnabled()
    page.history_view.selectRow(letter_row())
    assert page.cancel_line_btn.isEnabled()
    chosen = page.history_model.row(letter_row()).action.id
    page.ask_text = lambda *_: "envoyée par erreur"
    assert page.cancel_line()
    letter = next(a for a, _ in led.history(ids["ecume"]) if a.id == chosen)
    assert letter.cancel_reason == "envoyée par erreur"
    page.history_view.selectRow(letter_row())
    assert not page.cancel_line_btn.isEnabled()  # already cancelled


def test_contact_dialog_flags_the_accounts_payable_recipient(qtbot, ops, ledger):
    """Issue 15: the contact who receives the reminders by e-mail is chosen in the dialog."""
    client = ledger.add_client("Studio Kasba")
    dialog = ContactDialog(ops, client)
    qtbot.addWidget(dialog)
    dialog.name.setText("Nadia Benali")
    dialog.email.setText("compta@kasba.fr")
    dialog.accounts_payable.setChecked(True)
    dialog.accept()
    (contact,) = ledger.contacts(client)
    assert contact.accounts_payable
    again = ContactDialog(ops, client, contact)
    qtbot.addWidget(again)
    assert again.accounts_payable.isChecked()
