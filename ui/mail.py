"""What the e-mail screens share: this session's passwords, asking one, sending with progress."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QProgressDialog, QWidget

from models.errors import InputError
from models.mail import outbox
from models.mail.account import MailAccount, NoPasswordError, Passwords
from models.store.ledger import Ledger
from ui import background
from ui.ops import Ops, tr

# One per run of the application: a password typed when no keyring exists lives here only.
PASSWORDS = Passwords()

STATUS_WORDS = {
    outbox.SENT: "envoyé",
    outbox.FAILED: "échec",
    outbox.NOT_SENT: "non envoyé",
    outbox.NO_ADDRESS: "pas d'adresse e-mail : par courrier",
    outbox.UNKNOWN: "état inconnu",
    outbox.TAKEN: "déjà fait depuis un autre poste",
}


def type_password(parent: QWidget | None, account: MailAccount) -> str | None:
    """Ask the SMTP password (hidden); None when cancelled."""
    text, ok = QInputDialog.getText(
        parent,
        tr("Mot de passe SMTP"),
        tr("Mot de passe de {user} sur {host} :").format(user=account.user, host=account.host),
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


# Replaced in tests (a modal input box would block them).
ask_password: Callable[[QWidget | None, MailAccount], str | None] = type_password


def password_for(parent: QWidget | None, account: MailAccount) -> str | None:
    """The account's password: keyring, session or environment, else asked now."""
    try:
        return PASSWORDS.require(account)
    except NoPasswordError:
        typed = ask_password(parent, account)
        if typed is None:
            return None
        PASSWORDS.set(account, typed)  # to the keyring when there is one, else this session
        return typed


def now() -> dt.datetime:
    """The local time of sending (the Date header and the history's entry)."""
    return dt.datetime.now().astimezone()


Messages = Iterable[outbox.Outgoing] | Callable[[Ledger], Iterable[outbox.Outgoing]]


def send_with_progress(
    parent: QWidget | None,
    ops: Ops,
    messages: Messages,
    total: int,
    title: str,
    *,
    once: bool = False,
) -> outbox.Summary | None:
    """Send messages behind a progress dialog that can be cancelled between two messages.

    `once`: the day's batch; a step another machine sent meanwhile is not sent (issue 18).

    The sending runs off the interface thread (ui.background.wait_for): the window keeps
    running while the server answers. `messages` is a list of ready messages, or a function
    that builds them from the sending thread's Ledger (a batch's letters and PDFs are made
    there too, one at a time). None when there is no account or no password; else the summary
    (what was sent is recorded, one transaction each, even when the batch stopped).
    """
    account = ops.ledger.mail_account()
    if account is None:
        ops.show_refusal(parent, InputError(tr("aucun compte d'envoi : Paramètres > E-mail")))
        return None
    password = password_for(parent, account)
    if password is None:
        return None
    progress = QProgressDialog(tr("Envoi des e-mails…"), tr("Annuler"), 0, total, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    cancel = threading.Event()
    done = 0

    def cancelled() -> None:
        cancel.set()
        progress.setLabelText(tr("Annulation après le message en cours…"))

    def step(_result: object) -> None:
        nonlocal done
        done += 1
        progress.setValue(done)
        if not cancel.is_set():
            progress.setLabelText(tr("Envoi des e-mails… {n}/{total}").format(n=done, total=total))
        if not background.can_thread(ops.ledger.url):
            QCoreApplication.processEvents()  # same thread: let the dialog take a click

    def work(ledger: Ledger, post: Callable[[object], None]) -> outbox.Summary:
        found = messages(ledger) if callable(messages) else messages
        return outbox.send_all(
            ledger,
            account,
            password,
            found,
            now,
            cancelled=cancel.is_set,
            progress=post,
            once=once,
        )

    # Annuler stops after the message under way (the server is answering it): the dialog
    # stays up saying so, instead of hiding while the last answer is awaited.
    progress.canceled.disconnect(progress.cancel)
    progress.canceled.connect(cancelled)
    progress.show()
    QCoreApplication.processEvents()
    try:
        summary: outbox.Summary | None = background.wait_for(ops, work, step)
    except InputError as exc:  # a text that cannot be filled: said, what was sent is kept
        ops.show_refusal(parent, exc)
        summary = None
    finally:
        progress.close()
        ops.changed.emit("history")
    return summary


def summary_text(summary: outbox.Summary) -> str:
    """The summary in French: counts, why it stopped, then each message not sent."""
    lines = [
        tr("{n} e-mail(s) envoyé(s) et noté(s) dans l'historique.").format(
            n=summary.count(outbox.SENT)
        )
    ]
    if summary.stopped:
        lines.append(tr("Envoi interrompu : {why}.").format(why=summary.stopped))
    for r in summary.results:
        if r.status != outbox.SENT:
            word = tr(STATUS_WORDS.get(r.status, r.status))
            lines.append(f"• {r.client} : {word}" + (f" — {r.error}" if r.error else ""))
    if summary.count(outbox.NOT_SENT) or summary.count(outbox.FAILED):
        lines.append(tr("Relancez l'envoi plus tard : rien ne sera envoyé deux fois."))
    return "\n".join(lines)
