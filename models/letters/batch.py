"""Letters to send: today's letters one per client, their data in bulk, the LRAR number check."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.collation import sort_key
from models.errors import FieldError, InputError
from models.ids import ClientId
from models.law.stages import InvoiceFacts
from models.letters.data import build_letter, invoices_for_letter
from models.letters.delivery import PDF
from models.letters.documents import LetterData
from models.todo import TodoItem

if TYPE_CHECKING:
    from models.store.ledger import Ledger

# The letter kinds a to-do step can ask for, from the mildest to the strongest.
LETTER_RANK = {
    "preventive": 0,
    "reminder_1": 1,
    "reminder_2": 2,
    "reminder_3": 3,
    "formal_notice": 4,
}
DEFAULT_TEMPLATES = {kind: kind for kind in LETTER_RANK}
# La Poste's registered-letter numbers read like "1A 123 456 7890 1": letters and digits,
# grouped by spaces; we accept 10 to 20 letters or digits, spaces ignored.
REGISTERED_MIN, REGISTERED_MAX = 10, 20
_REGISTERED_CHARS = re.compile(r"[0-9A-Za-z ]+")


@dataclass(frozen=True)
class LetterRequest:
    """One letter to send a client: its kind and the invoices it covers (by id and number)."""

    client_id: int
    client: str
    kind: str
    invoice_ids: tuple[int, ...]
    invoices: tuple[str, ...]
    on: dt.date  # the earliest day one of its steps fell due
    # What the history records for each invoice: (letter kind, invoice ids). The overdue
    # invoices take the letter's kind; invoices not due yet that a stronger letter also
    # covers take "preventive" (the letter reminds their coming due date, nothing more).
    steps: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def recorded_steps(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The steps to record: `steps`, or the letter's kind for every invoice."""
        return self.steps or ((self.kind, self.invoice_ids),)

    @property
    def needs_registered_number(self) -> bool:
        """A formal notice goes by LRAR: its number must be typed for each letter."""
        return self.kind == "formal_notice"


def letters_due(
    items: Iterable[TodoItem], templates: Mapping[str, str] | None = None
) -> list[LetterRequest]:
    """One letter per client at the highest letter step due, by client name.

    `templates` maps a policy step code to its letter kind (steps without one are calls or
    dossiers and give no letter); by default the standard steps map to themselves. The letter
    covers every invoice of the client that a letter step concerns, at the highest step among
    them, so that nothing is left for a second batch the same day: an invoice not due yet
    rides along in a stronger letter and is recorded as reminded ("preventive").
    """
    kinds = dict(DEFAULT_TEMPLATES if templates is None else templates)
    per_client: dict[int, list[tuple[str, TodoItem]]] = {}
    for item in items:
        kind = kinds.get(item.step, "")
        if kind in LETTER_RANK:
            per_client.setdefault(item.client_id, []).append((kind, item))
    out = []
    for client_id, found in per_client.items():
        kind = max((k for k, _ in found), key=LETTER_RANK.__getitem__)
        ids: dict[int, str] = {}
        upcoming: dict[int, None] = {}  # not due yet: reminded, not claimed
        for k, it in sorted(found, key=lambda pair: pair[0] == "preventive"):
            for inv_id, number in zip(it.invoice_ids, it.invoices, strict=True):
                if inv_id not in ids and k == "preventive" and kind != "preventive":
                    upcoming[inv_id] = None
                ids.setdefault(inv_id, number)
        overdue = tuple(i for i in ids if i not in upcoming)
        steps = ((kind, overdue), ("preventive", tuple(upcoming))) if upcoming else ()
        out.append(
            LetterRequest(
                client_id,
                found[0][1].client,
                kind,
                tuple(ids),
                tuple(ids.values()),
                min(it.on for _, it in found),
                steps,
            )
        )
    return sorted(out, key=lambda r: (sort_key(r.client), r.client_id))  # French collation


def normalise_registered_number(text: str) -> str:
    """The number as printed: capitals, single spaces."""
    return " ".join(text.upper().split())


def check_registered_number(text: str) -> list[FieldError]:
    """Why a registered-letter (LRAR) number is refused; empty when it looks right."""
    field = "n° de recommandé"
    value = text.strip()
    if not value:
        return [FieldError(field, "indiquez le numéro du recommandé avec accusé de réception")]
    if not _REGISTERED_CHARS.fullmatch(value):
        return [FieldError(field, "lettres, chiffres et espaces seulement")]
    size = len(value.replace(" ", ""))
    if not REGISTERED_MIN <= size <= REGISTERED_MAX:
        return [
            FieldError(
                field,
                f"{size} caractères : entre {REGISTERED_MIN} et "
                f"{REGISTERED_MAX} lettres ou chiffres attendus",
            )
        ]
    return []


def iter_letters(
    ledger: Ledger, requests: Sequence[LetterRequest], as_of: dt.date
) -> Iterator[LetterData]:
    """The letters of a batch in order, reading the invoices once (not once per client)."""
    by_client: dict[int, list[InvoiceFacts]] = {}
    for f in ledger.facts(invoice_ids=sorted({i for r in requests for i in r.invoice_ids})):
        by_client.setdefault(f.client_id, []).append(f)
    company, rates, contractual = ledger.company(), ledger.rates(), ledger.contractual_rate()
    templates: dict[str, str] = {}
    for r in requests:
        client = ledger.client(ClientId(r.client_id))
        if r.kind not in templates:
            templates[r.kind] = ledger.template(r.kind)
        chosen = invoices_for_letter(by_client.get(r.client_id, []), r.kind, as_of, r.invoice_ids)
        policy = ledger.policy(client.policy_name)
        yield build_letter(
            kind=r.kind,
            company=company,
            client=client,
            facts=chosen,
            as_of=as_of,
            template=templates[r.kind],
            rates=rates,
            contractual=contractual,
            deadline_days=policy.notice_deadline_days,
        )


def record_batch(
    ledger: Ledger,
    requests: Sequence[LetterRequest],
    on: dt.date,
    delivery: str = PDF,
    document_path: str = "",
) -> tuple[list[LetterRequest], list[str]]:
    """Note each letter of a batch in the history, each once: (recorded, refusals).

    One transaction per letter. Issue 18: a letter someone else recorded meanwhile (two
    people running the day's batch) is refused in the transaction that would record it again
    and listed with who made it; an invoice changed meanwhile is refused the same way.
    """
    recorded: list[LetterRequest] = []
    refused: list[str] = []
    for r in requests:
        try:
            ledger.record_letter_steps(
                ClientId(r.client_id),
                r.recorded_steps(),
                on,
                delivery=delivery,
                document_path=document_path,
            )
        except InputError as exc:
            refused.append(f"{r.client} : {exc}")
            continue
        recorded.append(r)
    return recorded, refused


def not_taken(
    ledger: Ledger, requests: Sequence[LetterRequest]
) -> tuple[list[LetterRequest], list[str]]:
    """The letters still to make, and why the others are not (made meanwhile, by whom)."""
    left: list[LetterRequest] = []
    taken: list[str] = []
    for r in requests:
        why = ledger.steps_taken(r.recorded_steps())
        if why is None:
            left.append(r)
        else:
            taken.append(f"{r.client} : {why}")
    return left, taken
