"""OFX in (SGML OFX 1.x and XML OFX 2.x): the transactions of each account.

Read by a small reader of our own: OFX 1 is SGML (values without end tags), OFX 2 is XML, and
both are a flat run of tags this module folds into a tree. `ofxtools`, the usual library, is
under the GPL 3 only, which a program distributed under a proprietary licence cannot ship;
the tests check this reader against it. Many bank files bend the standard (a comma as decimal
mark, a missing balance): only what a payment needs is read, and read leniently.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from xml.sax.saxutils import unescape

from models.bank.entries import (
    BankStatement,
    StatementEntry,
    amount_cents,
    compact_account,
    refuse_entities,
)
from models.errors import InputError
from models.files import read_bytes

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9.]*)>([^<]*)")
_OFX_START = re.compile(rb"<OFX>", re.IGNORECASE)
_CHARSET = re.compile(rb"CHARSET:\s*(\w+)|ENCODING:\s*(UTF-?8)|encoding=\"([\w-]+)\"", re.I)
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ENTITIES = {"&nbsp;": "\u00a0", "&quot;": '"', "&apos;": "'"}


def looks_like_ofx(data: bytes) -> bool:
    """Tell whether bytes look like an OFX file (the format sniffer)."""
    head = data[:4096].upper()
    return b"OFXHEADER" in head or b"<OFX>" in head


def read_ofx(path: Path) -> BankStatement:
    """Read an OFX file; InputError (French, naming the file and what is wrong) otherwise."""
    return parse_ofx(read_bytes(path), path.name)


def parse_ofx(data: bytes, name: str) -> BankStatement:
    """Read OFX bytes (see read_ofx); `name` is the file named in messages."""
    refuse_entities(data, name, "OFX")
    root = ofx_tree(data, name)
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
            trn_currency = _text(trn, "CURSYM")
            if (trn_currency or currency) != "EUR":
                ignored.append(f"{where} : devise {trn_currency or currency}")
            elif entry is not None:
                entries.append(entry)
    return BankStatement(name, "OFX", tuple(entries), tuple(ignored))


def ofx_tree(data: bytes, name: str) -> ET.Element:
    """The <OFX> element of a file, as a tree: SGML values without end tags become leaves.

    A tag followed by text is a value; a tag followed by another tag opens an aggregate,
    closed by its end tag (an end tag for a value, as XML writes them, is passed over).
    """
    start = _OFX_START.search(data)
    if start is None:
        raise InputError(f"{name} : fichier OFX sans élément <OFX> : téléchargez-le à nouveau")
    body = data[start.start() :].decode(_encoding(data[: start.start()]), errors="replace")
    root: ET.Element | None = None
    stack: list[ET.Element] = []
    for m in _TAG.finditer(body):
        closing, tag, text = m[1], m[2].upper(), m[3].strip()
        if closing:
            if any(el.tag == tag for el in stack):
                while stack and stack.pop().tag != tag:
                    pass
            continue
        el = ET.Element(tag)
        if stack:
            stack[-1].append(el)
        elif root is None:
            root = el
        else:
            break  # text after the closing </OFX>
        if text:
            el.text = _unescape(text)
        else:
            stack.append(el)
    if root is None or root.tag != "OFX":
        raise InputError(f"{name} : fichier OFX illisible : téléchargez à nouveau le relevé")
    return root


def _encoding(header: bytes) -> str:
    """The text encoding an OFX header states: CHARSET:1252 (OFX 1), UTF-8 (OFX 2)."""
    found = _CHARSET.search(header)
    if found is None:
        return "utf-8" if header.lstrip().startswith(b"<?xml") else "cp1252"
    if found[1]:
        charset = found[1].decode().upper()
        return "cp1252" if charset in ("1252", "NONE", "ISO-8859-1") else "utf-8"
    return "utf-8" if found[2] else found[3].decode()


def _unescape(text: str) -> str:
    text = unescape(text, _ENTITIES)
    return " ".join(text.split())


def _text(el: ET.Element, tag: str) -> str:
    """The value of the first `tag` at any depth under `el`, "" if none."""
    found = el.find(f".//{tag}")
    return found.text or "" if found is not None else ""


def _account(stmt: ET.Element) -> str:
    """The account: its number with bank and branch codes (a French RIB's parts), compacted."""
    acct = stmt.find("BANKACCTFROM")
    if acct is None:
        acct = stmt.find("CCACCTFROM")
    if acct is None:
        return ""
    parts = [_text(acct, tag) for tag in ("BANKID", "BRANCHID", "ACCTID", "ACCTKEY")]
    return compact_account("".join(p for p in parts if p))


def _entry(trn: ET.Element, account: str, where: str, name: str) -> StatementEntry | None:
    """One transaction; None for a zero amount (an information line)."""
    raw = _text(trn, "TRNAMT")
    if not raw:
        raise InputError(f"{name} : {where} : montant (TRNAMT) absent")
    cents = amount_cents(raw, name, where)
    if cents == 0:
        return None
    posted = _text(trn, "DTPOSTED")
    # The date as written (its first 8 digits), never turned into UTC: an entry booked at
    # midnight Paris time stays on its day.
    found = _DATE.match(posted)
    try:
        booked = date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        booked = None
    if booked is None:
        raise InputError(f"{name} : {where} : date (DTPOSTED) illisible « {posted} »")
    return StatementEntry(
        account=account,
        booking_date=booked,
        amount_cents=abs(cents),
        credit=cents > 0,
        debtor=_text(trn, "NAME"),
        text=_text(trn, "MEMO"),
        end_to_end_id="",
        bank_reference=_text(trn, "FITID"),
        where=where,
    )
