"""Optimistic locking (issue 18): every change of a shared row bumps its version.

Two people on one ledger may open the same invoice. Each write opens its own transaction; a
`before_flush` hook there gives every changed row of `Versioned` tables a new version and
notes who changed it, when and what (the field names, or the sentence the Ledger gave). A
write made from a copy read at an older version is refused (`ConflictError`) with that note:
nothing is overwritten in silence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import attributes
from sqlmodel import Session

from models.errors import ConflictError, NotFoundError
from models.money import format_eur
from models.store.tables import Client, Contact, Invoice, Payment, Versioned

META_FIELDS = frozenset({"version", "changed_by", "changed_at", "change_note"})
# A changed field as the conflict message names it.
FIELD_LABELS = {
    "name": "nom",
    "number": "numéro",
    "client_id": "client",
    "issue_date": "date d'émission",
    "due_date": "échéance",
    "amount_ttc_cents": "montant TTC",
    "amount_ht_cents": "montant HT",
    "vat_cents": "TVA",
    "deposit_cents": "acompte",
    "subject": "objet",
    "order_number": "n° de commande",
    "email": "e-mail",
    "phone": "téléphone",
    "street": "rue",
    "city": "ville",
    "postal_code": "code postal",
    "payment_notes": "notes de règlement",
    "disputed": "litige",
    "written_off": "passage en perte",
    "paused_until": "pause des relances",
    "archived": "archivage",
    "cancelled_on": "annulation",
    "amount_cents": "montant",
    "date": "date",
    "method": "moyen de paiement",
    "reference": "référence",
    "role": "fonction",
    "accounts_payable": "contact comptable",
}
_NOTES = "relance_change_notes"
_WHO = "relance_user"
_WHEN = "relance_now"


def watch(session: Session, user: str, now: dt.datetime) -> None:
    """Version the rows this write transaction changes, in the name of `user` at `now`."""
    session.info[_WHO] = user
    session.info[_WHEN] = now
    session.info[_NOTES] = {}
    event.listen(session, "before_flush", _bump)


def session_user(session: Session) -> str | None:
    """Who the write transaction works for (None outside a Ledger write)."""
    who = session.info.get(_WHO)
    return str(who) if who else None


def session_time(session: Session) -> dt.datetime | None:
    """When the write transaction happens (None outside a Ledger write)."""
    when = session.info.get(_WHEN)
    return when if isinstance(when, dt.datetime) else None


def note(session: Session, row: Versioned, text: str) -> None:
    """Say what this write does to `row` ('paiement de 100,00 € enregistré'); it counts as a
    change even when no column of the row itself changes (a payment added to an invoice)."""
    session.info.setdefault(_NOTES, {})[id(row)] = text
    attributes.flag_modified(row, "change_note")


def _bump(session: Session, _context: Any, _instances: Any) -> None:
    """before_flush: a new version, the author, the time and the note for each changed row."""
    notes: dict[int, str] = session.info.get(_NOTES, {})
    for row in list(session.dirty):
        if not isinstance(row, Versioned) or not session.is_modified(row):
            continue
        state = sa_inspect(row)
        fields = [
            name
            for name in state.mapper.column_attrs.keys()  # noqa: SIM118 (a view, not a dict)
            if name not in META_FIELDS and state.attrs[name].history.has_changes()
        ]
        text = notes.pop(id(row), "")
        if not fields and not text:
            continue
        if not text:
            text = "champs modifiés : " + ", ".join(FIELD_LABELS.get(f, f) for f in fields)
        row.version = (row.version or 1) + 1
        row.changed_by = session.info.get(_WHO, "")
        row.changed_at = session.info.get(_WHEN)
        row.change_note = text


def describe(row: Versioned) -> tuple[str, str]:
    """('la facture FA-12', 'modifiée'): the record and its past participle, in French."""
    if isinstance(row, Invoice):
        return f"la facture {row.number}", "modifiée"
    if isinstance(row, Client):
        return f"le client {row.name}", "modifié"
    if isinstance(row, Contact):
        return f"le contact {row.name}", "modifié"
    if isinstance(row, Payment):
        amount = format_eur(row.amount_cents, cents=True)
        return f"le paiement de {amount} du {row.date:%d/%m/%Y}", "modifié"
    return "cette fiche", "modifiée"


def conflict(row: Versioned, expected: int) -> ConflictError:
    """The refusal of an edit made on version `expected` of `row`: what, who, when."""
    what, done = describe(row)
    who = row.changed_by or "un autre utilisateur"
    when = f" le {row.changed_at.astimezone():%d/%m/%Y à %H:%M}" if row.changed_at else ""
    more = row.version - expected - 1
    others = f" (et {more} autre(s) modification(s) avant)" if more > 0 else ""
    said = f" : {row.change_note}" if row.change_note else ""
    text = (
        f"{what[0].upper()}{what[1:]} a été {done} par {who}{when} pendant que vous la "
        f"consultiez{said}{others}. Rien n'a été enregistré : rechargez pour voir les valeurs "
        "actuelles, puis refaites votre modification"
    )
    if done.endswith("é"):
        text = text.replace("pendant que vous la consultiez", "pendant que vous le consultiez")
    return ConflictError(what, text, row.version)


def fetch(
    session: Session, table: type[Versioned], key: int, what: str, expected: int | None
) -> Any:
    """The row to edit, locked for the transaction on a server (SELECT ... FOR UPDATE), and
    refused with a ConflictError when it is no longer at the `expected` version."""
    row = session.get(table, key, with_for_update=expected is not None)
    if row is None:
        raise NotFoundError(f"{what} introuvable (n° {key})")
    if expected is not None and row.version != expected:
        raise conflict(row, expected)
    return row
