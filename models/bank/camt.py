"""CAMT.053 (ISO 20022 bank-to-customer statement) in: the booked entries of each account.

Versions camt.053.001.02 to .13 share the parts read here (and camt.054, the notification of
single movements, holds the same entries). The XML is read with the standard library after
refusing any DTD or entity declaration, so nothing is expanded nor fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from models.bank.entries import (
    BankStatement,
    StatementEntry,
    amount_cents,
    clean_end_to_end,
    compact_account,
    refuse_entities,
)
from models.errors import InputError
from models.files import read_bytes

NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.05([34])\.001\.(\d\d)")
FIRST_VERSION, LAST_VERSION = 2, 13
# The group of statements under the root, per message: statement (053), notification (054).
GROUPS = {"3": ("BkToCstmrStmt", "Stmt"), "4": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}


def looks_like_camt(data: bytes) -> bool:
    """Tell whether bytes look like an ISO 20022 camt.053/054 message (the format sniffer)."""
    return b"urn:iso:std:iso:20022:tech:xsd:camt.05" in data[:4096]


def read_camt(path: Path) -> BankStatement:
    """Read a CAMT.053 file; InputError (French, naming the file and what is wrong) otherwise."""
    data = read_bytes(path)
    return parse_camt(data, path.name)


def parse_camt(data: bytes, name: str) -> BankStatement:
    """Read CAMT.053 bytes (see read_camt); `name` is the file named in messages."""
    refuse_entities(data, name, "CAMT.053")
    try:
        root = ET.fromstring(data)  # DTDs and entities refused just above
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"{name} : XML mal formé (ligne {line}, colonne {column}) : fichier incomplet ou "
            "abîmé ; téléchargez à nouveau le relevé"
        ) from None
    found = NAMESPACE.fullmatch(root.tag[1:].partition("}")[0]) if root.tag[:1] == "{" else None
    if found is None:
        raise InputError(f"{name} : ce fichier XML n'est pas un relevé bancaire CAMT.053")
    version = int(found[2])
    if not FIRST_VERSION <= version <= LAST_VERSION:
        raise InputError(
            f"{name} : version camt.05{found[1]}.001.{found[2]} non prise en charge "
            f"(versions .{FIRST_VERSION:02d} à .{LAST_VERSION:02d})"
        )
    reader = _Reader(root.tag[1:].partition("}")[0], name)
    group_tag, stmt_tag = GROUPS[found[1]]
    group = reader.find(root, group_tag)
    statements = reader.findall(group, stmt_tag) if group is not None else []
    if not statements:
        raise InputError(f"{name} : aucun relevé (élément {stmt_tag}) dans le fichier")
    entries: list[StatementEntry] = []
    ignored: list[str] = []
    for s_index, stmt in enumerate(statements, start=1):
        reader.statement(stmt, s_index, entries, ignored)
    return BankStatement(name, "CAMT.053", tuple(entries), tuple(ignored))


class _Reader:
    """Element paths in the message's namespace, and the reading of one statement's entries."""

    def __init__(self, namespace: str, name: str) -> None:
        self.ns = namespace
        self.name = name

    def _path(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def find(self, el: ET.Element, path: str) -> ET.Element | None:
        return el.find(self._path(path))

    def findall(self, el: ET.Element, path: str) -> list[ET.Element]:
        return el.findall(self._path(path))

    def text(self, el: ET.Element | None, *paths: str) -> str:
        """The text of the first of `paths` present under `el`, spaces collapsed; "" if none."""
        if el is None:
            return ""
        for path in paths:
            found = el.findtext(self._path(path))
            if found and found.strip():
                return " ".join(found.split())
        return ""

    def statement(
        self, stmt: ET.Element, index: int, out: list[StatementEntry], ignored: list[str]
    ) -> None:
        """Append the booked entries of one statement (Stmt) to `out`, the others to `ignored`."""
        account = compact_account(self.text(stmt, "Acct/Id/IBAN", "Acct/Id/Othr/Id"))
        label = self.text(stmt, "Id") or str(index)
        for n, ntry in enumerate(self.findall(stmt, "Ntry"), start=1):
            where = f"relevé {label}, écriture {n}"
            self._entry(ntry, account, where, out, ignored)

    def _entry(
        self,
        ntry: ET.Element,
        account: str,
        where: str,
        out: list[StatementEntry],
        ignored: list[str],
    ) -> None:
        amt = self.find(ntry, "Amt")
        if amt is None or not (amt.text or "").strip():
            raise InputError(f"{self.name} : {where} : montant (Amt) absent")
        cents = amount_cents(amt.text or "", self.name, where)
        if cents <= 0:
            raise InputError(f"{self.name} : {where} : montant nul ou négatif « {amt.text} »")
        direction = self.text(ntry, "CdtDbtInd")
        if direction not in ("CRDT", "DBIT"):
            raise InputError(
                f"{self.name} : {where} : sens (CdtDbtInd) « {direction} » inconnu "
                "(attendu CRDT ou DBIT)"
            )
        status = self.text(ntry, "Sts/Cd", "Sts")
        if status and status != "BOOK":
            ignored.append(f"{where} : non comptabilisée ({status})")
            return
        if self.text(ntry, "RvslInd").lower() in ("true", "1"):
            ignored.append(f"{where} : contre-passation")
            return
        currency = amt.get("Ccy", "EUR")
        if currency != "EUR":
            ignored.append(f"{where} : devise {currency}")
            return
        booked = self._date(ntry, where)
        reference = self.text(ntry, "AcctSvcrRef")
        entry_info = self.text(ntry, "AddtlNtryInf")
        details = [tx for d in self.findall(ntry, "NtryDtls") for tx in self.findall(d, "TxDtls")]
        amounts = [self._tx_amount(tx, where) for tx in details]
        if len(details) > 1 and all(a is not None for a in amounts):
            # A batch booking: each transfer is its own payment, with its own payer and text.
            for k, (tx, tx_cents) in enumerate(zip(details, amounts, strict=True), start=1):
                own = self.text(tx, "Refs/AcctSvcrRef")
                tx_ref = own or (f"{reference}/{k}" if reference else "")
                out.append(
                    self._make(tx, account, booked, tx_cents or 0, direction, "", tx_ref, where)
                )
            return
        only = details[0] if details else None
        out.append(
            self._make(only, account, booked, cents, direction, entry_info, reference, where)
        )

    def _make(
        self,
        tx: ET.Element | None,
        account: str,
        booked: date,
        cents: int,
        direction: str,
        entry_info: str,
        reference: str,
        where: str,
    ) -> StatementEntry:
        credit = direction == "CRDT"
        party = "Dbtr" if credit else "Cdtr"
        debtor = self.text(
            tx,
            f"RltdPties/{party}/Nm",
            f"RltdPties/{party}/Pty/Nm",  # camt.053.001.08 and later
            f"RltdPties/Ultmt{party}/Nm",
            f"RltdPties/Ultmt{party}/Pty/Nm",
        )
        parts = []
        if tx is not None:
            rmt = self.find(tx, "RmtInf")
            if rmt is not None:
                parts += [" ".join((u.text or "").split()) for u in self.findall(rmt, "Ustrd")]
                parts += [self.text(s, "CdtrRefInf/Ref") for s in self.findall(rmt, "Strd")]
                parts += [
                    " ".join((a.text or "").split())
                    for s in self.findall(rmt, "Strd")
                    for a in self.findall(s, "AddtlRmtInf")
                ]
            parts.append(self.text(tx, "AddtlTxInf"))
        parts.append(entry_info)
        text = " ".join(dict.fromkeys(p for p in parts if p))
        return StatementEntry(
            account=account,
            booking_date=booked,
            amount_cents=cents,
            credit=credit,
            debtor=debtor,
            text=text,
            end_to_end_id=clean_end_to_end(self.text(tx, "Refs/EndToEndId")),
            bank_reference=reference,
            where=where,
        )

    def _tx_amount(self, tx: ET.Element, where: str) -> int | None:
        """A transaction's own amount (TxDtls/Amt, or AmtDtls/TxAmt/Amt), None if not given."""
        raw = self.text(tx, "Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt")
        return amount_cents(raw, self.name, where) if raw else None

    def _date(self, ntry: ET.Element, where: str) -> date:
        """The booking date (BookgDt, else the value date ValDt), as a date."""
        raw = self.text(ntry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm")
        if not raw:
            raise InputError(f"{self.name} : {where} : date de comptabilisation (BookgDt) absente")
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            raise InputError(f"{self.name} : {where} : date illisible « {raw} »") from None
