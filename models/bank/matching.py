"""Which open invoices a bank credit pays, with the reason and how sure: pure functions.

Three levels (only the first is ever applied without the user):
- certain: an invoice number, or the payment reference our letters print (REL-<client>-<date>,
  models/letters/data.py), is in the transfer's text or end-to-end id;
- likely: the payer's name is close to a client's, and the amount is the exact balance of one
  of its open invoices, of a set of them, or of all of them;
- possible: the payer's name is close to a client's and the amount is part of what it owes,
  put on its oldest invoices first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from models.bank.entries import StatementEntry
from models.bank.names import NameIndex
from models.importing.headers import fold
from models.money import format_eur

CERTAIN, LIKELY, POSSIBLE = "certain", "likely", "possible"
CONFIDENCES = (CERTAIN, LIKELY, POSSIBLE)
CONFIDENCE_LABELS = {CERTAIN: "sûr", LIKELY: "probable", POSSIBLE: "possible"}
# A number made only of a few digits ("117") is found only after a word that announces it:
# alone it would be any amount, day or quantity of the text.
SHORT_DIGITS = 4
ANNOUNCING = frozenset({"facture", "factures", "fact", "fac", "fa", "fct", "ft", "inv", "invoice"})
ANNOUNCING |= frozenset({"no", "n", "num", "numero", "ref", "reference"})
MAX_TOKENS = 6  # an invoice number spans at most this many runs of letters and digits
# Subset sums: among the client's oldest invoices, sets of up to this many, with this many
# sets tried at most (a client with hundreds of open invoices stays fast).
SUBSET_INVOICES, SUBSET_SIZE, SUBSET_TRIES = 24, 4, 20_000
MAX_PROPOSALS = 3
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_LETTER_REF = re.compile(r"\bREL\W{0,2}(\d{1,9})\W{0,2}(\d{8})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """An invoice with a balance still due: what matching needs of it."""

    id: int
    number: str
    client_id: int
    due_date: date
    balance_cents: int


@dataclass(frozen=True, slots=True)
class Allocation:
    """Part of a credit put on one invoice."""

    invoice_id: int
    number: str
    cents: int


@dataclass(frozen=True)
class Proposal:
    """Invoices a credit may pay: how sure, why (French), and how much on each.

    `excess_cents`: what is left over the balances (kept to the client's credit, a
    trop-perçu, if the user accepts).
    """

    confidence: str
    reason: str
    client_id: int
    client: str
    allocations: tuple[Allocation, ...]
    excess_cents: int = 0

    @property
    def invoice_ids(self) -> list[int]:
        """The invoices the proposal pays."""
        return [a.invoice_id for a in self.allocations]

    @property
    def numbers(self) -> list[str]:
        """Their numbers."""
        return [a.number for a in self.allocations]


@dataclass(frozen=True)
class Match:
    """One credit and what it may pay, best first; `notes` say what was seen but not used."""

    entry: StatementEntry
    proposals: tuple[Proposal, ...]
    notes: tuple[str, ...] = ()

    @property
    def certain(self) -> Proposal | None:
        """The proposal applied without asking, if there is one."""
        first = self.proposals[0] if self.proposals else None
        return first if first is not None and first.confidence == CERTAIN else None


def number_key(number: str) -> str:
    """How an invoice number is compared with a bank text: letters and digits only, folded."""
    if number.isascii():  # the usual case, without the Unicode decomposition fold does
        return _NOT_ALNUM.sub("", number.lower())
    return "".join(fold(number).split())


def letter_references(text: str) -> list[tuple[int, date]]:
    """The references of our letters in a text: (client id, letter date) of each REL-…-AAAAMMJJ."""
    found = []
    for m in _LETTER_REF.finditer(text):
        raw = m[2]
        try:
            day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            continue
        found.append((int(m[1]), day))
    return found


class Book:
    """The open invoices, indexed for matching: by number, by client, and clients by name.

    `clients`: id -> name of the clients with open invoices. `settled`: number key -> number
    of the invoices already paid (a text naming one is told, not matched). `letters`: (client
    id, letter date) -> the invoices that letter asked for (from the history).
    """

    def __init__(
        self,
        invoices: Iterable[OpenInvoice],
        clients: Mapping[int, str],
        settled: Mapping[str, str] | None = None,
        letters: Mapping[tuple[int, date], Sequence[int]] | None = None,
    ) -> None:
        self.by_id: dict[int, OpenInvoice] = {}
        self.by_key: dict[str, list[OpenInvoice]] = defaultdict(list)
        self.by_client: dict[int, list[OpenInvoice]] = defaultdict(list)
        for inv in invoices:
            self.by_id[inv.id] = inv
            self.by_key[number_key(inv.number)].append(inv)
            self.by_client[inv.client_id].append(inv)
        for rows in self.by_client.values():
            rows.sort(key=_age)
        self.clients = dict(clients)
        self.settled = dict(settled or {})
        self.letters = dict(letters or {})
        self.names = NameIndex((cid, self.clients.get(cid, "")) for cid in self.by_client)
        self.keys = set(self.by_key) | set(self.settled)

    def found_numbers(self, text: str) -> Iterator[str]:
        """The number keys of known invoices the text names, each once, in text order.

        A number is found only as whole runs of letters and digits ("F2025-1" is not in
        "F2025-10"), whatever the separators the bank kept ("F 2025/001" is "F2025-001").
        """
        words = fold(text).split()
        seen: set[str] = set()
        for i in range(len(words)):
            joined = ""
            for j in range(i, min(len(words), i + MAX_TOKENS)):
                joined += words[j]
                if joined not in self.keys or joined in seen:
                    continue
                short = joined.isdigit() and len(joined) < SHORT_DIGITS
                if short and (i == 0 or words[i - 1] not in ANNOUNCING):
                    continue
                seen.add(joined)
                yield joined


def match_entries(entries: Iterable[StatementEntry], book: Book) -> list[Match]:
    """What each credit may pay (debits are left out)."""
    return [match_entry(e, book) for e in entries if e.credit]


def match_entry(entry: StatementEntry, book: Book) -> Match:
    """What one credit may pay, best first: certain, else likely, else possible."""
    notes: list[str] = []
    certain = _by_reference(entry, book, notes)
    if certain is not None:
        return Match(entry, (certain,), tuple(notes))
    proposals: list[Proposal] = []
    for client_id, score in book.names.candidates(entry.debtor)[:MAX_PROPOSALS]:
        proposals += _by_amount(entry, book, client_id, score)
    rank = {c: i for i, c in enumerate(CONFIDENCES)}
    proposals.sort(key=lambda p: rank[p.confidence])  # stable: closest names first
    if not proposals and entry.debtor:
        notes.append(f"aucun client au nom proche de « {entry.debtor} »")
    return Match(entry, tuple(proposals[:MAX_PROPOSALS]), tuple(notes))


def allocate(cents: int, invoices: Sequence[OpenInvoice]) -> tuple[tuple[Allocation, ...], int]:
    """Put `cents` on the invoices, oldest due first, each up to its balance; and the excess.

    C. civ. 1342-10: a debtor who does not say which debt he pays pays first the debts due,
    and among equal ones the oldest; by due date, the debts due come first and oldest first.
    """
    left = cents
    out = []
    for inv in sorted(invoices, key=_age):
        if left <= 0:
            break
        part = min(left, inv.balance_cents)
        if part > 0:
            out.append(Allocation(inv.id, inv.number, part))
            left -= part
    return tuple(out), left


def _age(inv: OpenInvoice) -> tuple[date, str, int]:
    return (inv.due_date, inv.number, inv.id)


def _by_reference(entry: StatementEntry, book: Book, notes: list[str]) -> Proposal | None:
    """A proposal from the invoice numbers or letter references in the text, else None."""
    text = f"{entry.text} {entry.end_to_end_id}"
    found: list[OpenInvoice] = []
    why: list[str] = []
    for key in book.found_numbers(text):
        invoices = book.by_key.get(key, [])
        if len(invoices) > 1:  # two numbers written alike ("F-12" and "F12"): the exact one
            exact = [i for i in invoices if i.number.casefold() in text.casefold()]
            if len(exact) != 1:
                notes.append(f"n° ambigu dans le libellé : {', '.join(i.number for i in invoices)}")
                continue
            invoices = exact
        if invoices:
            found += invoices
            why.append(f"n° de facture {invoices[0].number}")
        elif key in book.settled:
            notes.append(f"la facture {book.settled[key]} citée dans le libellé est déjà soldée")
    for client_id, day in letter_references(text):
        ids = book.letters.get((client_id, day), ())
        letter = [book.by_id[i] for i in ids if i in book.by_id]
        if not letter:  # the letter's invoices are paid, or no such letter: its client's
            letter = list(book.by_client.get(client_id, ())) if ids else []
        if letter:
            found += [i for i in letter if i not in found]
            why.append(
                f"référence REL-{client_id}-{day:%Y%m%d} de notre courrier du {day:%d/%m/%Y}"
            )
        else:
            notes.append(f"référence REL-{client_id}-{day:%Y%m%d} : aucun courrier ouvert")
    if not found:
        return None
    found = list({i.id: i for i in found}.values())
    clients = {i.client_id for i in found}
    client_id = found[0].client_id
    allocations, excess = allocate(entry.amount_cents, found)
    where = " et ".join(why) + " dans le libellé"
    if len(clients) > 1:
        return Proposal(
            LIKELY,
            f"{where}, mais ces factures sont à des clients différents : à vérifier",
            client_id,
            book.clients.get(client_id, ""),
            allocations,
            excess,
        )
    if excess > 0:
        return Proposal(
            LIKELY,
            f"{where}, mais le virement dépasse leur solde de "
            f"{format_eur(excess, cents=True)} (trop-perçu à confirmer)",
            client_id,
            book.clients.get(client_id, ""),
            allocations,
            excess,
        )
    total = sum(i.balance_cents for i in found)
    part = "" if entry.amount_cents == total else " (paiement partiel)"
    return Proposal(CERTAIN, where + part, client_id, book.clients.get(client_id, ""), allocations)


def _by_amount(entry: StatementEntry, book: Book, client_id: int, score: float) -> list[Proposal]:
    """Proposals for a client whose name is close to the payer's: exact balances, else part."""
    invoices = book.by_client.get(client_id, [])
    name = book.clients.get(client_id, "")
    who = f"payeur « {entry.debtor} » ≈ client « {name} »" + (
        "" if score >= 1 else f" ({round(score * 100)} %)"
    )
    cents = entry.amount_cents
    out: list[Proposal] = []
    for inv in invoices:
        if inv.balance_cents == cents and len(out) < MAX_PROPOSALS:
            out.append(
                Proposal(
                    LIKELY,
                    f"montant exact du solde de la facture {inv.number} ; {who}",
                    client_id,
                    name,
                    (Allocation(inv.id, inv.number, cents),),
                )
            )
    if out:
        return out
    total = sum(i.balance_cents for i in invoices)
    if total == cents and len(invoices) > 1:
        allocations, _ = allocate(cents, invoices)
        return [
            Proposal(
                LIKELY,
                f"montant exact du solde de ses {len(invoices)} factures ouvertes ; {who}",
                client_id,
                name,
                allocations,
            )
        ]
    subset = _subset_sum(invoices[:SUBSET_INVOICES], cents)
    if subset:
        allocations, _ = allocate(cents, subset)
        listed = ", ".join(i.number for i in subset)
        return [
            Proposal(
                LIKELY,
                f"montant exact du solde des factures {listed} ; {who}",
                client_id,
                name,
                allocations,
            )
        ]
    if not invoices:
        return []
    allocations, excess = allocate(cents, invoices)
    if excess > 0:
        reason = (
            f"le virement dépasse de {format_eur(excess, cents=True)} tout ce que doit ce "
            f"client ; {who}"
        )
    else:
        reason = f"paiement partiel, imputé sur les factures les plus anciennes ; {who}"
    return [Proposal(POSSIBLE, reason, client_id, name, allocations, excess)]


def _subset_sum(invoices: Sequence[OpenInvoice], target: int) -> list[OpenInvoice] | None:
    """The first set of 2 to SUBSET_SIZE invoices (fewest, then oldest) whose balances make
    `target`; None when there is none among the SUBSET_TRIES sets tried."""
    tries = 0
    n = len(invoices)

    def search(start: int, size: int, left: int, chosen: list[int]) -> list[int] | None:
        nonlocal tries
        if size == 0:
            return list(chosen) if left == 0 else None
        for k in range(start, n - size + 1):
            tries += 1
            if tries > SUBSET_TRIES:
                return None
            cents = invoices[k].balance_cents
            if cents > left:
                continue
            chosen.append(k)
            found = search(k + 1, size - 1, left - cents, chosen)
            chosen.pop()
            if found is not None:
                return found
        return None

    for size in range(2, min(SUBSET_SIZE, n) + 1):
        found = search(0, size, target, [])
        if found is not None:
            return [invoices[k] for k in found]
        if tries > SUBSET_TRIES:
            break
    return None
