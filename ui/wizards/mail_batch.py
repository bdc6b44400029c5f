""" "Relances du jour", e-mail part: today's e-mail steps sent in one go, cancellable.

Without a sending account the steps stay in the letters of the batch (the to-do says so);
with one, each client with an address gets its reminder by e-mail, the PDF attached, and a
client without address stays in the letters ("pas d'adresse e-mail": by post).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.errors import InputError
from models.ids import ClientId
from models.letters.batch import LetterRequest
from models.mail import outbox
from models.store.ledger import Ledger
from reports.letters import render_letter
from ui.mail import send_with_progress, summary_text
from ui.ops import Ops, tr


class MailBatchBox(QGroupBox):
    """The e-mails of the day: how many, to whom, and the button that sends them."""

    def __init__(self, ops: Ops, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(tr("E-mails du jour"), parent)
        self.ops = ops
        self.day = day
        self.summary: outbox.Summary | None = None
        self.show_summary: Callable[[QWidget, str], None] = lambda _w, _t: None
        try:
            account = ops.ledger.mail_account()
        except InputError:
            account = None
        self.requests: list[LetterRequest] = []
        if account is not None:
            self.requests = [
                r
                for r in outbox.email_requests(ops.ledger, day)
                if ops.ledger.mail_recipients(ClientId(r.client_id))
            ]
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(tr("Envoyer les e-mails ({n})").format(n=len(self.requests)))
        self.button.setEnabled(bool(self.requests))
        if account is None:
            self.label.setText(
                tr(
                    "Aucun compte d'envoi : les relances prévues par e-mail sont dans les "
                    "lettres ci-dessous (Paramètres > E-mail pour les envoyer d'ici)."
                )
            )
        elif self.requests:
            self.label.setText(
                tr(
                    "{n} relance(s) par e-mail, lettre en PDF jointe, envoyée(s) par {sender}. "
                    "Les clients sans adresse e-mail restent dans les lettres."
                ).format(n=len(self.requests), sender=account.sender)
            )
        else:
            self.label.setText(tr("Aucune relance à envoyer par e-mail aujourd'hui."))
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        QVBoxLayout(self).addLayout(row)
        self.button.clicked.connect(self.send)

    def goes_by_mail(self, request: LetterRequest) -> bool:
        """Whether this letter of the batch is sent by e-mail instead of by post."""
        return any(
            r.client_id == request.client_id and r.invoice_ids == request.invoice_ids
            for r in self.requests
        )

    def send(self) -> outbox.Summary | None:
        """Send them all behind a cancellable progress; what was sent is in the history."""
        requests, day = list(self.requests), self.day

        def messages(ledger: Ledger) -> Iterable[outbox.Outgoing]:
            # Built in the sending thread, one letter and PDF at a time.
            return outbox.due_outgoing(ledger, requests, day, render_letter)

        summary = send_with_progress(
            self, self.ops, messages, len(self.requests), tr("Relances du jour"), once=True
        )
        if summary is None:
            return None
        self.summary = summary
        text = summary_text(summary)
        self.label.setText(text)
        # A step sent meanwhile from another machine (issue 18) is not left to send either.
        left = [r for r in summary.results if r.status not in (outbox.SENT, outbox.TAKEN)]
        self.requests = [
            r for r in self.requests if any(x.invoices == list(r.invoices) for x in left)
        ]
        self.button.setText(tr("Renvoyer les e-mails restants ({n})").format(n=len(self.requests)))
        self.button.setEnabled(bool(self.requests))
        self.show_summary(self, text)
        return summary
