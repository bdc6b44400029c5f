"""The reading commands: stages, to-do, penalties of an invoice, aged balance."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui.cli.common import (
    FORMATS_TABLE,
    AddCommand,
    UsageError,
    cents,
    emit,
    json_opt,
    json_str,
    money,
    stream_json_lines,
    write,
)


def cmd_stages(ledger: Any, args: argparse.Namespace) -> int:
    """Print every invoice's stage as of a date."""
    day = Memo(lambda ordinal: dt.date.fromordinal(ordinal).isoformat())
    amount = Memo(cents)
    if args.format == "json":
        # Each line formatted directly: the bytes `stream_json` gives for the dict below. A
        # client's name, a stage, a balance and a date repeat: each text is made once.
        name, text = Memo(json_str), Memo(json_opt)
        stream_json_lines(
            (
                f'{{"invoice": {json_str(n)}, "client": {name[c]}, "stage": {text[st]},'
                f' "balance": "{amount[b]}", "due": "{day[d]}", "days_late": {late},'
                f' "next_action": {text[na or None]}, "next_action_on": '
                + (f'"{day[on]}"}}' if on is not None else "null}")
                for n, c, st, b, d, late, na, on in ledger.iter_stage_briefs(args.as_of)
            ),
            args.output,
        )
        return 0
    rows = (
        {
            "invoice": n,
            "client": c,
            "stage": st,
            "balance": amount[b],
            "due": day[d],
            "days_late": late,
            "next_action": na or None,
            "next_action_on": None if on is None else day[on],
        }
        for n, c, st, b, d, late, na, on in ledger.iter_stage_briefs(args.as_of)
    )
    emit(
        rows,
        args.format,
        args.output,
        (
            "invoice",
            "client",
            "stage",
            "balance",
            "due",
            "days_late",
            "next_action",
            "next_action_on",
        ),
    )
    return 0


class Memo(dict[Any, str]):
    """Each value's text made once by `make` (names, amounts and dates repeat over a million
    rows): a lookup is a dict subscript, `make` runs on a miss only."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        text = self[value] = self.make(value)
        return text


def cmd_todo(ledger: Any, args: argparse.Namespace) -> int:
    """Print what is due on or before a date."""
    rows = [
        {
            "on": t.on.isoformat(),
            "action": t.action,
            "client": t.client,
            "invoices": t.invoices,
            "step": t.step,
            "label": t.label,
            "channel": t.channel,
        }
        for t in ledger.todo(args.as_of)
    ]
    emit(rows, args.format, args.output, ("on", "action", "client", "invoices", "label"))
    return 0


def cmd_interest(ledger: Any, args: argparse.Namespace) -> int:
    """Print the penalties of one invoice with their breakdown."""
    r = ledger.interest(args.invoice, args.as_of)
    data = {
        "invoice": r.invoice,
        "as_of": r.as_of.isoformat(),
        "principal": money(r.principal),
        "penalties": money(r.penalties),
        "indemnity": money(r.indemnity),
        "total_due": money(r.total_due),
        "periods": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "days": p.days,
                "base": money(p.base),
                "rate": f"{p.rate:.2f}",
                "amount": money(p.amount),
                # Added keys (DESIGN.md allows them): what set the rate and why
                # (C. com. L441-10 II: a clause below 3 x the legal rate gives way to it).
                "basis": p.basis,
                "note": p.note,
            }
            for p in r.periods
        ],
        "basis": r.basis,
        "rate_text": r.rate_text,
        "warnings": list(r.warnings),
    }
    if args.format == "json":
        write(json.dumps(data, ensure_ascii=False, indent=2), args.output)
        return 0
    lines = [f"Facture {r.invoice} au {r.as_of:%d/%m/%Y}"]
    lines += [
        f"  du {p['start']} au {p['end']} : {p['days']} j x {p['base']} à {p['rate']} % "
        f"= {p['amount']} ({p['note']})"
        for p in data["periods"]
    ]
    lines += [
        f"Principal restant dû : {data['principal']}",
        f"Pénalités : {data['penalties']}",
        f"Indemnité forfaitaire : {data['indemnity']}",
        f"Total dû : {data['total_due']}",
    ]
    lines += [f"Attention : {w}" for w in r.warnings]
    write("\n".join(lines), args.output)
    return 0


def cmd_aged_balance(ledger: Any, args: argparse.Namespace) -> int:
    """Print or export the aged balance as of a date."""
    ab = ledger.aged_balance(args.as_of)
    keys = ab.buckets.keys()
    if args.format == "pdf":
        if args.output is None:
            raise UsageError("aged-balance --format pdf : indiquez le fichier avec -o FICHIER.pdf")
        from models.files import atomic_write
        from reports.aged_balance import render_aged_balance

        atomic_write(args.output, render_aged_balance(ab, ledger.company().name))
        print(f"Balance âgée enregistrée : {args.output}", file=sys.stderr)
        return 0
    if args.format == "json":
        write(_aged_json(ab), args.output)
        return 0
    # Amounts from the rows' integer cents: the same text as their Decimal euros.
    clients = [
        {
            "client": r.client,
            **{k: cents(c) for k, c in zip(keys, r.cents, strict=True)},
            "total": cents(r.total_cents),
            "overdue": cents(r.overdue_cents),
            "oldest_due": r.oldest_due.isoformat() if r.oldest_due else None,
            "dso": f"{r.dso}" if r.dso is not None else None,
        }
        for r in ab.rows
    ]
    emit(clients, args.format, args.output, ("client", *keys, "total"))
    return 0


def _aged_json(ab: Any) -> str:
    """The aged balance as JSON, indented, one client a line.

    The bytes of the dicts `{"client", <bucket keys>, "total", "overdue", "oldest_due", "dso"}`
    through the encoder (ensure_ascii=False, default separators), each client's line made with
    one format string: no dict and no encoder call over 10,000 clients.
    """
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    keys = ab.buckets.keys()
    fields = "".join(
        f'{json_str(k).replace("%", "%%")}: "%s", ' for k in (*keys, "total", "overdue")
    )
    line = '    {"client": %s, ' + fields + '"oldest_due": %s, "dso": %s}'
    euros = Memo(cents)
    body = ",\n".join(
        line
        % (
            json_str(r.client),
            *[euros[c] for c in r.cents],
            euros[r.total_cents],
            euros[r.overdue_cents],
            f'"{r.oldest_due.isoformat()}"' if r.oldest_due else "null",
            f'"{r.dso}"' if r.dso is not None else "null",
        )
        for r in ab.rows
    )
    totals = {k: money(v) for k, v in zip(keys, ab.totals, strict=True)}
    totals |= {"total": money(ab.total), "overdue": money(ab.overdue)}
    return "\n".join(
        [
            "{",
            f'  "as_of": {encode(ab.as_of.isoformat())},',
            f'  "clients": [\n{body}\n  ],' if ab.rows else '  "clients": [],',
            f'  "totals": {encode(totals)},',
            f'  "dso": {encode(f"{ab.dso}" if ab.dso is not None else None)}',
            "}",
        ]
    )


def _reads_quickly(args: argparse.Namespace) -> bool:
    """Any format: main may run the command on the light reader (models.store.quick)."""
    return True


def register(add: AddCommand) -> None:
    """The reading commands' arguments."""
    sp = add("aged-balance", cmd_aged_balance, "balance âgée")
    sp.add_argument("--format", choices=("text", "pdf", "csv", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path)
    sp.set_defaults(quick=_reads_quickly)  # one query and the company's name
    for name, func in (("stages", cmd_stages), ("todo", cmd_todo)):
        sp = add(name, func, "étape de chaque facture" if name == "stages" else "à faire")
        sp.add_argument("--format", choices=FORMATS_TABLE, default="text")
        sp.add_argument("-o", "--output", type=Path)
        sp.set_defaults(quick=_reads_quickly)  # the light reader makes their rows too
    sp = add("interest", cmd_interest, "pénalités de retard d'une facture")
    sp.add_argument("invoice")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path)
