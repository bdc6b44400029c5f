"""Hand-over: the dossier given to a lawyer, an agency or a commissaire de justice, recorded.

The history gets one "handover" entry on the claim's invoices (channel "dossier", the dossier
PDF as its document), which moves them to the handed_over stage (models/law/stages.py), and
the pieces it included are marked as in a dossier: they can no longer be taken off the list.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.errors import FieldError, InputError
from models.ids import ActionId, ClientId
from models.litigation.case import ClaimFile
from models.litigation.pieces import mark_in_dossier
from models.store.ledger import Ledger


def record_handover(
    ledger: Ledger, claim: ClaimFile, to: str, on: dt.date, dossier_pdf: Path | None = None
) -> ActionId:
    """Record that the claim's dossier was handed to `to` on `on`; returns the history entry."""
    to = to.strip()
    if not to:
        raise InputError([FieldError("destinataire", "indiquez à qui le dossier est transmis")])
    if not claim.facts:
        raise InputError("aucune facture échue et impayée à transmettre")
    action = ledger.record_action(
        ClientId(claim.client.id or 0),
        on,
        "handover",
        invoice_ids=[f.id for f in claim.facts],
        channel="dossier",
        outcome=f"Dossier transmis à {to}",
        notes=f"Créance de {claim.statement.total:.2f} € au {claim.as_of:%d/%m/%Y}".replace(
            ".", ",", 1
        ),
        document_path=str(dossier_pdf) if dossier_pdf else "",
    )
    mark_in_dossier(ledger, [p.piece_id for p in claim.pieces if p.piece_id is not None], on)
    return action
