"""Sending off the interface thread: the window runs while a slow server answers."""

from __future__ import annotations

import datetime as dt
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from models.ids import ClientId
from models.mail import outbox
from models.store.codes import MAIL_SENT
from reports.letters import render_letter
from tests.mail_server import account, add_clients, mail_ledger, smtp_server
from ui.mail import send_with_progress
from ui.ops import Ops

__all__ = ["mail_ledger", "smtp_server"]
# The history is dated by the clock of sending (ui.mail.now): the steps are due today.
DAY = dt.date.today()


def _batch(ledger):
    """Today's e-mail steps, built in the sending thread from its own Ledger."""
    requests = outbox.email_requests(ledger, DAY)
    return requests, lambda led: outbox.due_outgoing(led, requests, DAY, render_letter)


def _progress() -> QProgressDialog | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
    return next((w for w in shown if w.isVisible()), None)


def test_event_loop_runs_while_the_server_holds_the_message(qtbot, mail_ledger, smtp_server):
    """A server that does not answer until a timer of the window opens its gate: the timer
    can only fire if the event loop runs during the sending; then all is recorded."""
    gate = threading.Event()
    server = smtp_server(gate=gate)
    add_clients(mail_ledger, 3, day=DAY)
    mail_ledger.set_mail_account(account(server.port))
    ops = Ops(mail_ledger, today=lambda: DAY)
    seen_held: list[int] = []

    def tick() -> None:
        if server.inbox.held and not gate.is_set():  # held: the window still runs
            seen_held.append(server.inbox.held)
            gate.set()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    requests, messages = _batch(mail_ledger)
    summary = send_with_progress(None, ops, messages, len(requests), "Relances du jour")
    timer.stop()
    assert seen_held == [1]  # the timer fired while the first message was held
    assert summary is not None
    assert summary.count(outbox.SENT) == 3
    assert len(server.inbox.messages) == 3
    assert [m.status for m in mail_ledger.mails()] == [MAIL_SENT] * 3
    client = mail_ledger.clients()[0]
    outcomes = [a.outcome for a, _ in mail_ledger.history(ClientId(client.id))]
    assert outcomes == ["Envoyée par e-mail"]


def test_cancel_while_the_server_holds_a_message(qtbot, mail_ledger, smtp_server):
    """Annuler clicked while the server holds the first message: that one goes and is
    recorded, the others are left for the next run (nothing sent twice)."""
    gate = threading.Event()
    server = smtp_server(gate=gate)
    add_clients(mail_ledger, 4, day=DAY)
    mail_ledger.set_mail_account(account(server.port))
    ops = Ops(mail_ledger, today=lambda: DAY)
    labels: list[str] = []

    def tick() -> None:
        dialog = _progress()
        if server.inbox.held and dialog is not None and not gate.is_set():
            dialog.canceled.emit()  # the Annuler button's signal
            labels.append(dialog.labelText())
            gate.set()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    requests, messages = _batch(mail_ledger)
    summary = send_with_progress(None, ops, messages, len(requests), "Relances du jour")
    timer.stop()
    assert labels == ["Annulation après le message en cours…"]
    assert summary is not None
    assert summary.stopped == "annulé par l'utilisateur"
    assert summary.count(outbox.SENT) == 1
    assert summary.count(outbox.NOT_SENT) == 3
    assert [m.status for m in mail_ledger.mails()] == [MAIL_SENT]
    # The next run sends exactly the three others.
    gate.set()
    requests, messages = _batch(mail_ledger)
    assert len(requests) == 3
    again = send_with_progress(None, ops, messages, len(requests), "Relances du jour")
    assert again is not None
    assert again.count(outbox.SENT) == 3
    assert len(server.inbox.messages) == 4
