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
from models.letters.documents import LetterData
from reports.letters import render_letter
from ui.ops import Ops, tr
from ui.pdf_preview import PreviewPage
from ui.widgets import from_qdate
from ui.wizards.invoices_page import InvoicesPage
from ui.wizards.output import (
    OutputPage,
    Outputs,
    TextPage,
    default_file_name,
    deliver,
    email_text,
    kind_name,
    letters_dir,
    mailto_url,
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

    def add_pages(self, *middle: QWizardPage) -> None:
        """Invoices first, the wizard's own pages, then text, preview and output."""
        for page in (self.invoices_page, *middle, self.text_page, self.preview_page):
            self.addPage(page)
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
        """Write the history through ops.run; False (and nothing written) when refused."""
        return (
            self.ops.run(
                self,
                lambda: self.ledger.record_letter_sent(
                    self.client_id,
                    self.kind(),
                    self.invoice_ids(),
                    on,
                    channel=channel,
                    document_path=document_path,
                    **self.sent_details(),
                ),
                "history",
            )
            is not None
        )

    def finish_note(self) -> str:
        """What Finish records, in words."""
        return tr(
            "Terminer note l'envoi dans l'historique de {client} ; les factures passent à "
            "l'étape « {step} »."
        ).format(client=self.client.name, step=kind_name(self.kind()))

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
            self.kind(), self.ops.today(), self.client_email(), self.finish_letter, self.finish_note
        )
        self.addPage(self.output_page)
        return self.output_page

    def finish_letter(self) -> bool:
        """Ask where the letter goes, archive it, record it, then deliver it."""
        on = self.output_page.sent_on()
        if on < self.letter_date():
            why = tr("la date d'envoi précède la date de la lettre")
            self.refuse(InputError([FieldError(tr("date d'envoi"), why)]))
            return False
        try:
            letter, pdf = self.letter(), self.pdf()
        except (InputError, ValueError) as exc:
            self.refuse(exc if isinstance(exc, InputError) else InputError(str(exc)))
            return False
        name = default_file_name(self.kind(), self.client.name, self.letter_date())
        choice = self.output_page.choice()
        kept = self.outputs.archive(self, choice, name, self.letters_folder, pdf)
        if kept is None:
            return False
        archived, target, printer = kept
        channel = "email" if choice == "email" and self.kind() != "formal_notice" else ""
        if not self.record(str(archived), on, channel):
            archived.unlink(missing_ok=True)
            return False
        self.document_path = archived
        try:
            if choice == "email":
                self.prepare_email(letter, archived)
            else:
                deliver(pdf, target, printer)
        except OSError as exc:
            self.outputs.warn(
                self,
                tr(
                    "L'envoi est noté dans l'historique, mais : {e}.\nLe PDF est conservé ici : {p}"
                ).format(e=exc, p=archived),
            )
        return True

    def prepare_email(self, letter: LetterData, pdf_path: Path) -> None:
        """Open an e-mail draft with the text, show the PDF's folder, copy the text."""
        subject, body = email_text(letter, pdf_path.name)
        self.outputs.copy_text(body)
        self.outputs.open_url(mailto_url(self.output_page.email.text(), subject, body))
        self.outputs.open_url(QUrl.fromLocalFile(str(pdf_path.parent)))
