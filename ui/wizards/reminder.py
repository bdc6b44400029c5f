"""*Relancer*: the wizard for any letter of one client, the step proposed from the policy."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from ui.ops import Ops, tr
from ui.wizards.base import LetterWizard
from ui.wizards.invoices_page import InvoicesPage
from ui.wizards.mail_page import BOTH, ChannelPage
from ui.wizards.output import kind_name

__all__ = ["InvoicesPage", "LetterWizard", "ReminderWizard"]


class ReminderWizard(LetterWizard):
    """*Relancer*: any letter kind for one client, the step proposed from the policy."""

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        invoice_ids: Sequence[int] = (),
        step: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, client_id, invoice_ids, step, parent)
        self.setWindowTitle(tr("Relancer — {client}").format(client=self.client.name))
        # Issue 15: after the preview, the channel (e-mail, post, both) and the e-mail itself.
        self.channel_page = ChannelPage(self)
        for page in (self.invoices_page, self.text_page, self.preview_page, self.channel_page):
            self.addPage(page)
        self.add_output_page()
        self.channel_page.follow(self.output_page)

    def kind(self) -> str:
        """The step chosen on the first page."""
        return self.invoices_page.kind()

    def finish_note(self) -> str:
        """What Finish records: for an e-mail, only what the server or the user confirmed."""
        out = getattr(self, "output_page", None)  # None while the output page is built
        if out is None or (out.choice() != "email" and self.channel_page.channel() != BOTH):
            return super().finish_note()
        what = self.channel_page.note_what()
        text = tr(
            "Terminer note dans l'historique de {client} : {what} ; les factures passent à "
            "l'étape « {step} »."
        ).format(client=self.client.name, what=what, step=kind_name(self.kind()))
        if self.channel_page.channel() == BOTH:
            text += " " + tr("Puis la lettre est imprimée ou enregistrée, et notée aussi.")
        return text
