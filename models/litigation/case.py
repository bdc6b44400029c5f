"""The file of a claim read from the ledger: its invoices, décompte, chronology, pieces, case.

Everything the dossier PDF, the injunction request and the route assistant print comes from
here; the amounts come from `statement_of_account` (kind "formal_notice"), so the dossier's
totals are the formal notice's figures for the same date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.ids import ClientId
from models.law.policy import CHANNEL_LABELS
from models.law.prescription import Prescription, prescription
from models.law.stages import InvoiceFacts
from models.letters.delivery import postal_gaps
from models.letters.documents import Company
from models.letters.statement import Statement, statement_of_account
from models.litigation.pieces import CONTRACT_KINDS, PieceRow, pieces_for
from models.litigation.routes import RouteCase
from models.money import format_eur, from_cents
from models.store.ledger import Ledger
from models.store.tables import Action, Client

KIND_LABELS = {
    "call": "Appel",
    "email": "E-mail",
    "letter": "Courrier",
    "registered_letter": "Lettre recommandée",
    "formal_notice": "Mise en demeure",
    "promise": "Promesse de paiement",
    "agreement": "Accord / échéancier",
    "dispute": "Litige",
    "handover": "Transmission du dossier",
    "legal_step": "Procédure",
    "note": "Note",
    "acknowledgement": "Reconnaissance de dette",
    "court_filing": "Demande en justice",
}
# A formal notice counts as sent once it left by some channel (a PDF only saved has none).
SENT_CHANNELS = frozenset({"letter", "registered_letter", "email"})


@dataclass(frozen=True)
class ChronologyEntry:
    """One action of the history as the dossier's chronology prints it."""

    date: dt.date
    what: str
    channel: str
    invoices: tuple[str, ...]
    detail: str
    by: str = ""  # who recorded it (issue 18); empty on lines older than that


@dataclass(frozen=True)
class ClaimFile:
    """Everything known of one client's claim as of a date (the dossier's data object)."""

    as_of: dt.date
    company: Company
    client: Client
    facts: tuple[InvoiceFacts, ...]
    statement: Statement
    chronology: tuple[ChronologyEntry, ...]
    pieces: tuple[PieceRow, ...]
    prescriptions: tuple[tuple[str, Prescription], ...]
    notice: Action | None
    notice_deadline: dt.date | None

    @property
    def b2c(self) -> bool:
        """The debtor is a consumer."""
        return self.client.kind == "b2c"

    @property
    def earliest_prescription(self) -> Prescription | None:
        """The claim that expires first (the date to act before)."""
        dated = [p for _, p in self.prescriptions if p.expires_on is not None]
        return min(dated, key=lambda p: p.expires_on or dt.date.max) if dated else None

    @property
    def prescription_text(self) -> str:
        """The earliest expiry in one sentence, with what interrupted it."""
        p = self.earliest_prescription
        return p.text() if p is not None else ""

    @property
    def claim_line(self) -> str:
        """The claim in one line: 'Créance de 3 120,45 € (…) au 01/03/2026 sur 2 factures'."""
        s = self.statement
        n = len(s.claimed_lines)
        parts = f"principal {format_eur(s.principal)}"
        if s.penalties > 0:
            word = "intérêts au taux légal" if self.b2c else "pénalités de retard"
            parts += f", {word} {format_eur(s.penalties)}"
        if s.indemnity > 0:
            parts += f", indemnités forfaitaires {format_eur(s.indemnity)}"
        plural = "s" if n > 1 else ""
        return (
            f"Créance de {format_eur(s.total)} au {self.as_of:%d/%m/%Y} ({parts}) "
            f"sur {n} facture{plural} impayée{plural}"
        )

    @property
    def debtor_place(self) -> str:
        """'75011 PARIS': the postal code and town of the debtor's address."""
        return f"{self.client.postal_code} {self.client.city.upper()}".strip()


def claim_facts(ledger: Ledger, client_id: ClientId, as_of: dt.date) -> list[InvoiceFacts]:
    """The client's invoices with a balance owed and past due as of `as_of`, by due date."""
    facts = ledger.facts(client_id=client_id)
    return [
        f
        for f in facts
        if f.balance_cents(as_of) > 0
        and f.due_date < as_of
        and (f.written_off_on is None or f.written_off_on > as_of)
    ]


def _promise_detail(
    a: Action, facts: dict[int, InvoiceFacts], numbers: list[str], as_of: dt.date
) -> str:
    """'promis 500,00 € pour le 15/02/2026 : tenue' (kept: payments by that day cover it).

    A promise whose day has not come by `as_of` is 'à venir'; only payments known by `as_of`
    count.
    """
    if a.promise_date is None:
        return ""
    amount = from_cents(a.promise_amount_cents) if a.promise_amount_cents else None
    text = (
        "promis "
        + (f"{format_eur(amount)} " if amount else "")
        + (f"pour le {a.promise_date:%d/%m/%Y}")
    )
    concerned = [f for f in facts.values() if f.number in numbers] or list(facts.values())
    if not concerned:
        return text
    last = min(a.promise_date, as_of)
    received = sum(c for f in concerned for d, c in f.payments if a.date <= d <= last)
    wanted = a.promise_amount_cents or sum(f.balance_cents(a.date) for f in concerned)
    if received >= wanted > 0:
        return text + " : tenue"
    if a.promise_date >= as_of:
        return text + " : échéance à venir"
    return (
        text + " : non tenue" + (f" ({format_eur(from_cents(received))} reçus)" if received else "")
    )


def chronology(
    history: list[tuple[Action, list[str]]], facts: dict[int, InvoiceFacts], as_of: dt.date
) -> list[ChronologyEntry]:
    """Every action of the history up to `as_of`, with channel, LRAR number, promise outcome."""
    out = []
    for a, numbers in history:
        if a.date > as_of:
            continue
        details = [a.outcome, a.notes]
        if a.registered_number:
            details.append(f"LRAR n° {a.registered_number}")
        if a.acknowledged_on is not None:
            details.append(f"AR signé le {a.acknowledged_on:%d/%m/%Y}")
        elif a.registered_number:
            details.append("AR non enregistré")
        if a.kind == "promise":
            details.append(_promise_detail(a, facts, numbers, as_of))
        out.append(
            ChronologyEntry(
                date=a.date,
                what=KIND_LABELS.get(a.kind, a.kind),
                channel=CHANNEL_LABELS.get(a.channel, a.channel),
                invoices=tuple(numbers),
                detail=" ; ".join(d for d in dict.fromkeys(details) if d),
                by=a.done_by or "",
            )
        )
    return out


def last_notice(history: list[tuple[Action, list[str]]], as_of: dt.date) -> Action | None:
    """The last formal notice that left (by post, registered or e-mail) on or before `as_of`."""
    found = None
    for a, _ in history:
        if a.date <= as_of and a.kind == "formal_notice" and a.channel in SENT_CHANNELS:
            found = a
    return found


def claim_file(ledger: Ledger, client_id: ClientId, as_of: dt.date) -> ClaimFile:
    """Read one client's claim as of a date: open invoices, décompte, history, pieces."""
    client = ledger.client(client_id)
    facts = claim_facts(ledger, client_id, as_of)
    statement = statement_of_account(
        facts,
        "formal_notice",
        as_of,
        ledger.rates(),
        ledger.contractual_rate(),
        b2c=client.kind == "b2c",
    )
    history = ledger.history(client_id)
    by_id = {f.id: f for f in facts}
    notice = last_notice(history, as_of)
    deadline = None
    if notice is not None:
        days = ledger.policy(client.policy_name).notice_deadline_days
        # The delay counts from receipt (models/letters/wording.py); without the receipt's
        # date, from the sending.
        deadline = (notice.acknowledged_on or notice.date) + dt.timedelta(days=days)
    return ClaimFile(
        as_of=as_of,
        company=ledger.company(),
        client=client,
        facts=tuple(facts),
        statement=statement,
        chronology=tuple(chronology(history, by_id, as_of)),
        pieces=tuple(pieces_for(ledger, client_id, list(by_id))),
        prescriptions=tuple((f.number, prescription(f, as_of)) for f in facts),
        notice=notice,
        notice_deadline=deadline,
    )


def route_case(
    claim: ClaimFile,
    *,
    disputed: bool | None = None,
    debtor_agrees: bool | None = None,
    urgent: bool | None = None,
) -> RouteCase:
    """The route assistant's case for a claim, with the user's answers (None: not asked yet)."""
    c = claim.client
    notice = claim.notice
    facts_disputed = any(f.disputed_on is not None for f in claim.facts)
    return RouteCase(
        as_of=claim.as_of,
        b2c=claim.b2c,
        principal=claim.statement.principal,
        total=claim.statement.total,
        notice_on=notice.date if notice else None,
        notice_deadline=claim.notice_deadline,
        notice_registered=bool(notice and notice.registered_number),
        notice_acknowledged=bool(notice and notice.acknowledged_on),
        has_contract_piece=any(p.kind in CONTRACT_KINDS for p in claim.pieces),
        debtor_siren=c.siren or c.siret[:9],
        debtor_place=claim.debtor_place,
        address_gaps=tuple(postal_gaps(c.street, c.locality, c.postal_code, c.city, c.country)),
        disputed=True if facts_disputed else disputed,
        debtor_agrees=debtor_agrees,
        urgent=urgent,
        prescription_text=claim.prescription_text,
        time_barred=tuple(n for n, p in claim.prescriptions if p.time_barred),
        open_invoices=tuple(f.number for f in claim.facts),
    )
