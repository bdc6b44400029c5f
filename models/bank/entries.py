"""What every bank statement reader returns: the entries, in integer cents, and their identity.

Each reader (camt.py, ofx.py, csv.py) turns a file into a `BankStatement`; nothing here touches
the database. The identity of an entry is what makes an import never record it twice: the
bank's own reference when the file carries one, else a SHA-256 of account, date, amount, text.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from models.errors import InputError
from models.money import parse_amount

# End-to-end ids that say "none given" (ISO 20022 placeholder, and what some banks write).
MAX_AMOUNT = 999_999_999  # euros: beyond, a value is a slip and would overflow the cents
NO_END_TO_END = frozenset({"", "NOTPROVIDED", "NOT PROVIDED", "NONREF", "NON REF"})


@dataclass(frozen=True)
class StatementEntry:
    """One booked movement of a bank account; `amount_cents` is positive, `credit` says which way.

    `account`: the IBAN (no spaces, capitals) or the bank's account number, "" when the file
    does not say. `text`: the remittance information (libellé, motif). `bank_reference`: the
    bank's own reference of the entry (AcctSvcrRef, FITID), "" when none.
    """

    account: str
    booking_date: date
    amount_cents: int
    credit: bool
    debtor: str = ""
    text: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    where: str = ""  # where in the file, for messages: "ligne 12", "écriture 3"


@dataclass(frozen=True)
class BankStatement:
    """A read statement: its entries (credits and debits) and what was left aside, and why."""

    name: str  # the file's name, for messages
    kind: str  # "CAMT.053", "OFX", "CSV"
    entries: tuple[StatementEntry, ...]
    # Movements not read as entries: pending, reversed, another currency ("…: reason").
    ignored: tuple[str, ...] = field(default_factory=tuple)

    @property
    def credits(self) -> list[StatementEntry]:
        """The money received: the only entries Relance matches to invoices."""
        return [e for e in self.entries if e.credit]


def clean_end_to_end(value: str) -> str:
    """An end-to-end id, or "" for the placeholders banks use when the payer gave none."""
    value = " ".join(value.split())
    return "" if value.upper() in NO_END_TO_END else value


def compact_account(value: str) -> str:
    """An IBAN or account number without spaces, in capitals."""
    return "".join(value.split()).upper()


def identities(entries: Iterable[StatementEntry]) -> list[str]:
    """The bank identity of each entry, in order: 'ref:<bank reference>' or 'sha256:<hex>'.

    Without a bank reference the hash covers account, booking date, amount, direction and the
    text (spaces and case folded); two identical entries in one file are told apart by their
    rank among the identical ones, so an overlapping statement gives the same identities.
    """
    seen: Counter[str] = Counter()
    out = []
    for e in entries:
        if e.bank_reference:
            # A reference given twice in one file (a bank's slip) still makes two entries.
            key = f"{e.account}|ref:{e.bank_reference}"
            rank = seen[key]
            seen[key] += 1
            out.append(f"ref:{e.bank_reference}" + (f"#{rank + 1}" if rank else ""))
            continue
        text = " ".join(f"{e.debtor} {e.text}".split()).casefold()
        sign = "C" if e.credit else "D"
        base = f"{e.account}|{e.booking_date.isoformat()}|{sign}{e.amount_cents}|{text}"
        rank = seen[base]
        seen[base] += 1
        digest = hashlib.sha256(f"{base}|{rank}".encode()).hexdigest()
        out.append(f"sha256:{digest}")
    return out


def refuse_entities(data: bytes, name: str, kind: str) -> None:
    """Refuse an XML file declaring a DTD or entities (expansion bombs, external files)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(
            f"{name} : fichier {kind} refusé : il déclare une DTD ou des entités XML, ce qu'un "
            "relevé bancaire ne fait pas"
        )


def amount_cents(text: str, name: str, where: str) -> int:
    """Signed cents of an amount written '1234.56', '1 234,56' or '-12,5'; InputError else."""
    try:
        value = parse_amount(text)
    except ValueError as exc:
        raise InputError(f"{name} : {where} : {exc}") from None
    if abs(value) > MAX_AMOUNT:
        raise InputError(f"{name} : {where} : montant trop élevé : « {text.strip()} »")
    return int(value * 100)
