"""OFX in (SGML OFX 1.x and XML OFX 2.x, read by `ofxtools`): the transactions of each account.

ofxtools parses the file (headers, SGML elements without end tags); the values are then read
from its element tree rather than through its strict conversion, which refuses many real bank
files over details that do not matter here (a comma as decimal mark, a missing balance).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from models.bank.entries import (
    BankStatement,
    StatementEntry,
    amount_cents,
    compact_account,
    read_bytes,
    refuse_entities,
)
from models.errors import InputError

_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def looks_like_ofx(data: bytes) -> bool:
    """Tell whether bytes look like an OFX file (the format sniffer)."""
    head = data[:4096].upper()
    return b"OFXHEADER" in head or b"<OFX>" in head


def read_ofx(path: Path) -> BankStatement:
    """Read an OFX file; InputError (French, naming the file and what is wrong) otherwise."""
    return parse_ofx(read_bytes(path), path.name)


def parse_ofx(data: bytes, name: str) -> BankStatement:
    """Read OFX bytes (see read_ofx); `name` is the file named in messages."""
    from ofxtools.Parser import OFXTree  # imported here: only a bank import needs it

    refuse_entities(data, name, "OFX")
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
    except Exception as exc:  # ofxtools raises its own errors, ValueError, KeyError...
        detail = str(exc).splitlines()[0][:120] if str(exc) else exc.__class__.__name__
        raise InputError(
            f"{name} : fichier OFX illisible ({detail}) ; téléchargez à nouveau le relevé"
        ) from None
    root: Any = tree.getroot()
    statements = [el for el in root.iter() if el.tag in ("STMTRS", "CCSTMTRS")]
    if not statements:
        raise InputError(f"{name} : aucun relevé de compte (STMTRS) dans le fichier OFX")
    entries: list[StatementEntry] = []
    ignored: list[str] = []
    for stmt in statements:
        account = _account(stmt)
        currency = _text(stmt, "CURDEF") or "EUR"
        for n, trn in enumerate(stmt.iter("STMTTRN"), start=1):
            where = f"opération {n}" + (f" du compte {account}" if len(statements) > 1 else "")
            entry = _entry(trn, account, where, name)
            trn_currency = _text(trn, "CURRENCY/CURSYM") or _text(trn, "ORIGCURRENCY/CURSYM")
            if (trn_currency or currency) != "EUR":
                ignored.append(f"{where} : devise {trn_currency or currency}")
            elif entry is not None:
                entries.append(entry)
    return BankStatement(name, "OFX", tuple(entries), tuple(ignored))


def _text(el: Any, path: str) -> str:
    found = el.findtext(path)
    return " ".join(found.split()) if found else ""


def _account(stmt: Any) -> str:
    """The account: its number with bank and branch codes (a French RIB's parts), compacted."""
    acct = stmt.find("BANKACCTFROM")
    if acct is None:
        acct = stmt.find("CCACCTFROM")
    if acct is None:
        return ""
    parts = [_text(acct, tag) for tag in ("BANKID", "BRANCHID", "ACCTID", "ACCTKEY")]
    return compact_account("".join(p for p in parts if p))


def _entry(trn: Any, account: str, where: str, name: str) -> StatementEntry | None:
    """One transaction; None for a zero amount (an information line)."""
    raw = _text(trn, "TRNAMT")
    if not raw:
        raise InputError(f"{name} : {where} : montant (TRNAMT) absent")
    cents = amount_cents(raw, name, where)
    if cents == 0:
        return None
    posted = _text(trn, "DTPOSTED")
    # The date as written (its first 8 digits): ofxtools would turn it into UTC, which moves
    # an entry booked at midnight Paris time to the day before.
    found = _DATE.match(posted)
    try:
        booked = date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        booked = None
    if booked is None:
        raise InputError(f"{name} : {where} : date (DTPOSTED) illisible « {posted} »")
    payee = _text(trn, "NAME") or _text(trn, "PAYEE/NAME")
    memo = _text(trn, "MEMO")
    return StatementEntry(
        account=account,
        booking_date=booked,
        amount_cents=abs(cents),
        credit=cents > 0,
        debtor=payee,
        text=memo,
        end_to_end_id="",
        bank_reference=_text(trn, "FITID"),
        where=where,
    )
