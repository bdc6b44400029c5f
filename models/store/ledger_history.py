"""The Ledger's history corrections: a line cancelled with a reason, or recorded again.

A letter printed or sent is not "undone": its line can be marked cancelled with a reason and
stays in the history (DESIGN: a record says what happened). A cancelled line no longer moves
the stages nor interrupts prescription (models/store/facts.py reads only live lines).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import text

from models.errors import FieldError, InputError
from models.ids import ActionId, InvoiceId
from models.store.codes import CORRECTION_KIND
from models.store.ledger_payments import LedgerPayments

if TYPE_CHECKING:  # the ORM is imported where a method uses it (the window's start)
    from models.store.tables import Action, Invoice


class LedgerHistory(LedgerPayments):
    """History lines cancelled or recorded again; each write is one transaction."""

    def written_by_others(self, name: str) -> bool:
        """Whether a history line was recorded under another name than `name` (issue 18).

        One plain query: asked as the window opens, which needs no ORM otherwise.
        """
        with self._read() as conn:
            found = conn.execute(
                text(
                    "SELECT 1 FROM action WHERE done_by IS NOT NULL AND done_by != ''"
                    " AND done_by != :name LIMIT 1"
                ),
                {"name": name},
            ).first()
        return found is not None

    def cancel_action(self, action_id: ActionId, on: dt.date, reason: str) -> None:
        """Flag a history line cancelled with its reason; a correction line says so."""
        from sqlmodel import select

        from models.store.tables import Action, ActionInvoice

        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez pourquoi la ligne est annulée")])
        with self._write() as s:
            action: Action = self._get(s, Action, action_id, "action")
            if action.cancelled_on is not None:
                raise InputError(
                    f"cette ligne est déjà annulée (le {action.cancelled_on:%d/%m/%Y})"
                )
            if action.kind == CORRECTION_KIND:
                raise InputError(
                    "une ligne de correction ne s'annule pas : elle dit ce qui a changé"
                )
            action.cancelled_on, action.cancel_reason = on, reason.strip()
            links = list(
                s.exec(select(ActionInvoice.invoice_id).where(ActionInvoice.action_id == action_id))
            )
            text = f"Ligne du {action.date:%d/%m/%Y} ({action.kind}) annulée : {reason.strip()}"
            self._add_action(s, action.client_id, on, CORRECTION_KIND, "", "", text, links)

    def cancel_write_off(self, invoice_id: InvoiceId, on: dt.date, reason: str) -> None:
        """The invoice is recoverable after all: it is chased again; a correction line says so."""
        from models.store.tables import Invoice

        if not reason.strip():
            raise InputError([FieldError("motif", "indiquez pourquoi la perte est annulée")])
        with self._write() as s:
            inv: Invoice = self._get(s, Invoice, invoice_id, "facture")
            if not inv.written_off:
                raise InputError(f"la facture {inv.number} n'est pas passée en perte")
            inv.written_off, inv.written_off_on = False, None
            text = f"Passage en perte de la facture {inv.number} annulé : {reason.strip()}"
            self._add_action(s, inv.client_id, on, CORRECTION_KIND, "", "", text, [invoice_id])

    def reinstate_action(self, action_id: ActionId, on: dt.date, reason: str) -> ActionId:
        """Record a cancelled line again (an undo): a new line with the same facts."""
        from sqlmodel import select

        from models.store.tables import Action, ActionInvoice

        with self._write() as s:
            old: Action = self._get(s, Action, action_id, "action")
            if old.cancelled_on is None:
                raise InputError("cette ligne n'est pas annulée : rien à rétablir")
            links = list(
                s.exec(select(ActionInvoice.invoice_id).where(ActionInvoice.action_id == action_id))
            )
            copied = old.model_dump(
                exclude={"id", "cancelled_on", "cancel_reason", "created_at", "done_by"}
            )
            new_id = self._add_action(
                s,
                copied.pop("client_id"),
                copied.pop("date"),
                copied.pop("kind"),
                copied.pop("channel"),
                copied.pop("step"),
                copied.pop("notes"),
                links,
                **copied,
            )
            text = f"Ligne du {old.date:%d/%m/%Y} ({old.kind}) rétablie : {reason.strip()}"
            self._add_action(s, old.client_id, on, CORRECTION_KIND, "", "", text, links)
            return new_id
