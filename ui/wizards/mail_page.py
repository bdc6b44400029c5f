"""The reminder wizard's "Canal" page: e-mail, post or both, and the e-mail as it will go.

With a sending account the e-mail is sent on Finish and recorded once the server accepted it
(models/mail/outbox.py); without one, "Ouvrir dans ma messagerie" writes an .eml draft with the
PDF attached and opens it, and the step is recorded only when the user says it was sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from models.errors import FieldError, InputError
from models.files import atomic_write
from models.ids import ClientId
from models.letters.delivery import mail_record
from models.mail import outbox
from models.mail.account import check_address
from models.mail.kinds import MAIL_KINDS
from models.mail.message import Attachment, Draft, Recipient, attachment_name, draft_eml
from ui import mail
from ui.ops import tr
from ui.wizards.output import OutputPage, email_text, no_mail_program

if TYPE_CHECKING:
    from ui.wizards.base import LetterWizard

EMAIL, POST, BOTH = "email", "post", "both"
CHANNEL_LABELS = {
    EMAIL: "Par e-mail (la lettre en PDF jointe)",
    POST: "Par courrier (imprimer ou enregistrer le PDF)",
    BOTH: "Les deux : e-mail et courrier",
}


def sent_question(parent: QWidget | None, text: str) -> bool:
    """Ask whether the draft opened in the mail program was sent (tests replace it)."""
    answer = QMessageBox.question(parent, tr("E-mail envoyé ?"), text)
    return answer == QMessageBox.StandardButton.Yes


def _forget(*paths: Path) -> None:
    """Remove the draft files of a message that did not go (a locked file is left)."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def policy_channel(wizard: LetterWizard, kind: str) -> str:
    """The policy's channel for this letter kind: e-mail, post, or both for a formal notice
    (registered letter, and its copy by e-mail); a payment plan agreed on the phone is
    confirmed by e-mail."""
    if kind == "formal_notice":
        return BOTH
    if kind == "payment_plan":
        return EMAIL
    for step in wizard.ledger.policy(wizard.client.policy_name).steps:
        if step.template == kind:
            return EMAIL if step.channel == "email" else POST
    return POST


class ChannelPage(QWizardPage):
    """How the letter goes, and the e-mail's recipients, subject, body and attachment."""

    def __init__(
        self,
        wizard: LetterWizard,
        labels: dict[str, str] | None = None,
        subtitle: str = "",
    ) -> None:
        """`labels`: the channels offered (code -> French label), all three by default."""
        super().__init__()
        self._wizard = wizard
        self.ask_sent: Callable[[QWidget | None, str], bool] = sent_question
        self.sent_path = ""  # the PDF kept with the e-mail once it went (or its draft's)
        self.setTitle(tr("Canal"))
        if subtitle:
            self.setSubTitle(subtitle)
        offered = labels or CHANNEL_LABELS
        self.radios = {code: QRadioButton(tr(label)) for code, label in offered.items()}
        group = QButtonGroup(self)
        for radio in self.radios.values():
            group.addButton(radio)
        self.account_note = QLabel()
        self.account_note.setWordWrap(True)
        self.to = QLineEdit()
        self.to.setPlaceholderText(tr("adresses séparées par des virgules"))
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.attachment = QLabel()
        form = self.form = QFormLayout()
        form.addRow(tr("Destinataires :"), self.to)
        form.addRow(tr("Objet :"), self.subject)
        form.addRow(tr("Message :"), self.body)
        form.addRow(tr("Pièce jointe :"), self.attachment)
        radios = QHBoxLayout()
        for radio in self.radios.values():
            radios.addWidget(radio)
        radios.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(radios)
        layout.addWidget(self.account_note)
        layout.addLayout(form, 1)
        group.buttonToggled.connect(self._channel_changed)
        self._filled_for: object = None

    def channel(self) -> str:
        """'email', 'post' or 'both'."""
        return next((k for k, r in self.radios.items() if r.isChecked()), POST)

    def set_channel(self, code: str) -> None:
        """Choose a channel by code."""
        self.radios[code].setChecked(True)

    def initializePage(self) -> None:
        """Preselect the policy's channel; fill the e-mail from the letter (once per letter)."""
        w = self._wizard
        letter = w.letter()
        if self._filled_for == w.letter_key():
            return
        self._filled_for = w.letter_key()
        recipients = w.ledger.mail_recipients(w.client_id)
        # Issue 15 item 3: no address, the e-mail step falls back to post (said, not skipped).
        wanted = policy_channel(w, w.kind()) if recipients else POST
        self.set_channel(wanted if wanted in self.radios else BOTH if recipients else POST)
        account = w.ledger.mail_account()
        self.account_note.setText(
            tr("Envoyé par {sender} dès que vous cliquez sur Terminer.").format(
                sender=account.sender
            )
            if account
            else tr(
                "Aucun compte d'envoi (Paramètres > E-mail) : Terminer ouvre le message dans "
                "votre messagerie (fichier .eml, PDF joint) ; l'historique le note quand vous "
                "confirmez l'avoir envoyé."
            )
        )
        out = getattr(self, "_out", None)
        if out is not None:  # issue 15 item 6: without an account, the user's own program
            out.radios["email"].setText(
                tr("Envoyer par e-mail (la lettre en PDF jointe)")
                if account
                else tr("Ouvrir dans ma messagerie (brouillon .eml, la lettre en PDF jointe)")
            )
        if not recipients:
            self.account_note.setText(
                tr("{client} n'a pas d'adresse e-mail : la relance part par courrier.").format(
                    client=w.client.name
                )
            )
        self.to.setText(", ".join(r.address for r in recipients))
        self._names = {r.address: r.name for r in recipients}
        if w.kind() in MAIL_KINDS:
            subject, body = w.ledger.mail_text(letter)
        else:
            subject, body = email_text(letter, self.file_name())
        self.subject.setText(subject)
        self.body.setPlainText(body)
        self.attachment.setText(self.file_name())
        self._channel_changed()

    def file_name(self) -> str:
        """The attachment's name: Relance-<first invoice>.pdf."""
        letter = self._wizard.letter()
        return attachment_name([line.number for line in letter.statement.lines])

    def follow(self, out: OutputPage) -> None:
        """Keep the output page in step: its "e-mail" choice is this page's e-mail channel
        (hidden when the letter cannot go by e-mail alone: the registered notice)."""
        self._out = out
        out.radios["email"].setText(tr("Envoyer par e-mail (la lettre en PDF jointe)"))
        out._form.setRowVisible(out.email, False)  # the recipients are typed on this page
        if EMAIL not in self.radios:
            out.radios["email"].setVisible(False)
            if out.choice() == "email":
                out.set_choice("print")
        out.group.buttonToggled.connect(self._output_changed)

    def note_what(self) -> str:
        """What the history will say of the e-mail, for the wizard's last page."""
        try:
            account = self._wizard.ledger.mail_account()
        except InputError:
            account = None
        if account:
            return tr(
                "« Envoyée par e-mail » une fois le message accepté par le serveur de {s}"
            ).format(s=account.sender)
        return tr(
            "« Envoyée par e-mail » seulement quand vous aurez confirmé l'envoi depuis "
            "votre messagerie"
        )

    def _output_changed(self) -> None:
        out = self._out
        if EMAIL not in self.radios:
            return
        if out.choice() == "email" and self.channel() != EMAIL:
            self.set_channel(EMAIL)
        elif out.choice() != "email" and self.channel() == EMAIL:
            self.set_channel(POST)
        out._form.setRowVisible(out.email, False)

    def _channel_changed(self) -> None:
        on = self.channel() != POST
        for widget in (self.to, self.subject, self.body, self.attachment, self.account_note):
            widget.setEnabled(on)
        out = getattr(self, "_out", None)
        if out is None:
            return
        if self.channel() == EMAIL and out.choice() != "email":
            out.set_choice("email")
        elif self.channel() != EMAIL and out.choice() == "email":
            out.set_choice("print")
        out.refresh()

    def draft(self) -> Draft:
        """The e-mail as edited; InputError naming a bad address."""
        addresses = [a.strip() for a in self.to.text().replace(";", ",").split(",") if a.strip()]
        if not addresses:
            raise InputError([FieldError(tr("destinataires"), tr("aucune adresse e-mail"))])
        errors = [e for a in addresses for e in check_address(a, tr("destinataire"))]
        if errors:
            raise InputError(errors)
        names = getattr(self, "_names", {})
        pdf = Attachment(self.file_name(), self._wizard.pdf())
        return Draft(
            tuple(Recipient(names.get(a, ""), a) for a in addresses),
            self.subject.text(),
            # No-break spaces kept ("1 234,56 €" never split); toPlainText drops them.
            self.body.document().toRawText().replace("\u2029", "\n"),
            pdf,
        )

    def validatePage(self) -> bool:
        """Next: the e-mail must be complete when it is to go."""
        if self.channel() == POST:
            return True
        try:
            self.draft()
        except InputError as exc:
            self._wizard.refuse(exc)
            return False
        return True

    # -- Finish ------------------------------------------------------------------------------
    def send(self) -> bool:
        """Send (account) or hand the .eml to the mail program; True once recorded."""
        w = self._wizard
        if not self.to.text().strip():  # say what the record lacks, offer to complete it
            if not w.check_contact("email"):
                return False
            found = w.ledger.mail_recipients(w.client_id)
            self.to.setText(", ".join(r.address for r in found) or w.output_page.email.text())
        try:
            draft = self.draft()
        except InputError as exc:
            w.refuse(exc)
            return False
        if w.ledger.mail_account() is None:
            return self._open_draft(draft)
        numbers = [line.number for line in w.letter().statement.lines]
        out = outbox.Outgoing(
            w.client_id, w.client.name, w.kind(), tuple(w.invoice_ids()), tuple(numbers), draft
        )
        summary = mail.send_with_progress(self, w.ops, [out], 1, tr("Envoi de l'e-mail"))
        if summary is None:
            return False
        if summary.count(outbox.SENT) != 1:
            w.outputs.warn(self, mail.summary_text(summary))
            return False
        self.sent_path = summary.results[0].attachment
        return True

    def _open_draft(self, draft: Draft) -> bool:
        """Write the .eml beside the letters, open it; record only when the user confirms."""
        w = self._wizard
        company = w.ledger.company()
        eml = draft_eml(draft, mail.now(), company.email, company.name)
        name = f"{self.file_name().removesuffix('.pdf')}_{w.letter_date():%Y-%m-%d}"
        try:
            w.letters_folder.mkdir(parents=True, exist_ok=True)
            path = atomic_write(w.letters_folder / f"{name}.eml", eml)
            pdf_path = atomic_write(w.letters_folder / f"{name}.pdf", w.pdf())
        except OSError as exc:
            w.outputs.warn(self, tr("Le brouillon n'a pas pu être écrit : {e}.").format(e=exc))
            return False
        if not w.outputs.open_url(QUrl.fromLocalFile(str(path))):
            _forget(path, pdf_path)
            w.outputs.warn(
                self,
                tr(
                    "La lettre n'est pas partie : {e}.\nRien n'a été noté dans l'historique."
                ).format(e=no_mail_program()),
            )
            return False
        sent = self.ask_sent(
            self,
            tr(
                "Le message est ouvert dans votre messagerie. Une fois envoyé, répondez Oui : "
                "l'historique notera « Envoyée par e-mail ». Non : rien n'est noté."
            ),
        )
        if not sent:  # not sent: no draft kept as if it were evidence, nothing recorded
            _forget(path, pdf_path)
            return False
        # The same entry as an e-mail the server accepted (a notice's copy is not the notice).
        entry, step = mail_record(w.kind())
        notes = tr("{what} — e-mail envoyé depuis la messagerie (brouillon {name})").format(
            what=entry.notes, name=path.name
        )
        done = w.ops.run(
            self,
            lambda: w.ledger.record_action(
                ClientId(w.client_id),
                w.output_page.sent_on(),
                entry.action_kind,
                invoice_ids=w.invoice_ids(),
                channel=entry.channel,
                step=step,
                outcome=entry.outcome,
                notes=notes,
                document_path=str(pdf_path),
            ),
            "history",
        )
        if done is None:
            return False
        self.sent_path = str(pdf_path)
        return True
