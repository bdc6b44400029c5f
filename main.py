"""Relance entry point: no argument opens the window; subcommands are the command line."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

FORMATS_TABLE = ("text", "csv", "json")
# Set to 1 (like --smoke-test): the window opens, paints once and quits (checks of a build).
SMOKE_ENV = "RELANCE_SMOKE_TEST"


class UsageError(Exception):
    """Bad input on the command line: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (format AAAA-MM-JJ)") from None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _cents(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _emit(rows: list[dict[str, Any]], fmt: str, out: Path | None, text_cols: Sequence[str]) -> None:
    """Write rows as JSON, CSV or an aligned text table, to a file or stdout."""
    if fmt == "json":
        # One row a line: readable, and each row goes through the C encoder (indent= forces the
        # pure-Python one: a third of `stages` at 100k invoices).
        body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        payload = f"[\n{body}\n]" if rows else "[]"
    elif fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0]) if rows else list(text_cols)
        writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
        payload = buf.getvalue().rstrip("\n")
    else:
        table = [[str(_flat(r.get(c, ""))) for c in text_cols] for r in rows]
        widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(text_cols)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(text_cols, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)) for t in table]
        payload = "\n".join(lines)
    _write(payload, out)


def _flat(v: Any) -> Any:
    return ", ".join(v) if isinstance(v, list) else ("" if v is None else v)


def _write(payload: str, out: Path | None) -> None:
    """Print, or write the file whole (a temporary file beside it, then renamed)."""
    if out is None:
        print(payload)
    else:
        from models.files import atomic_write

        atomic_write(out, (payload + "\n").encode("utf-8"))


def cmd_stages(ledger: Any, args: argparse.Namespace) -> int:
    """Print every invoice's stage as of a date."""
    rows = [
        {
            "invoice": r.invoice,
            "client": r.client,
            "stage": r.stage,
            "balance": _cents(r.balance_cents),
            "due": r.due.isoformat(),
            "days_late": r.days_late,
            "next_action": r.next_action or None,
            "next_action_on": r.next_action_on.isoformat() if r.next_action_on else None,
        }
        for r in ledger.stages(args.as_of)
    ]
    _emit(
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
    _emit(rows, args.format, args.output, ("on", "action", "client", "invoices", "label"))
    return 0


def cmd_interest(ledger: Any, args: argparse.Namespace) -> int:
    """Print the penalties of one invoice with their breakdown."""
    r = ledger.interest(args.invoice, args.as_of)
    data = {
        "invoice": r.invoice,
        "as_of": r.as_of.isoformat(),
        "principal": _money(r.principal),
        "penalties": _money(r.penalties),
        "indemnity": _money(r.indemnity),
        "total_due": _money(r.total_due),
        "periods": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "days": p.days,
                "base": _money(p.base),
                "rate": f"{p.rate:.2f}",
                "amount": _money(p.amount),
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
        _write(json.dumps(data, ensure_ascii=False, indent=2), args.output)
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
    _write("\n".join(lines), args.output)
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
    clients = [
        {
            "client": r.client,
            **{k: _money(v) for k, v in zip(keys, r.amounts, strict=True)},
            "total": _money(r.total),
            "overdue": _money(r.overdue),
            "oldest_due": r.oldest_due.isoformat() if r.oldest_due else None,
            "dso": f"{r.dso}" if r.dso is not None else None,
        }
        for r in ab.rows
    ]
    if args.format == "json":
        totals = {k: _money(v) for k, v in zip(keys, ab.totals, strict=True)}
        totals |= {"total": _money(ab.total), "overdue": _money(ab.overdue)}
        data = {
            "as_of": ab.as_of.isoformat(),
            "clients": clients,
            "totals": totals,
            "dso": f"{ab.dso}" if ab.dso is not None else None,
        }
        _write(json.dumps(data, ensure_ascii=False, indent=2), args.output)
        return 0
    _emit(clients, args.format, args.output, ("client", *keys, "total"))
    return 0


def cmd_demo(ledger: Any, args: argparse.Namespace) -> int:
    """Fill the database with a realistic demo data set dated relative to today."""
    from models.demo import build_demo

    if ledger.counts()["invoices"] and not args.force:
        raise UsageError("la base contient déjà des factures (ajoutez --force pour compléter)")
    summary = build_demo(ledger, args.as_of, seed=args.seed)
    print(
        f"Démo créée : {summary['clients']} clients, {summary['invoices']} factures ({ledger.url})",
        file=sys.stderr,
    )
    return 0


def cmd_import(ledger: Any, args: argparse.Namespace) -> int:
    """Import a CSV or XLSX file of clients and invoices, dated as of --as-of (default today)."""
    report = ledger.import_file(
        args.file,
        args.as_of,
        skip_invalid=args.skip_invalid,
        replace_conflicts=args.replace_conflicts,
    )
    for err in report.errors:
        print(f"{args.file.name} : {err}", file=sys.stderr)
    for line in (*report.warnings, *map(str, report.conflicts)):
        print(f"{args.file.name} : {line}", file=sys.stderr)
    if report.errors and not args.skip_invalid:
        print(
            f"Import refusé : {len(report.errors)} erreur(s), rien n'a été enregistré.",
            file=sys.stderr,
        )
        return 2
    print(
        f"Import : {report.invoices_created} facture(s) créée(s), {report.clients_created} "
        f"client(s) créé(s), {report.payments_created} paiement(s) dont "
        f"{report.inferred_payment_dates} à date supposée, {report.unchanged} "
        f"déjà présente(s), {len(report.conflicts)} en conflit ({report.replaced} remplacée(s)), "
        f"{len(report.errors)} ligne(s) ignorée(s).",
        file=sys.stderr,
    )
    for warning in report.warnings:
        print(f"{args.file.name} : attention, {warning}", file=sys.stderr)
    return 0


def cmd_letter(ledger: Any, args: argparse.Namespace) -> int:
    """Make one letter PDF for an invoice (and the client's other invoices at that step)."""
    from models.files import atomic_write
    from reports.letters import render_letter

    data = ledger.letter_for_invoice(args.invoice, args.kind, args.as_of)
    atomic_write(args.output, render_letter(data))
    print(f"Lettre enregistrée : {args.output}", file=sys.stderr)
    return 0


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
    from models.mail.message import Recipient
    from models.mail.templates import MAIL_KINDS
    from reports.letters import render_letter

    if args.kind not in MAIL_KINDS:
        raise UsageError(f"pas d'e-mail pour « {args.kind} » ({', '.join(MAIL_KINDS)})")
    to = []
    for address in args.to or ():
        errors = check_address(address, "--to")
        if errors:
            raise UsageError(str(errors[0]))
        to.append(Recipient("", address))
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
        raise UsageError(f"{letter.client_name} : pas d'adresse e-mail (indiquez --to ADRESSE)")
    account, password = _mail_account(ledger)
    summary = outbox.send_all(ledger, account, password, [out], dt.datetime.now().astimezone)
    return _print_summary(summary)


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
    summary = outbox.send_all(ledger, account, password, messages, dt.datetime.now().astimezone)
    return _print_summary(summary)


def cmd_settings(ledger: Any, args: argparse.Namespace) -> int:
    """Read or write one setting (values are JSON, or plain text for strings)."""
    if args.action == "get":
        print(json.dumps(ledger.setting(args.key), ensure_ascii=False, indent=2))
        return 0
    if args.value is None:
        raise UsageError("settings set KEY VALUE : valeur manquante")
    try:
        value = json.loads(args.value)
    except json.JSONDecodeError:
        value = args.value
    ledger.set_setting(args.key, value)
    return 0


def cmd_payment(ledger: Any, args: argparse.Namespace) -> int:
    """Record a payment received on an invoice (for scripts and checks)."""
    from models.money import format_eur, parse_amount

    try:
        amount = parse_amount(args.amount)
    except ValueError as exc:
        raise UsageError(f"payment : {exc}") from None
    invoice = ledger.find_invoice(args.invoice)
    ledger.record_payment(invoice.id, args.date or args.as_of, amount, args.method)
    print(
        f"Paiement de {format_eur(amount)} enregistré sur la facture {invoice.number}",
        file=sys.stderr,
    )
    return 0


def cmd_backup(ledger: Any, args: argparse.Namespace) -> int:
    """Copy the database now: into the backup folder, or to the file given with -o."""
    made = ledger.backup_to(args.output) if args.output else ledger.backup_now(dt.datetime.now())
    print(f"Sauvegarde faite : {made}", file=sys.stderr)
    return 0


def cmd_restore(ledger: Any, args: argparse.Namespace) -> int:
    """Replace the database by a backup, checked first; a safety copy is made before."""
    safety = ledger.restore_backup(args.file, dt.datetime.now())
    print(
        f"Base restaurée depuis {args.file} ; copie de sécurité de l'ancienne base : {safety}",
        file=sys.stderr,
    )
    return 0


def cmd_attach(ledger: Any, args: argparse.Namespace) -> int:
    """Attach a file to an invoice as a piece of evidence (copied beside the database)."""
    from models.litigation.pieces import attach

    invoice = ledger.find_invoice(args.invoice)
    attach(
        ledger,
        args.file,
        args.kind,
        args.as_of,
        invoice_id=invoice.id,
        on=args.date,
        note=args.note,
    )
    print(f"Pièce « {args.file.name} » jointe à la facture {invoice.number}", file=sys.stderr)
    return 0


def _answer(text: str | None) -> bool | None:
    return None if text is None else text == "oui"


def cmd_route(ledger: Any, args: argparse.Namespace) -> int:
    """The court routes open for the invoice's client: court, form, what the file lacks."""
    from models.litigation.case import claim_file, route_case
    from models.litigation.routes import advise

    invoice = ledger.find_invoice(args.invoice)
    claim = claim_file(ledger, invoice.client_id, args.as_of)
    advice = advise(
        route_case(
            claim,
            disputed=_answer(args.disputed),
            debtor_agrees=_answer(args.agrees),
            urgent=_answer(args.urgent),
        )
    )
    if args.format == "json":
        _write(json.dumps(advice.as_dict(), ensure_ascii=False, indent=2), args.output)
        return 0
    lines = [*advice.blockers, *advice.warnings]
    if advice.prescription:
        lines.append(advice.prescription)
    for r in advice.routes:
        mark = "[oui]" if r.applies else "[non]"
        lines.append(f"{mark} {r.name} : {r.reason}")
        lines += [f"      {x}" for x in (r.court, r.form, r.lawyer, r.costs, *r.conditions) if x]
    lines += [f"Manque au dossier : {m}" for m in advice.missing]
    lines += [f"Particulier : {m}" for m in advice.consumer_rules]
    lines += [f"Question : {q}" for q in advice.questions]
    _write("\n".join(lines), args.output)
    return 0


def cmd_dossier(ledger: Any, args: argparse.Namespace) -> int:
    """The dossier PDF of the invoice's client (all its open invoices), optionally a ZIP."""
    from models.litigation.case import claim_file
    from models.litigation.pieces import mark_in_dossier
    from reports.dossier_pieces import build_dossier

    invoice = ledger.find_invoice(args.invoice)
    claim = claim_file(ledger, invoice.client_id, args.as_of)
    if not claim.facts:
        raise UsageError(f"aucune facture échue et impayée pour ce client au {args.as_of:%d/%m/%Y}")
    made = build_dossier(claim, args.output)
    if args.zip:
        from reports.handover import build_zip

        build_zip(claim, made.path, args.zip)
        print(f"Archive enregistrée : {args.zip}", file=sys.stderr)
    if args.handover_to:
        from models.litigation.handover import record_handover

        record_handover(ledger, claim, args.handover_to, args.as_of, made.path)
        print(f"Transmission à {args.handover_to} notée dans l'historique", file=sys.stderr)
    else:
        mark_in_dossier(ledger, [p.piece_id for p in claim.pieces if p.piece_id], args.as_of)
    print(f"Dossier enregistré : {made.path} ({made.pages} pages)", file=sys.stderr)
    return 0


def cmd_request(ledger: Any, args: argparse.Namespace) -> int:
    """The injunction-to-pay request with the Cerfa values, or the small-claims letter."""
    from models.files import atomic_write
    from models.litigation.case import claim_file
    from models.litigation.request import injunction_request, small_claims_letter
    from reports.injunction import render_injunction, render_small_claims

    invoice = ledger.find_invoice(args.invoice)
    claim = claim_file(ledger, invoice.client_id, args.as_of)
    if not claim.facts:
        raise UsageError(f"aucune facture échue et impayée pour ce client au {args.as_of:%d/%m/%Y}")
    if args.procedure == "petites-creances":
        data = render_small_claims(small_claims_letter(claim), claim.company.name)
    else:
        data = render_injunction(injunction_request(claim), claim.company.name)
    atomic_write(args.output, data)
    print(f"Requête enregistrée : {args.output}", file=sys.stderr)
    return 0


def build_parser(today: dt.date) -> argparse.ArgumentParser:
    """The command line of DESIGN.md."""
    p = _Parser(prog="relance", description="Relance : suivi et relance des factures impayées.")
    p.add_argument(
        "--db",
        help="fichier SQLite ou URL SQLAlchemy (défaut : $RELANCE_DB ou le "
        "dossier de données de l'utilisateur)",
    )
    p.add_argument(
        "--new",
        action="store_true",
        help="créer la base si le fichier n'existe pas encore",
    )
    p.add_argument("--version", action="version", version=f"relance {_version()}")
    p.add_argument(
        "--smoke-test",
        action="store_true",
        default=os.environ.get(SMOKE_ENV) == "1",
        help=f"ouvrir la fenêtre, attendre son premier affichage et quitter (ou ${SMOKE_ENV}=1)",
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, func: Callable[..., int], help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_)
        sp.set_defaults(func=func)
        sp.add_argument("--as-of", type=_date, default=today, help="date de calcul (AAAA-MM-JJ)")
        return sp

    sp = add("demo", cmd_demo, "créer une base de démonstration")
    sp.add_argument("--seed", type=int, default=7)
    sp.add_argument("--force", action="store_true")
    sp = add("import", cmd_import, "importer un fichier CSV ou XLSX")
    sp.add_argument("file", type=Path)
    sp.add_argument("--skip-invalid", action="store_true", help="ignorer les lignes invalides")
    sp.add_argument(
        "--replace-conflicts",
        action="store_true",
        help="remplacer les factures déjà enregistrées avec un autre montant ou client",
    )
    sp = add("aged-balance", cmd_aged_balance, "balance âgée")
    sp.add_argument("--format", choices=("text", "pdf", "csv", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path)
    for name, func in (("stages", cmd_stages), ("todo", cmd_todo)):
        sp = add(name, func, "étape de chaque facture" if name == "stages" else "à faire")
        sp.add_argument("--format", choices=FORMATS_TABLE, default="text")
        sp.add_argument("-o", "--output", type=Path)
    sp = add("interest", cmd_interest, "pénalités de retard d'une facture")
    sp.add_argument("invoice")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path)
    sp = add("letter", cmd_letter, "lettre PDF pour une facture")
    sp.add_argument("invoice")
    from models.letters.documents import LETTER_KINDS

    sp.add_argument("--kind", choices=LETTER_KINDS, required=True)
    sp.add_argument("-o", "--output", type=Path, required=True)
    from models.mail.templates import MAIL_KINDS

    sp = add("email", cmd_email, "envoyer une relance par e-mail (PDF joint) et l'enregistrer")
    sp.add_argument("invoice")
    sp.add_argument("--kind", choices=MAIL_KINDS, required=True)
    sp.add_argument("--to", action="append", help="destinataire (défaut : contact comptable)")
    sp.add_argument("--dry-run", action="store_true", help="montrer le message sans l'envoyer")
    sp = add("send-due", cmd_send_due, "envoyer les relances du jour prévues par e-mail")
    sp.add_argument("--dry-run", action="store_true", help="montrer les messages sans envoyer")
    sp = add("payment", cmd_payment, "enregistrer un paiement reçu sur une facture")
    sp.add_argument("invoice")
    sp.add_argument("amount", help="montant (1234,56 ou 1234.56)")
    sp.add_argument("--date", type=_date, help="date du paiement (défaut : --as-of, aujourd'hui)")
    from models.store.tables import PAYMENT_METHODS

    sp.add_argument("--method", choices=PAYMENT_METHODS, default="transfer")
    sp = add("attach", cmd_attach, "joindre une pièce (fichier) à une facture")
    sp.add_argument("invoice")
    sp.add_argument("file", type=Path)
    sp.add_argument("--kind", required=True, help="devis signé, bon de commande, e-mail…")
    sp.add_argument("--date", type=_date, help="date de la pièce (AAAA-MM-JJ)")
    sp.add_argument("--note", default="")
    sp = add("route", cmd_route, "procédures possibles après la mise en demeure")
    sp.add_argument("invoice")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path)
    for flag, what in (
        ("--disputed", "la dette est-elle contestée ?"),
        ("--agrees", "le débiteur accepte-t-il la procédure simplifiée ?"),
        ("--urgent", "y a-t-il urgence ?"),
    ):
        sp.add_argument(flag, choices=("oui", "non"), help=what)
    sp = add("dossier", cmd_dossier, "dossier PDF de recouvrement (pièces comprises)")
    sp.add_argument("invoice")
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp.add_argument("--zip", type=Path, help="archive ZIP : PDF, pièces, CSV du décompte")
    sp.add_argument(
        "--handover-to",
        metavar="NOM",
        help="noter la transmission du dossier (avocat, agence, commissaire de justice)",
    )
    sp = add("requete", cmd_request, "requête en injonction de payer (PDF à signer)")
    sp.add_argument("invoice")
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp.add_argument(
        "--procedure",
        choices=("injonction", "petites-creances"),
        default="injonction",
        help="petites-creances : lettre au commissaire de justice (CPCE L125-1)",
    )
    sp = sub.add_parser("backup", help="sauvegarder la base maintenant")
    sp.set_defaults(func=cmd_backup)
    sp.add_argument(
        "-o",
        "--output",
        type=Path,
        help="fichier de la copie (défaut : le dossier des sauvegardes)",
    )
    sp = sub.add_parser("restore", help="remplacer la base par une sauvegarde (vérifiée avant)")
    sp.set_defaults(func=cmd_restore)
    sp.add_argument("file", type=Path)
    sp = sub.add_parser("settings", help="lire ou modifier un paramètre")
    sp.set_defaults(func=cmd_settings)
    sp.add_argument("action", choices=("get", "set"))
    sp.add_argument("key")
    sp.add_argument("value", nargs="?")
    return p


def run(argv: Sequence[str], today: dt.date | None = None) -> int:
    """Run one command; bad input prints one line on stderr and returns 2."""
    from models.errors import InputError, MissingDatabaseError, StorageError

    today = today or dt.date.today()
    try:
        args = build_parser(today).parse_args(argv)
        if args.command is None:
            return open_window(args.db, smoke_test=args.smoke_test)
        ledger = _open(args)
        try:
            return int(args.func(ledger, args))
        finally:
            ledger.close()
    except MissingDatabaseError as exc:
        print(
            f"relance: base introuvable : {exc.path} (ajoutez --new pour créer une nouvelle "
            "base à cet endroit, ou vérifiez le chemin)",
            file=sys.stderr,
        )
        return 2
    except (UsageError, InputError, StorageError) as exc:
        print(f"relance: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `relance todo | head`: the reader has gone, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        from models.files import file_error

        told = file_error("d'accéder à", exc.filename or "", exc)
        print(f"relance: {told}", file=sys.stderr)
        return 2
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            from models.store import db

            print(f"relance: {db.describe_error(exc)}", file=sys.stderr)
            return 2
        log = _log_crash()
        print(
            f"relance: erreur interne ({exc.__class__.__name__}) ; détails dans {log}",
            file=sys.stderr,
        )
        return 1


def _version() -> str:
    """The installed version, for --version."""
    from models.version import app_version

    return app_version()


def _open(args: argparse.Namespace) -> Any:
    """Open the database; a new file only with --new, for `demo`, or at the default place.

    The default place (no --db, no $RELANCE_DB) is the first run's; a path the user typed is
    never created by mistake. A failed backup is one line on stderr, never a refusal.
    """
    from models.store.ledger import Ledger

    chosen = args.db or os.environ.get("RELANCE_DB")
    create = args.new or args.command == "demo" or not chosen
    ledger = Ledger.open(args.db, now=dt.datetime.now(), create=create)
    if ledger.created:
        from models.store import db

        print(f"nouvelle base créée : {db.sqlite_path(ledger.url)}", file=sys.stderr)
    if ledger.backup_problem:
        print(f"relance: attention : {ledger.backup_problem}", file=sys.stderr)
    return ledger


def _log_crash() -> Path | str:
    """Write the current traceback to the error log (never shown on the terminal)."""
    import traceback

    from models import crashlog

    written = crashlog.write(traceback.format_exc(), dt.datetime.now())
    return written or "le journal (impossible à écrire)"


def open_window(db_arg: str | None, smoke_test: bool = False) -> int:
    """Open the main window on the user's database (a first-run prompt when it is empty)."""
    from ui.app import run_app  # PySide6 only when a window is wanted: the CLI stays Qt-free

    return run_app(db_arg, smoke_test=smoke_test)


def main() -> None:
    """The `relance` command: pyproject's [project.scripts] and the bundle's start."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
