"""Watched folders: on start and on request, the new files of each folder are read once.

Each folder kind has a handler (invoices: Factur-X/UBL/CII files into the ledger; bank: the
statements, through models.bank when it is there). A file is known by its SHA-256 (table
`syncedfile`), whatever its name: read once, refused or not, it is never read again; a file
corrected and saved again has another SHA-256 and is read anew.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from models.bank.read import read_statement
from models.einvoice.read import SUFFIXES as INVOICE_SUFFIXES
from models.einvoice.record import import_invoices
from models.errors import InputError
from models.store.ledger import Ledger
from models.store.tables import SyncedFile

INVOICES, BANK = "invoices", "bank"
FOLDER_SETTINGS = {INVOICES: "sync_invoices_dir", BANK: "sync_bank_dir"}
FOLDER_TITLES = {INVOICES: "Factures", BANK: "Relevés bancaires"}
BANK_SUFFIXES = (".xml", ".ofx", ".qfx", ".csv", ".sta")
MAX_FILE_BYTES = 50 * 1024 * 1024  # a statement or an invoice is never near this


@dataclass(frozen=True)
class FileOutcome:
    """What became of one new file: `ok` False when it was refused (the reason is `text`)."""

    name: str
    text: str
    ok: bool = True


@dataclass
class FolderResult:
    """One folder's run: its new files and what became of each, or why it was not read."""

    kind: str
    folder: Path | None
    files: list[FileOutcome] = field(default_factory=list)
    problem: str = ""  # "dossier introuvable : ..." when it could not be read
    already_seen: int = 0


@dataclass
class SyncReport:
    """Every watched folder's result."""

    folders: list[FolderResult] = field(default_factory=list)

    @property
    def new_files(self) -> int:
        """How many files were read for the first time."""
        return sum(len(f.files) for f in self.folders)

    def headline(self) -> str:
        """One sentence for the status bar and the summary."""
        if not any(f.folder for f in self.folders):
            return "Aucun dossier surveillé : choisissez-les dans Paramètres > Synchronisation."
        refused = sum(1 for f in self.folders for o in f.files if not o.ok)
        if not self.new_files:
            return "Synchronisation : aucun nouveau fichier."
        return f"Synchronisation : {self.new_files} nouveau(x) fichier(s) lu(s)" + (
            f", dont {refused} refusé(s)." if refused else "."
        )


# A handler reads the new files of its folder and says what became of each (by file name).
Handler = Callable[[Ledger, list[Path], dt.date], list[FileOutcome]]


def read_invoice_files(ledger: Ledger, paths: list[Path], today: dt.date) -> list[FileOutcome]:
    """Import the new invoice files; a refused file is set aside and the others imported.

    The import is all-or-nothing; in a folder nobody watches over, one bad file must not hold
    the others back forever, so the run is repeated without the files it refused.
    """
    outcomes: dict[str, FileOutcome] = {}
    remaining = list(paths)
    while remaining:
        report = import_invoices(ledger, remaining, today)
        if not report.refusals:
            for p in remaining:
                outcomes[p.name] = FileOutcome(p.name, report.outcomes.get(p.name, "lu"))
            break
        refused: dict[str, list[str]] = {}
        for r in report.refusals:
            refused.setdefault(r.file, []).append(
                f"{r.field} : {r.message}" if r.field else r.message
            )
        for name, reasons in refused.items():
            outcomes[name] = FileOutcome(name, "refusé : " + " ; ".join(reasons), ok=False)
        remaining = [p for p in remaining if p.name not in refused]
    return [outcomes[p.name] for p in paths if p.name in outcomes]


def read_bank_files(ledger: Ledger, paths: list[Path], today: dt.date) -> list[FileOutcome]:
    """Each statement through the bank import (its own transaction per file): the credits are
    kept once and the sure ones recorded, as `relance bank FILE --apply` does."""
    outcomes = []
    for p in paths:
        try:
            result = ledger.bank_import(read_statement(p), today, apply=True)
        except InputError as exc:
            outcomes.append(FileOutcome(p.name, f"refusé : {exc}", ok=False))
            continue
        outcomes.append(FileOutcome(p.name, result.headline()))
    return outcomes


HANDLERS: dict[str, tuple[Handler, tuple[str, ...]]] = {
    INVOICES: (read_invoice_files, INVOICE_SUFFIXES),
    BANK: (read_bank_files, BANK_SUFFIXES),
}


def sha256_of(path: Path) -> str:
    """A file's SHA-256, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def synchronise(ledger: Ledger, today: dt.date, now: dt.datetime) -> SyncReport:
    """Read the new files of every watched folder set in the settings; remember them.

    `now` is when they were seen (a naive time is taken as local time).
    """
    now = now if now.tzinfo is not None else now.astimezone()
    report = SyncReport()
    for kind, (handler, suffixes) in HANDLERS.items():
        setting = str(ledger.setting(FOLDER_SETTINGS[kind]) or "")
        folder = Path(setting).expanduser() if setting else None
        result = FolderResult(kind, folder)
        report.folders.append(result)
        if folder is None:
            continue
        _sync_folder(ledger, result, folder, handler, suffixes, today, now)
    return report


def _sync_folder(
    ledger: Ledger,
    result: FolderResult,
    folder: Path,
    handler: Handler,
    suffixes: tuple[str, ...],
    today: dt.date,
    now: dt.datetime,
) -> None:
    """The new files of one folder, handed to its handler, then remembered."""
    try:
        candidates = sorted(
            p
            for p in folder.iterdir()
            if p.is_file()
            and p.suffix.lower() in suffixes
            and not p.name.startswith((".", "~$"))
            and p.stat().st_size <= MAX_FILE_BYTES
        )
    except FileNotFoundError:
        result.problem = f"dossier introuvable : {folder} (disque débranché ?)"
        return
    except OSError as exc:
        result.problem = f"dossier illisible : {folder} ({exc.strerror})"
        return
    with Session(ledger.engine) as s:
        known = set(
            s.exec(select(SyncedFile.sha256).where(col(SyncedFile.folder) == result.kind)).all()
        )
    fresh: dict[str, Path] = {}
    for p in candidates:
        try:
            sha = sha256_of(p)
        except OSError:
            continue  # being written by the other program: read at the next run
        if sha in known or sha in fresh:
            result.already_seen += 1
        else:
            fresh[sha] = p
    if not fresh:
        return
    result.files = handler(ledger, list(fresh.values()), today)
    told = {o.name: o for o in result.files}
    with ledger._write() as s:
        for sha, p in fresh.items():
            outcome = told.get(p.name)
            if outcome is None:
                continue  # not handled (yet): read again next time
            s.add(
                SyncedFile(
                    sha256=sha, folder=result.kind, name=p.name, seen_at=now, outcome=outcome.text
                )
            )


def recent_files(ledger: Ledger, limit: int = 50) -> list[SyncedFile]:
    """The files the watched folders held, the last seen first (the settings page lists them)."""
    with Session(ledger.engine) as s:
        return list(
            s.exec(
                select(SyncedFile)
                .order_by(col(SyncedFile.seen_at).desc(), col(SyncedFile.id).desc())
                .limit(limit)
            ).all()
        )
