"""Entry points of the letter wizards: one client's letter, or today's letters in one batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from models.documents import LETTER_KINDS
from models.errors import InputError
from ui.ops import Ops, tr
from ui.reminder_wizard import LetterWizard, ReminderWizard

# Open windows without a parent are kept here so Python does not collect them while shown.
_OPEN: set[QDialog] = set()


def ask_identity(parent: QWidget | None, missing: Sequence[str]) -> str:
    """Ask what to do when the company identity is incomplete: settings, continue or cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Votre identité"))
    box.setText(
        tr(
            "Avant la première lettre, renseignez l'identité de votre entreprise : elle "
            "figure en en-tête et en pied de page."
        )
    )
    box.setInformativeText(tr("À compléter : {fields}.").format(fields=", ".join(missing)))
    settings = box.addButton(tr("Ouvrir les paramètres…"), QMessageBox.ButtonRole.AcceptRole)
    go_on = box.addButton(tr("Continuer quand même"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return "settings" if clicked is settings else "continue" if clicked is go_on else "cancel"


def open_settings(parent: QWidget | None, ops: Ops) -> None:
    """The settings dialog, when that screen is installed."""
    try:
        from ui.settings_dialog import SettingsDialog
    except ImportError:
        return
    SettingsDialog(ops, parent).exec()


# Replaceable for tests, which must not block on a modal box.
ask_identity_hook: Callable[[QWidget | None, Sequence[str]], str] = ask_identity
open_settings_hook: Callable[[QWidget | None, Ops], None] = open_settings


def ensure_identity(parent: QWidget | None, ops: Ops, kind: str | None) -> bool:
    """A first letter with no identity set asks for it first; False when the user cancels."""
    missing_for = getattr(ops.ledger, "company_missing", None)
    if not callable(missing_for):
        return True
    try:
        missing = list(missing_for(kind))
    except TypeError:  # an older signature without the kind
        missing = list(missing_for())
    if not missing:
        return True
    answer = ask_identity_hook(parent, missing)
    if answer == "settings":
        open_settings_hook(parent, ops)
    return answer != "cancel"


def make_wizard(
    ops: Ops, client_id: int, invoice_ids: Sequence[int], step: str, parent: QWidget | None = None
) -> LetterWizard:
    """The wizard for a step: notice and plan have their own, every other letter the reminder."""
    if step == "formal_notice":
        from ui.notice_wizard import NoticeWizard

        return NoticeWizard(ops, client_id, invoice_ids, parent)
    if step == "payment_plan":
        from ui.plan_wizard import PlanWizard

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
    if ask and not ensure_identity(parent, ops, step or None):
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
    if not ensure_identity(parent, ops, None):
        return None
    from ui.batch_print import BatchDialog

    dialog = BatchDialog(ops, parent)
    _show(dialog)
    return dialog
