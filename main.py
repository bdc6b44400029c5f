"""Relance entry point: no argument opens the window; subcommands are the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ui.cli import bank, einvoice, letters, mail, records, reports, server
from ui.cli.common import Command, Parser, UsageError, parse_date

# Set to 1 (like --smoke-test): the window opens, paints once and quits (checks of a build).
SMOKE_ENV = "RELANCE_SMOKE_TEST"


class VersionAction(argparse.Action):
    """`--version`: the installed version, read only when asked (every command starts faster)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "show program's version number and exit")  # argparse's own
        super().__init__(
            option_strings, argparse.SUPPRESS, nargs=0, default=argparse.SUPPRESS, **kwargs
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"relance {_version()}")
        parser.exit()


def build_parser(today: dt.date) -> argparse.ArgumentParser:
    """The command line of DESIGN.md."""
    p = Parser(prog="relance", description="Relance : suivi et relance des factures impayées.")
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
    p.add_argument("--version", action=VersionAction)
    p.add_argument(
        "--smoke-test",
        action="store_true",
        default=os.environ.get(SMOKE_ENV) == "1",
        help=f"ouvrir la fenêtre, attendre son premier affichage et quitter (ou ${SMOKE_ENV}=1)",
    )
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    def add(name: str, func: Command, help_: str, as_of: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_)
        sp.set_defaults(func=func)
        if as_of:
            sp.add_argument(
                "--as-of", type=parse_date, default=today, help="date de calcul (AAAA-MM-JJ)"
            )
        return sp

    # The order of `relance --help`: the first run, then reading, documents, sending, records.
    for family in (records, reports, letters, mail, bank, einvoice, server):
        family.register(add)
    return p


def run(argv: Sequence[str], today: dt.date | None = None) -> int:
    """Run one command; bad input prints one line on stderr and returns 2."""
    from models.errors import InputError, MissingDatabaseError, StorageError

    today = today or dt.date.today()
    try:
        args = build_parser(today).parse_args(argv)
        if args.command is None:
            return open_window(args.db, smoke_test=args.smoke_test)
        if getattr(args, "opens_itself", False):  # migrate-to: its source and target
            return int(args.func(None, args))
        ledger = _quick(args) or _open(args)
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


def _quick(args: argparse.Namespace) -> Any:
    """The light reader (no ORM) for a command that reads with it, when the file needs nothing.

    A command opts in with `quick` in its defaults (a test of its arguments); None otherwise,
    and the full Ledger is opened.
    """
    wants = getattr(args, "quick", None)
    if wants is None or not wants(args):
        return None
    from models.store.quick import QuickReader

    return QuickReader.open(args.db, dt.datetime.now())


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
    """Open the main window on the user's database (a first-run prompt when it is empty).

    The invoice table is read in a child process while Qt and the window's modules load
    (`ui.tables.ahead`: before any import starts a thread); the smoke test shows no table.
    """
    from ui.tables import ahead

    reading = None if smoke_test else ahead.start(db_arg, dt.date.today())
    from ui.app import run_app  # PySide6 only when a window is wanted: the CLI stays Qt-free

    return run_app(db_arg, smoke_test=smoke_test, ahead=reading)


def main() -> None:
    """The `relance` command: pyproject's [project.scripts] and the bundle's start."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
