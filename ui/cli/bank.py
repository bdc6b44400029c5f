"""The bank statement command: each credit with the invoices it may pay; --apply records the
sure ones (models/bank, models/store/ledger_bank.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ui.cli.common import AddCommand, cents, write


def cmd_bank(ledger: Any, args: argparse.Namespace) -> int:
    """Read a CAMT.053, OFX or bank CSV statement; list each credit and its proposals."""
    from models.bank.read import read_statement

    statement = read_statement(args.file)
    if args.apply:
        result = ledger.bank_import(statement, args.as_of, apply=True)
    else:
        result = ledger.bank_preview(statement)
    if args.format == "json":
        write(json.dumps(summary(result), ensure_ascii=False, indent=1), args.output)
    else:
        write(text_report(result), args.output)
    print(result.headline(), file=sys.stderr)
    return 0


def summary(result: Any) -> dict[str, Any]:
    """The JSON summary: counts, then each credit with its proposals (amounts as strings)."""
    return {
        "file": result.name,
        "format": result.kind,
        "applied": result.written,
        "credits": len(result.lines),
        "debits": result.debits,
        "known": result.known,
        "recorded": result.recorded,
        "to_reconcile": result.to_reconcile,
        "ignored": list(result.ignored),
        "entries": [_line(x) for x in result.lines],
    }


def _line(line: Any) -> dict[str, Any]:
    e = line.entry
    return {
        "date": e.booking_date.isoformat(),
        "amount": cents(e.amount_cents),
        "debtor": e.debtor,
        "text": e.text,
        "end_to_end_id": e.end_to_end_id,
        "bank_reference": e.bank_reference,
        "known": line.known,
        "status": line.status,
        "recorded": bool(line.payment_ids),
        "proposals": [
            {
                "confidence": p.confidence,
                "reason": p.reason,
                "client": p.client,
                "invoices": [
                    {"invoice": a.number, "amount": cents(a.cents)} for a in p.allocations
                ],
                "excess": cents(p.excess_cents),
            }
            for p in line.match.proposals
        ],
        "notes": list(line.match.notes),
    }


def text_report(result: Any) -> str:
    """Each credit on a line, its proposals indented below it."""
    from models.bank.matching import CONFIDENCE_LABELS
    from models.money import format_eur
    from models.store.ledger_bank import STATUS_WORDS

    out = []
    for line in result.lines:
        e = line.entry
        who = f"  {e.debtor}" if e.debtor else ""
        out.append(
            f"{e.booking_date:%d/%m/%Y}  {format_eur(e.amount_cents, cents=True):>14}{who}"
            + (f"  « {e.text} »" if e.text else "")
        )
        if line.known:
            status = STATUS_WORDS.get(line.status, line.status)
            out.append(f"    déjà importé ({status}) : rien de refait")
            continue
        if line.payment_ids:
            out.append("    enregistré")
        for p in line.match.proposals:
            parts = ", ".join(
                f"{a.number} {format_eur(a.cents, cents=True)}" for a in p.allocations
            )
            label = CONFIDENCE_LABELS.get(p.confidence, p.confidence)
            out.append(f"    [{label}] {p.client} : {parts} — {p.reason}")
        out += [f"    ({note})" for note in line.match.notes]
        if not line.match.proposals:
            out.append("    aucune facture proposée")
    return "\n".join(out) if out else "Aucun crédit dans ce relevé."


def register(add: AddCommand) -> None:
    """The bank command's arguments."""
    sp = add("bank", cmd_bank, "lire un relevé bancaire (CAMT.053, OFX, CSV) et rapprocher")
    sp.add_argument("file", type=Path)
    sp.add_argument(
        "--apply",
        action="store_true",
        help="enregistrer les paiements sûrs (les autres attendent dans « À rapprocher »)",
    )
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path, help="fichier de sortie (défaut : écran)")
