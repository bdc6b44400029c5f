"""The shared office's commands: moving a ledger to a PostgreSQL server and back to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ui.cli.common import AddCommand, UsageError


def cmd_migrate_to(ledger: Any, args: argparse.Namespace) -> int:
    """Copy a SQLite ledger into an empty PostgreSQL base, or (--to) a ledger into a new file.

    Opens its own ledgers: the source is --from, else --db / $RELANCE_DB / the default file.
    """
    import os

    from models.store import db, transfer

    source = args.source or args.db or os.environ.get("RELANCE_DB")
    source_url = db.resolve_url(source)
    if args.to is not None:
        if args.target:
            raise UsageError(
                "indiquez soit une adresse PostgreSQL, soit --to FICHIER, pas les deux"
            )
        report = transfer.to_file(source_url, args.to)
        where = str(args.to)
    else:
        if not args.target:
            raise UsageError(
                "indiquez la base cible : postgresql://utilisateur@serveur:port/base "
                "(ou --to FICHIER.sqlite pour une copie SQLite)"
            )
        if db.is_server(source_url):
            raise UsageError(
                "la source est déjà une base PostgreSQL : indiquez --from FICHIER.sqlite"
            )
        report = transfer.to_server(source_url, args.target)
        where = db.display_url(args.target)
    print(
        f"Copie vérifiée : {report.rows.get('client', 0)} clients, {report.invoices} factures, "
        f"{report.rows.get('payment', 0)} paiements, {report.rows.get('action', 0)} lignes "
        f"d'historique -> {where}",
        file=sys.stderr,
    )
    return 0


def register(add: AddCommand) -> None:
    """The server commands."""
    sp = add(
        "migrate-to",
        cmd_migrate_to,
        "copier le registre dans une base PostgreSQL vide (ou --to : dans un nouveau fichier)",
        as_of=False,
    )
    sp.add_argument(
        "target", nargs="?", default="", help="postgresql://utilisateur@serveur:port/base"
    )
    sp.add_argument(
        "--from",
        dest="source",
        type=str,
        default=None,
        help="le fichier SQLite à copier (défaut : --db ou la base habituelle)",
    )
    sp.add_argument(
        "--to", type=Path, default=None, help="écrire une copie SQLite dans ce NOUVEAU fichier"
    )
    sp.set_defaults(opens_itself=True)
