"""Relances > E-mails en état inconnu: listed, marked "envoyé" or "non envoyé", kept."""

from __future__ import annotations

import datetime as dt

from models.ids import ClientId
from models.store.codes import MAIL_FAILED, MAIL_SENT
from tests.mail_server import DAY, add_clients, mail_ledger
from ui.dialogs.pending_mail import PendingMailDialog
from ui.ops import Ops

__all__ = ["mail_ledger"]
WHEN = dt.datetime(2026, 11, 23, 9, 30).astimezone()


def test_pending_messages_listed_then_settled_one_way_and_the_other(qtbot, mail_ledger):
    """Each line says client, invoices, date, subject and recipients; "envoyé" records the
    step, "non envoyé" a note; the list empties and nothing is deleted."""
    add_clients(mail_ledger, 2)
    first, second = mail_ledger.clients()
    for client, n in ((first, 1), (second, 2)):
        mail_ledger.mail_pending(
            client.id,
            "reminder_1",
            [n],
            [f"compta{n}@client{n}.fr"],
            f"Rappel de paiement – n° FA-2026-000{n}",
            f"<m{n}@testard.fr>",
            WHEN,
        )
    ops = Ops(mail_ledger, today=lambda: DAY)
    refusals: list = []
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    dialog = PendingMailDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 2
    cells = [dialog.table.item(0, c).text() for c in range(5)]
    assert cells == [
        first.name,
        "FA-2026-0001",
        "23/11/2026 09:30",
        "Rappel de paiement – n° FA-2026-0001",
        "compta1@client1.fr",
    ]
    dialog.select(0)
    dialog.sent_button.click()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == second.name
    dialog.select(0)
    dialog.not_sent_button.click()
    assert refusals == []
    assert dialog.table.isHidden()
    assert not dialog.empty.isHidden()
    assert not dialog.sent_button.isEnabled()
    assert [m.status for m in mail_ledger.mails()] == [MAIL_SENT, MAIL_FAILED]
    (sent, _numbers) = mail_ledger.history(ClientId(first.id))[-1]
    assert (sent.step, sent.outcome) == ("reminder_1", "Envoyée par e-mail")
    (note, _numbers) = mail_ledger.history(ClientId(second.id))[-1]
    assert (note.kind, note.step) == ("note", "")


def test_menu_relances_opens_it(qtbot, mail_ledger, tmp_path):
    """The dialog is reached from the menu Relances."""
    from PySide6.QtCore import QSettings

    from ui.window.main import MainWindow

    ops = Ops(mail_ledger, today=lambda: DAY)
    settings = QSettings(str(tmp_path / "relance.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ops, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.invoices.has_data)
    menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Relances"
    )
    texts = [a.text() for a in menu.actions()]
    assert "E-mails en état inconnu…" in texts
    window.act_pending_mail.trigger()
    assert isinstance(window.dialog, PendingMailDialog)
    window.dialog.close()
