"""Sending steps by e-mail: one invoice's step, or the day's batch."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from ui.cli.common import (
    AddCommand,
    UsageError,
)


def _mail_account(ledger: Any) -> tuple[Any, str]:
    """The sending account and its password (keyring, else $RELANCE_SMTP_PASSWORD)."""
    from models.mail.account import Passwords

    account = ledger.mail_account()
    if account is None:
        raise UsageError(
            "aucun compte d'envoi : relance settings set email "
            '\'{"host": ..., "port": ..., "security": ..., "user": ..., "sender": ...}\''
        )
    return account, Passwords().require(account)


def _print_summary(summary: Any) -> int:
    """The JSON summary on stdout; exit 1 when a message failed or the batch stopped."""
    print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    return 1 if summary.stopped or summary.count("failed") else 0


def cmd_email(ledger: Any, args: argparse.Namespace) -> int:
    """Send one step by e-mail (its letter attached) and record it in the history."""
    from models.letters.batch import LetterRequest
    from models.mail import outbox
    from models.mail.account import check_address
    from models.mail.kinds import MAIL_KINDS
    from models.mail.message import Recipient
    from reports.letters import render_letter

    if args.kind not in MAIL_KINDS:
        raise UsageError(f"pas d'e-mail pour « {args.kind} » ({', '.join(MAIL_KINDS)})")
    to = []
    for address in args.to or ():
        errors = check_address(address, "--to")
        if errors:
            raise UsageError(str(errors[0]))
        to.append(Recipient("", address))
    if args.kind == "promise":
        out = _promise(ledger, args.invoice, to)
    else:
        letter = ledger.letter_for_invoice(args.invoice, args.kind, args.as_of)
        invoice = ledger.find_invoice(args.invoice)
        numbers = [line.number for line in letter.statement.lines]
        ids = [ledger.find_invoice(n).id for n in numbers]
        request = LetterRequest(
            invoice.client_id, letter.client_name, args.kind, tuple(ids), tuple(numbers), args.as_of
        )
        out = outbox.prepare(ledger, request, letter, render_letter, to)
    if args.dry_run:
        print(json.dumps(_dry(out), ensure_ascii=False, indent=2))
        return 0
    if not out.draft.to:
        raise UsageError(f"{out.client} : pas d'adresse e-mail (indiquez --to ADRESSE)")
    account, password = _mail_account(ledger)
    summary = outbox.send_all(ledger, account, password, [out], dt.datetime.now().astimezone)
    return _print_summary(summary)


def _promise(ledger: Any, number: str, to: list[Any]) -> Any:
    """The confirmation of the latest promise to pay noted for this invoice (no PDF)."""
    from models.ids import ClientId
    from models.mail.promise import last_promise, promise_outgoing

    invoice = ledger.find_invoice(number)
    found = last_promise(ledger, ClientId(invoice.client_id), invoice.number)
    if found is None:
        raise UsageError(
            f"aucune promesse de paiement notée pour la facture {invoice.number} : notez "
            "d'abord l'appel (date et montant promis)"
        )
    return promise_outgoing(ledger, found, to)


def _dry(out: Any) -> dict[str, Any]:
    """What would be sent, without sending (--dry-run)."""
    att = out.draft.attachment
    return {
        "client": out.client,
        "kind": out.kind,
        "invoices": list(out.invoices),
        "to": [r.address for r in out.draft.to],
        "subject": out.draft.subject,
        "body": out.draft.body,
        "attachment": att.filename if att else "",
        "status": "dry_run" if out.draft.to else "no_address",
    }


def cmd_send_due(ledger: Any, args: argparse.Namespace) -> int:
    """Send today's e-mail steps; a run stopped half-way is resumed by running it again."""
    from models.mail import outbox
    from reports.letters import render_letter

    requests = outbox.email_requests(ledger, args.as_of)
    messages = outbox.due_outgoing(ledger, requests, args.as_of, render_letter)
    if args.dry_run:
        print(json.dumps([_dry(m) for m in messages], ensure_ascii=False, indent=2))
        return 0
    if not requests:
        return _print_summary(outbox.Summary())
    account, password = _mail_account(ledger)
    summary = outbox.send_all(
        ledger, account, password, messages, dt.datetime.now().astimezone, once=True
    )
    return _print_summary(summary)


def register(add: AddCommand) -> None:
    """The sending commands' arguments."""
    from models.mail.kinds import MAIL_KINDS

    sp = add(
        "email",
        cmd_email,
        "envoyer une relance par e-mail (PDF joint) et l'enregistrer ; --kind promise confirme "
        "la dernière promesse de paiement notée pour la facture (sans PDF)",
    )
    sp.add_argument("invoice")
    sp.add_argument("--kind", choices=MAIL_KINDS, required=True)
    sp.add_argument("--to", action="append", help="destinataire (défaut : contact comptable)")
    sp.add_argument("--dry-run", action="store_true", help="montrer le message sans l'envoyer")
    sp = add("send-due", cmd_send_due, "envoyer les relances du jour prévues par e-mail")
    sp.add_argument("--dry-run", action="store_true", help="montrer les messages sans envoyer")
