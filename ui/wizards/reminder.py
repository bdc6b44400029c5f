"""*Relancer*: the wizard for any letter of one client, the step proposed from the policy."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from ui.ops import Ops, tr
from ui.wizards.base import LetterWizard
from ui.wizards.invoices_page import InvoicesPage

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
        self.add_pages()

    def kind(self) -> str:
        """The step chosen on the first page."""
        return self.invoices_page.kind()
