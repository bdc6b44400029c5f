"""Édition > Annuler / Rétablir: commands over the domain's operations (a QUndoStack in Ops).

A command is pushed once its operation was accepted by the Ledger (its first redo does
nothing). Undo and redo never delete: each is a new recorded correction (a payment cancelled
or recorded again, an invoice restored, a value changed back), with a history line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from models.ids import ActionId, ClientId, InvoiceId, PaymentId
from ui.ops import Ops, tr

# The reasons the history lines give for an undo and a redo.
UNDO_REASON = "Édition > Annuler"
REDO_REASON = "Édition > Rétablir"


class LedgerCommand(QUndoCommand):
    """A domain operation already done; `back` and `again` are the corrections to run."""

    def __init__(self, ops: Ops, text: str) -> None:
        super().__init__(text)
        self.ops = ops
        self._pushed = True  # the first redo() is QUndoStack.push's: the work is done already

    def redo(self) -> None:
        """Redo (not on push): run `again` through Ops (a refusal is shown there)."""
        if self._pushed:
            self._pushed = False
            return
        self.ops.run(None, lambda: self.again(self.ops.today()), "invoices")

    def undo(self) -> None:
        """Undo: run `back` through Ops, a correction with its history line."""
        self.ops.run(None, lambda: self.back(self.ops.today()), "invoices")

    def live(self, payment_id: int) -> PaymentId:
        """The payment's current id (it may have been recorded again by an undo)."""
        moved = self.ops.moved_payments
        while payment_id in moved:
            payment_id = moved[payment_id]
        return PaymentId(payment_id)

    def reinstate(self, payment_id: int, on: dt.date, reason: str, replacing: int = 0) -> None:
        """Record a cancelled payment again (in place of `replacing`); remember its new id."""
        old = self.live(payment_id)
        other = self.live(replacing) if replacing else None
        new = self.ops.ledger.reinstate_payment(old, on, reason, replacing=other)
        self.ops.moved_payments[old] = new

    def back(self, on: dt.date) -> None:
        """The correction that undoes the operation (a subclass writes it)."""
        raise NotImplementedError

    def again(self, on: dt.date) -> None:
        """The correction that does it again (a subclass writes it)."""
        raise NotImplementedError


def done(ops: Ops, command: LedgerCommand) -> None:
    """Put an accepted operation on the window's undo stack."""
    ops.undo_stack.push(command)


class PaymentRecorded(LedgerCommand):
    """A payment recorded: undo cancels it, redo records it again."""

    def __init__(self, ops: Ops, payment_id: int, number: str) -> None:
        super().__init__(ops, tr("paiement sur la facture {n}").format(n=number))
        self.payment_id = PaymentId(payment_id)

    def back(self, on: dt.date) -> None:
        """Cancel the payment (it stays, flagged)."""
        self.ops.ledger.cancel_payment(self.live(self.payment_id), on, UNDO_REASON)

    def again(self, on: dt.date) -> None:
        """Record it again (a new entry)."""
        self.reinstate(self.payment_id, on, REDO_REASON)


class PaymentCancelled(LedgerCommand):
    """A payment cancelled: undo records it again, redo cancels that one."""

    def __init__(self, ops: Ops, payment_id: int, reason: str) -> None:
        super().__init__(ops, tr("annulation d'un paiement"))
        self.payment_id = PaymentId(payment_id)
        self.reason = reason

    def back(self, on: dt.date) -> None:
        """Record the payment again."""
        self.reinstate(self.payment_id, on, UNDO_REASON)

    def again(self, on: dt.date) -> None:
        """Cancel it again, with the first reason."""
        reason = f"{self.reason} ({REDO_REASON})"
        self.ops.ledger.cancel_payment(self.live(self.payment_id), on, reason)


class PaymentCorrected(LedgerCommand):
    """A payment corrected: undo puts the original back in place of the correction."""

    def __init__(self, ops: Ops, old_id: int, new_id: int) -> None:
        super().__init__(ops, tr("correction d'un paiement"))
        self.old_id, self.new_id = PaymentId(old_id), PaymentId(new_id)

    def back(self, on: dt.date) -> None:
        """The original again, the correction cancelled (one transaction)."""
        self.reinstate(self.old_id, on, UNDO_REASON, replacing=self.new_id)

    def again(self, on: dt.date) -> None:
        """The correction again, the original cancelled."""
        self.reinstate(self.new_id, on, REDO_REASON, replacing=self.old_id)


class ActionRecorded(LedgerCommand):
    """A history line recorded (a call note, a promise): undo flags it cancelled, redo copies it."""

    def __init__(self, ops: Ops, action_id: int, what: str) -> None:
        super().__init__(ops, what)
        self.action_id = ActionId(action_id)

    def back(self, on: dt.date) -> None:
        """Flag the line cancelled (it stays in the history)."""
        self.ops.ledger.cancel_action(self.action_id, on, UNDO_REASON)

    def again(self, on: dt.date) -> None:
        """Record the line again (a new one, the same facts)."""
        self.action_id = self.ops.ledger.reinstate_action(self.action_id, on, REDO_REASON)


class DisputeMarked(LedgerCommand):
    """An invoice marked disputed: undo settles the dispute (a history line), redo marks it."""

    def __init__(self, ops: Ops, invoice_id: int, reason: str) -> None:
        super().__init__(ops, tr("litige"))
        self.invoice_id, self.reason = InvoiceId(invoice_id), reason

    def back(self, on: dt.date) -> None:
        """Settle the dispute, saying why."""
        self.ops.ledger.resolve_dispute(self.invoice_id, on, f"Litige levé ({UNDO_REASON})")

    def again(self, on: dt.date) -> None:
        """Mark it disputed again, with the client's reason."""
        self.ops.ledger.mark_disputed(self.invoice_id, on, self.reason)


class WrittenOff(LedgerCommand):
    """An invoice written off: undo cancels the write-off (a history line), redo writes off."""

    def __init__(self, ops: Ops, invoice_id: int, reason: str) -> None:
        super().__init__(ops, tr("passage en perte"))
        self.invoice_id, self.reason = InvoiceId(invoice_id), reason

    def back(self, on: dt.date) -> None:
        """The invoice is chased again."""
        self.ops.ledger.cancel_write_off(self.invoice_id, on, UNDO_REASON)

    def again(self, on: dt.date) -> None:
        """Written off again, with the first reason."""
        self.ops.ledger.write_off(self.invoice_id, on, self.reason)


class InvoicesArchived(LedgerCommand):
    """Invoices archived (or restored): undo does the opposite, each a history line."""

    def __init__(self, ops: Ops, invoice_ids: Sequence[int], archived: bool) -> None:
        text = tr("archivage") if archived else tr("restauration")
        super().__init__(ops, text)
        self.invoice_ids = [InvoiceId(i) for i in invoice_ids]
        self.archived = archived

    def back(self, on: dt.date) -> None:
        """Restore (or archive again) every invoice."""
        for inv in self.invoice_ids:
            self.ops.ledger.archive_invoice(inv, not self.archived, on=on)

    def again(self, on: dt.date) -> None:
        """Archive (or restore) them again."""
        for inv in self.invoice_ids:
            self.ops.ledger.archive_invoice(inv, self.archived, on=on)


class InvoiceEdited(LedgerCommand):
    """An invoice's fields changed: undo sets the old values back (a history line)."""

    def __init__(
        self, ops: Ops, invoice_id: int, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        super().__init__(ops, tr("modification de la facture"))
        self.invoice_id = InvoiceId(invoice_id)
        self.before, self.after = before, after

    def back(self, on: dt.date) -> None:
        """The old values again."""
        self.ops.ledger.update_invoice(self.invoice_id, on=on, reason=UNDO_REASON, **self.before)

    def again(self, on: dt.date) -> None:
        """The new values again."""
        self.ops.ledger.update_invoice(self.invoice_id, on=on, reason=REDO_REASON, **self.after)


class PauseChanged(LedgerCommand):
    """A client's reminders paused or resumed: undo puts the pause back as it was."""

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        before: tuple[dt.date | None, str],
        after: tuple[dt.date | None, str],
    ) -> None:
        super().__init__(ops, tr("suspension des relances") if after[0] else tr("reprise"))
        self.client_id, self.before, self.after = ClientId(client_id), before, after

    def back(self, on: dt.date) -> None:
        """The pause as it was before (lifted when there was none)."""
        self.ops.ledger.pause(*self.before, client_id=self.client_id)

    def again(self, on: dt.date) -> None:
        """The pause as the user set it."""
        self.ops.ledger.pause(*self.after, client_id=self.client_id)


def pause_client(ops: Ops, client_id: int, until: dt.date | None, reason: str = "") -> None:
    """Pause (or resume, `until` None) a client's reminders, undoable with Ctrl+Z."""
    client = ops.ledger.client(ClientId(client_id))
    before = (client.paused_until, client.pause_reason or "")
    ops.ledger.pause(until, reason, client_id=ClientId(client_id))
    done(ops, PauseChanged(ops, client_id, before, (until, reason if until else "")))


def follow_stack(stack: QUndoStack, undo: QAction, redo: QAction) -> None:
    """Keep Annuler / Rétablir enabled and named after what they would undo or redo."""

    def refresh() -> None:
        if not all(map(shiboken6.isValid, (stack, undo, redo))):  # the window is closing
            return
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        what, again = stack.undoText(), stack.redoText()
        undo.setText(tr("Annuler : {w}").format(w=what) if what else tr("Annuler"))
        redo.setText(tr("Rétablir : {w}").format(w=again) if again else tr("Rétablir"))

    stack.indexChanged.connect(lambda _index: refresh())
    refresh()
