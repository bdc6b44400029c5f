"""What the letter wizards share: invoices page, text, PDF preview, print/save/e-mail, Finish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QWidget,
    QWizard,
    QWizardPage,
)

from models.errors import FieldError, InputError
from models.ids import ClientId
from models.letters.delivery import EMAIL_DRAFT, PDF, PRINTED, postal_gaps, record_for
from models.letters.documents import LetterData
from reports.letters import render_letter
from ui.ops import Ops, tr
from ui.pdf_preview import PreviewPage
from ui.widgets import from_qdate
from ui.wizards.invoices_page import InvoicesPage
from ui.wizards.output import (
    COMPLETE,
    CONTINUE,
    OutputPage,
    Outputs,
    TextPage,
    default_file_name,
    deliver,
    email_text,
    kind_name,
    letters_dir,
    mailto_url,
    no_mail_program,
)


class LetterWizard(QWizard):
    """What every letter wizard shares: the client, the letter built from the pages, Finish."""

    switchRequested = Signal(str, list)  # noqa: N815 (Qt signal naming) kind, invoice ids
    default_kind = "reminder_1"

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoice_ids: Sequence[int] = (),
        step: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ledger = ops.ledger
        self.client_id = ClientId(client_id)
        self.client = self.ledger.client(self.client_id)
        self.outputs = Outputs()
        self.letters_folder = letters_dir(self.ledger)
        self.document_path: Path | None = None  # the archived PDF once recorded
        self.delivery = PDF  # what was done with the letter, set once it is done
        self._mailed = False  # the channel page's e-mail went: a second Finish does not resend
        self._letter: tuple[Hashable, LetterData] | None = None
        self._pdf: tuple[LetterData, bytes] | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in (
            (QWizard.WizardButton.NextButton, "Suivant >"),
            (QWizard.WizardButton.BackButton, "< Précédent"),
            (QWizard.WizardButton.FinishButton, "Terminer"),
            (QWizard.WizardButton.CancelButton, "Annuler"),
        ):
            self.setButtonText(button, tr(text))
        self.setMinimumSize(780, 640)
        self.text_page = TextPage(self.letter_key, self.base_letter)
        self.preview_page = PreviewPage(self.pdf)
        self.invoices_page = InvoicesPage(self, invoice_ids, step)

    def add_pages(self, *middle: QWizardPage, channel: QWizardPage | None = None) -> None:
        """Invoices first, the wizard's own pages, then text, preview, the channel page (the
        e-mail, ui/wizards/mail_page.py) when given, and output."""
        for page in (self.invoices_page, *middle, self.text_page, self.preview_page):
            self.addPage(page)
        if channel is not None:
            self.addPage(channel)
        self.add_output_page()

    # -- what a wizard may redefine ----------------------------------------------------------
    def kind(self) -> str:
        """The letter kind: the wizard's own (the reminder wizard lets the user choose)."""
        return self.default_kind

    def letter_date(self) -> dt.date:
        """The date printed on the letter (amounts and deadline are computed as of it)."""
        return from_qdate(self.invoices_page.date.date())

    def invoice_ids(self) -> list[int]:
        """The invoices ticked on the first page."""
        return self.invoices_page.checked_ids()

    def sent_details(self) -> dict[str, str]:
        """What the history records besides the letter (the LRAR number of a notice)."""
        return {}

    def letter_key(self) -> Hashable:
        """Everything the letter depends on apart from its text; a change rebuilds it."""
        return (self.kind(), tuple(self.invoice_ids()), self.letter_date())

    def make_letter(self) -> LetterData:
        """Build the letter from the choices (InputError when they do not allow one)."""
        return self.ledger.letter(
            self.client_id, self.kind(), self.letter_date(), self.invoice_ids()
        )

    def record(self, document_path: str, on: dt.date, channel: str) -> bool:
        """Write the history through ops.run; False (and nothing written) when refused.

        What is recorded is `self.delivery` (set by `finish_letter` once the output is done);
        `channel` is what that delivery means (wizards that record more use it).
        """
        return (
            self.ops.run(
                self,
                lambda: self.ledger.record_letter_sent(
                    self.client_id,
                    self.kind(),
                    self.invoice_ids(),
                    on,
                    delivery=self.delivery,
                    document_path=document_path,
                    **self.sent_details(),
                ),
                "history",
            )
            is not None
        )

    def finish_note(self) -> str:
        """What Finish records, in words, for the output chosen."""
        page = getattr(self, "output_page", None)
        choice = page.choice() if page is not None else "print"
        what = {
            "print": tr("« lettre imprimée », une fois l'impression faite"),
            "save": tr("« lettre préparée (PDF) »"),
            "email": tr(
                "« brouillon d'e-mail ouvert » : Relance ne peut pas savoir si l'e-mail est "
                "parti, vérifiez-le dans votre messagerie"
            ),
        }[choice]
        return tr(
            "Terminer note dans l'historique de {client} : {what} ; les factures passent à "
            "l'étape « {step} »."
        ).format(client=self.client.name, what=what, step=kind_name(self.kind()))

    # -- shared machinery --------------------------------------------------------------------
    def refuse(self, exc: InputError) -> None:
        """Show why the choices do not allow a letter (the one refusal style)."""
        self.ops.show_refusal(self, exc)

    def check_page(self, page: QWizardPage) -> bool:
        """Leaving a choice page: by default the letter must be possible."""
        return self.check_letter()

    def check_letter(self) -> bool:
        """Build the letter now so a problem shows on the page that caused it."""
        try:
            self.base_letter()
        except InputError as exc:
            self.refuse(exc)
            return False
        return True

    def base_letter(self) -> LetterData:
        """The letter as the template fills it, rebuilt only when a choice changed."""
        key = self.letter_key()
        if self._letter is None or self._letter[0] != key:
            self._letter = (key, self.make_letter())
        return self._letter[1]

    def letter(self) -> LetterData:
        """The letter with the text as edited on the text page."""
        return self.text_page.apply(self.base_letter())

    def pdf(self) -> bytes:
        """The letter's PDF, rendered again only when the letter changed."""
        letter = self.letter()
        if self._pdf is None or self._pdf[0] != letter:
            self._pdf = (letter, render_letter(letter))
        return self._pdf[1]

    def request_switch(self, kind: str) -> None:
        """Hand over to the wizard made for this kind, with the same invoices; record nothing."""
        self.switchRequested.emit(kind, self.invoice_ids())
        QTimer.singleShot(0, self.reject)

    def client_email(self) -> str:
        """The client's e-mail, else the first contact's that has one."""
        if self.client.email:
            return self.client.email
        return next((c.email for c in self.ledger.contacts(self.client_id) if c.email), "")

    def add_output_page(self) -> OutputPage:
        """The last page, shared by every letter wizard."""
        self.output_page = OutputPage(
            self.kind(),
            self.ops.today(),
            self.client_email(),
            self.finish_letter,
            self.finish_note,
            gap=self.contact_gap,
            complete=self.complete_client,
        )
        self.addPage(self.output_page)
        return self.output_page

    # -- the client's record must allow the output -------------------------------------------
    def contact_gap(self, choice: str) -> str:
        """What the client's record lacks for this output, in a sentence ('' when nothing)."""
        c = self.client
        if choice in ("print", "save"):
            gaps = postal_gaps(c.street, c.locality, c.postal_code, c.city, c.country)
            if gaps:
                return tr(
                    "L'adresse postale de {client} est incomplète (manque : {what}) : la "
                    "lettre ne pourrait pas partir par la poste."
                ).format(client=c.name, what=", ".join(tr(g) for g in gaps))
        page = getattr(self, "output_page", None)
        typed = page.email.text().strip() if page is not None else self.client_email()
        if choice == "email" and not typed:
            return tr(
                "{client} n'a pas d'adresse e-mail : complétez la fiche client ou tapez "
                "l'adresse ci-dessus."
            ).format(client=c.name)
        return ""

    def complete_client(self) -> bool:
        """Open the client's dialog; once saved, the letter is rebuilt with the new details."""
        if not self.outputs.edit_client(self, self.ops, self.client_id):
            return False
        self.client = self.ledger.client(self.client_id)
        self._letter = self._pdf = None  # the address printed on the letter changed
        page = getattr(self, "output_page", None)
        if page is not None and not page.email.text().strip():
            page.email.setText(self.client_email())
        return True

    def check_contact(self, choice: str) -> bool:
        """Before producing the letter: say what the record lacks and offer to complete it."""
        gap = self.contact_gap(choice)
        if not gap:
            return True
        answer = self.outputs.ask_complete(self, gap)
        if answer == CONTINUE:
            return True
        if answer == COMPLETE and self.complete_client():
            self.output_page.refresh()
            return self.check_contact(choice)
        return False

    # -- Finish ------------------------------------------------------------------------------
    def finish_letter(self) -> bool:
        """With a channel page (ui/wizards/mail_page.py): the e-mail first, once, sent and
        recorded (or its draft confirmed); then, unless it goes by e-mail only, the letter."""
        page = getattr(self, "channel_page", None)
        by_mail = self.output_page.choice() == "email"
        if page is not None and (by_mail or page.channel() == "both"):
            if not self._mailed:
                if not page.send():
                    return False
                self._mailed = True
            if by_mail:
                return self.finish_mail_only()
        return self.finish_post()

    def finish_mail_only(self) -> bool:
        """After the e-mail went by itself (recorded with it): what else Finish does."""
        return True

    def finish_post(self) -> bool:
        """Check the client's record, archive the letter, deliver it; record only what was done.

        When the printing, the file or the mail program fails, the user is told why, the
        archived copy is removed and nothing is recorded.
        """
        on = self.output_page.sent_on()
        if on < self.letter_date():
            why = tr("la date d'envoi précède la date de la lettre")
            self.refuse(InputError([FieldError(tr("date d'envoi"), why)]))
            return False
        choice = self.output_page.choice()
        if not self.check_contact(choice):
            return False
        try:
            letter, pdf = self.letter(), self.pdf()
        except (InputError, ValueError) as exc:
            self.refuse(exc if isinstance(exc, InputError) else InputError(str(exc)))
            return False
        name = default_file_name(self.kind(), self.client.name, self.letter_date())
        kept = self.outputs.archive(self, choice, name, self.letters_folder, pdf)
        if kept is None:
            return False
        archived, target, printer = kept
        try:
            if choice == "email":
                self.prepare_email(letter, archived)
                self.delivery = EMAIL_DRAFT
            else:
                deliver(pdf, target, printer)
                self.delivery = PRINTED if choice == "print" else PDF
        except OSError as exc:
            archived.unlink(missing_ok=True)
            self.outputs.warn(
                self,
                tr(
                    "La lettre n'est pas partie : {e}.\nRien n'a été noté dans l'historique."
                ).format(e=exc),
            )
            return False
        channel = record_for(self.kind(), self.delivery, **self.sent_details()).channel
        if not self.record(str(archived), on, channel):
            archived.unlink(missing_ok=True)
            return False
        self.document_path = archived
        return True

    def prepare_email(self, letter: LetterData, pdf_path: Path) -> None:
        """Open an e-mail draft with the text, copy the text, show the PDF's folder.

        OSError when no mail program takes the draft: then nothing was handed over.
        """
        subject, body = email_text(letter, pdf_path.name)
        self.outputs.copy_text(body)
        if not self.outputs.open_url(mailto_url(self.output_page.email.text(), subject, body)):
            raise no_mail_program()
        self.outputs.open_url(QUrl.fromLocalFile(str(pdf_path.parent)))
