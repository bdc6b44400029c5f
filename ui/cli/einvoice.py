"""Issued invoices from e-invoice files (`main.py invoices FILE...`) and the watched folders
(`main.py sync`): both Qt-free, for scripts and a scheduled task."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ui.cli.common import AddCommand


def cmd_invoices(ledger: Any, args: argparse.Namespace) -> int:
    """Import Factur-X PDFs, UBL and CII XML files in one transaction, dated --as-of.

    Any file refused: nothing is written, each refusal printed (file, field, why), status 2.
    """
    from models.einvoice.record import import_invoices
    from models.einvoice.summary import detail_lines, headline

    report = import_invoices(ledger, args.files, args.as_of, dry_run=args.dry_run)
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        for line in detail_lines(report):
            print(line)
    print(headline(report), file=sys.stderr)
    return 2 if report.refusals else 0


def cmd_sync(ledger: Any, args: argparse.Namespace) -> int:
    """Read the new files of the watched folders (Paramètres > Synchronisation) once each."""
    import datetime as dt

    from models.sync.watch import FOLDER_TITLES, synchronise

    report = synchronise(ledger, args.as_of, dt.datetime.now().astimezone())
    if args.format == "json":
        folders = [
            {
                "folder": f.kind,
                "path": str(f.folder or ""),
                "problem": f.problem,
                "already_seen": f.already_seen,
                "files": [{"file": o.name, "ok": o.ok, "outcome": o.text} for o in f.files],
            }
            for f in report.folders
        ]
        print(json.dumps({"folders": folders}, ensure_ascii=False, indent=1))
    else:
        for f in report.folders:
            title = FOLDER_TITLES[f.kind]
            if f.problem:
                print(f"{title} : {f.problem}")
            for o in f.files:
                print(f"{title} / {o.name} : {o.text}")
    print(report.headline(), file=sys.stderr)
    return 0


def register(add: AddCommand) -> None:
    """The e-invoice command's arguments."""
    sp = add(
        "invoices",
        cmd_invoices,
        "importer des factures électroniques (Factur-X PDF, UBL ou CII XML)",
    )
    sp.add_argument("files", nargs="+", type=Path, metavar="FICHIER")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument(
        "--dry-run",
        action="store_true",
        help="lire et vérifier sans rien enregistrer",
    )
    sp = add("sync", cmd_sync, "lire les nouveaux fichiers des dossiers surveillés")
    sp.add_argument("--format", choices=("text", "json"), default="text")
