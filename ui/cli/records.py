"""The commands that write the ledger: demo, import, payment, pieces, settings, backups."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ui.cli.common import (
    AddCommand,
    UsageError,
    parse_date,
)


def cmd_demo(ledger: Any, args: argparse.Namespace) -> int:
    """Fill the database with a realistic demo data set dated relative to today."""
    from models.demo import build_demo
    from models.store.db import display_url

    if ledger.counts()["invoices"] and not args.force:
        raise UsageError("la base contient déjà des factures (ajoutez --force pour compléter)")
    summary = build_demo(ledger, args.as_of, seed=args.seed)
    print(
        f"Démo créée : {summary['clients']} clients, {summary['invoices']} factures "
        f"({display_url(ledger.url)})",
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


def register(add: AddCommand) -> None:
    """The writing commands' arguments."""
    sp = add("demo", cmd_demo, "créer une base de démonstration")
    sp.add_argument("--seed", type=int, default=7)
    sp.add_argument("--force", action="store_true")
    sp = add("import", cmd_import, "importer un tableur (CSV, XLSX, XLS, XLSB ou ODS)")
    sp.add_argument("file", type=Path)
    sp.add_argument("--skip-invalid", action="store_true", help="ignorer les lignes invalides")
    sp.add_argument(
        "--replace-conflicts",
        action="store_true",
        help="remplacer les factures déjà enregistrées avec un autre montant ou client",
    )
    sp = add("payment", cmd_payment, "enregistrer un paiement reçu sur une facture")
    sp.add_argument("invoice")
    sp.add_argument("amount", help="montant (1234,56 ou 1234.56)")
    sp.add_argument(
        "--date", type=parse_date, help="date du paiement (défaut : --as-of, aujourd'hui)"
    )
    from models.store.codes import PAYMENT_METHODS

    sp.add_argument("--method", choices=PAYMENT_METHODS, default="transfer")
    sp = add("attach", cmd_attach, "joindre une pièce (fichier) à une facture")
    sp.add_argument("invoice")
    sp.add_argument("file", type=Path)
    sp.add_argument("--kind", required=True, help="devis signé, bon de commande, e-mail…")
    sp.add_argument("--date", type=parse_date, help="date de la pièce (AAAA-MM-JJ)")
    sp.add_argument("--note", default="")
    sp = add("backup", cmd_backup, "sauvegarder la base maintenant", as_of=False)
    sp.add_argument(
        "-o",
        "--output",
        type=Path,
        help="fichier de la copie (défaut : le dossier des sauvegardes)",
    )
    sp = add(
        "restore",
        cmd_restore,
        "remplacer la base par une sauvegarde (vérifiée avant)",
        as_of=False,
    )
    sp.add_argument("file", type=Path)
    sp = add("settings", cmd_settings, "lire ou modifier un paramètre", as_of=False)
    sp.add_argument("action", choices=("get", "set"))
    sp.add_argument("key")
    sp.add_argument("value", nargs="?")
