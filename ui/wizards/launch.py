"""Entry points of the letter wizards: one client's letter, or today's letters in one batch."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from models.errors import InputError
from models.ids import ClientId
from models.letters.kinds import LETTER_KINDS
from models.store.codes import B2C
from ui.ops import Ops
from ui.settings.dialog import ensure_company
from ui.wizards.reminder import LetterWizard, ReminderWizard

# Open windows without a parent are kept here so Python does not collect them while shown.
_OPEN: set[QDialog] = set()


def make_wizard(
    ops: Ops, client_id: int, invoice_ids: Sequence[int], step: str, parent: QWidget | None = None
) -> LetterWizard:
    """The wizard for a step: notice and plan have their own, every other letter the reminder."""
    if step == "formal_notice":
        from ui.wizards.notice import NoticeWizard

        return NoticeWizard(ops, client_id, invoice_ids, parent)
    if step == "payment_plan":
        from ui.wizards.plan import PlanWizard

        return PlanWizard(ops, client_id, invoice_ids, parent)
    # A step that is no letter (a call, a dossier): the wizard proposes one.
    return ReminderWizard(ops, client_id, invoice_ids, step if step in LETTER_KINDS else "", parent)


def _show(dialog: QDialog) -> None:
    """Window-modal, deleted on close, kept alive meanwhile."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _OPEN.add(dialog)
    dialog.finished.connect(lambda _result: _OPEN.discard(dialog))
    dialog.open()


def open_wizard(
    parent: QWidget | None,
    ops: Ops,
    client_id: int,
    invoice_ids: Sequence[int] = (),
    step: str = "",
    ask: bool = True,
) -> LetterWizard | None:
    """Open the letter wizard for a client, with invoices ticked and a step ("" proposes one)."""
    try:
        b2c = ops.ledger.client(ClientId(client_id)).kind == B2C
    except InputError as exc:  # unknown client
        ops.show_refusal(parent, exc)
        return None
    if ask and not ensure_company(ops, step or None, parent, b2c):
        return None
    try:
        wizard = make_wizard(ops, client_id, list(invoice_ids), step, parent)
    except InputError as exc:  # unknown client, for instance
        ops.show_refusal(parent, exc)
        return None
    wizard.switchRequested.connect(
        lambda kind, ids: open_wizard(parent, ops, client_id, ids, kind, ask=False)
    )
    _show(wizard)
    return wizard


def open_batch(parent: QWidget | None, ops: Ops) -> QDialog | None:
    """Open the batch of today's letters: one per client, printed or saved in one PDF."""
    if not ensure_company(ops, None, parent):
        return None
    from ui.wizards.batch import BatchDialog

    dialog = BatchDialog(ops, parent)
    _show(dialog)
    return dialog
