"""The first-run prompt on an empty database (demo, import, blank start) and the import flow."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from models.errors import InputError, StorageError
from models.importing.apply import Cancelled, ImportCancelledError, ImportReport, Progress
from models.importing.read import parse_file
from models.store import db
from models.store.ledger import Ledger
from ui.background import LongWrite, WriteWork
from ui.dialogs.import_progress import ImportProgressDialog
from ui.ops import Ops, tr

DEMO, IMPORT, EMPTY = "demo", "import", "empty"
MAX_ERRORS_SHOWN = 12


class FirstRunDialog(QDialog):
    """Welcome: load the demo data, import a spreadsheet or start with an empty database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Bienvenue dans Relance"))
        self.choice = EMPTY
        intro = QLabel(
            tr(
                "<b>Votre base de factures est vide.</b><br>Par quoi voulez-vous commencer ? "
                "Vous pourrez importer ou saisir vos factures à tout moment."
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.buttons: dict[str, QCommandLinkButton] = {}
        for key, title, text in (
            (
                DEMO,
                tr("Charger les données de démonstration"),
                tr("Une quarantaine de clients fictifs, des factures à toutes les étapes."),
            ),
            (
                IMPORT,
                tr("Importer un tableur…"),
                tr("Votre suivi Excel, LibreOffice ou CSV (client, n°, dates, montant, payé)."),
            ),
            (
                EMPTY,
                tr("Commencer avec une base vide"),
                tr("Saisissez vos clients et factures vous-même."),
            ),
        ):
            button = QCommandLinkButton(title, text)
            button.clicked.connect(lambda _checked=False, k=key: self._choose(k))
            layout.addWidget(button)
            self.buttons[key] = button
        self.buttons[DEMO].setDefault(True)
        self.buttons[DEMO].setFocus()
        self.setMinimumWidth(520)

    def _choose(self, key: str) -> None:
        self.choice = key
        self.accept()


def choose_file(parent: QWidget | None) -> Path | None:
    """Ask for the spreadsheet to import."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        tr("Importer un tableur"),
        str(Path.home()),
        tr("Tableurs (*.csv *.xlsx *.xls *.xlsb *.ods);;Tous les fichiers (*)"),
    )
    return Path(name) if name else None


def ask_skip(parent: QWidget | None, report: ImportReport) -> bool:
    """Show the refused rows; True when the user wants the valid rows imported anyway."""
    lines = [str(e) for e in report.errors[:MAX_ERRORS_SHOWN]]
    more = len(report.errors) - len(lines)
    if more > 0:
        lines.append(tr("… et {n} autre(s) erreur(s)").format(n=more))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Import refusé"))
    box.setText(tr("{n} ligne(s) en erreur : rien n'a été importé.").format(n=len(report.errors)))
    box.setInformativeText("\n".join(f"• {line}" for line in lines))
    skip = box.addButton(
        tr("Importer les lignes valides seulement"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is skip


def ask_conflicts(parent: QWidget | None, report: ImportReport) -> bool | None:
    """List the invoices stored with another amount or client; True: replace, False: keep."""
    lines = [c.text for c in report.conflicts[:MAX_ERRORS_SHOWN]]
    more = len(report.conflicts) - len(lines)
    if more > 0:
        lines.append(tr("… et {n} autre(s)").format(n=more))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Factures déjà enregistrées"))
    box.setText(
        tr(
            "{n} facture(s) du fichier sont déjà enregistrées avec un autre montant ou un autre "
            "client. Que faire ?"
        ).format(n=len(report.conflicts))
    )
    box.setInformativeText("\n".join(f"• {line}" for line in lines))
    keep = box.addButton(tr("Garder celles enregistrées"), QMessageBox.ButtonRole.AcceptRole)
    replace = box.addButton(
        tr("Remplacer par celles du fichier"), QMessageBox.ButtonRole.DestructiveRole
    )
    box.addButton(tr("Annuler l'import"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    if box.clickedButton() is replace:
        return True
    return False if box.clickedButton() is keep else None


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """An information box (replaceable in tests)."""
    QMessageBox.information(parent, title, text)


def watch_progress(_dialog: ImportProgressDialog) -> None:
    """Nothing: the dialog runs on its own (tests replace this to act on it)."""


# Replaceable for tests, which must not block on modal boxes.
choose_file_hook: Callable[[QWidget | None], Path | None] = choose_file
ask_skip_hook: Callable[[QWidget | None, ImportReport], bool] = ask_skip
ask_conflicts_hook: Callable[[QWidget | None, ImportReport], bool | None] = ask_conflicts
tell_hook: Callable[[QWidget | None, str, str], None] = tell
# Sees each progress dialog as it opens (tests press « Annuler » or take its picture).
watch_progress_hook: Callable[[ImportProgressDialog], None] = watch_progress


def import_spreadsheet(parent: QWidget | None, ops: Ops, path: Path | None = None) -> bool:
    """Import a CSV/XLSX file all-or-nothing, dated today; errors and conflicts asked first.

    A trial run (nothing written) finds the invalid rows and the invoices already stored with
    another amount or client; the user chooses, then the file is imported in one transaction.
    Both run off the interface thread with a progress dialog; « Annuler » stops them before
    anything is saved.
    """
    path = path or choose_file_hook(parent)
    if path is None:
        return False
    today = ops.today()
    title = tr("Import de {name}").format(name=path.name)

    def check(ledger: Ledger, progress: Progress, cancelled: Cancelled) -> tuple[Any, Any]:
        def told(stage: str, done: int, total: int) -> None:
            if cancelled():
                raise ImportCancelledError
            progress(stage, done, total)

        parsed = parse_file(path, told)
        trial = ledger.import_parsed(
            parsed, today, skip_invalid=True, dry_run=True, progress=progress, cancelled=cancelled
        )
        return parsed, trial

    checked = in_background(parent, ops, title, check, path)
    if checked is None:
        return False
    parsed, trial = checked
    skip = False
    if trial.errors:
        if not ask_skip_hook(parent, trial):
            return False
        skip = True
    replace = False
    if trial.conflicts:
        answer = ask_conflicts_hook(parent, trial)
        if answer is None:
            return False
        replace = answer

    def write(ledger: Ledger, progress: Progress, cancelled: Cancelled) -> ImportReport:
        return ledger.import_parsed(
            parsed, today, skip, replace, progress=progress, cancelled=cancelled
        )

    report = in_background(parent, ops, title, write, path, writes=True)
    if report is None:
        return False
    tell_hook(parent, tr("Import terminé"), summary(report))
    return True


def in_background(
    parent: QWidget | None,
    ops: Ops,
    title: str,
    work: WriteWork,
    path: Path,
    *,
    writes: bool = False,
) -> Any:
    """Run an import step off the interface thread behind its progress dialog; its result.

    None when the user cancelled (said: nothing saved) or it failed (said in French: which
    file, why, nothing saved); the views re-read the database after a write.
    """
    job = LongWrite(ops)
    dialog = ImportProgressDialog(job, title, parent)
    watch_progress_hook(dialog)
    if not job.cancelled():
        job.start(work)
    else:
        job.finished.emit(False, ImportCancelledError())
    if dialog.outcome is None:
        dialog.exec()
    ok, result = dialog.outcome or (False, ImportCancelledError())
    dialog.deleteLater()
    if ok:
        if writes:
            ops.changed.emit("all")
        return result
    if isinstance(result, ImportCancelledError):
        tell_hook(parent, tr("Import annulé"), tr("Import annulé : rien n'a été enregistré."))
    elif isinstance(result, InputError):  # unreadable file: refused with its reason
        ops.refused.emit(str(result))
        ops.show_refusal(parent, result)
    else:
        if isinstance(result, StorageError | SQLAlchemyError | OSError):
            text = db.describe_error(result, db.sqlite_path(ops.ledger.url))
        else:
            text = tr("l'import de {name} a échoué ({cause}) : rien n'a été enregistré").format(
                name=path.name, cause=result
            )
        ops.refused.emit(text)
        ops.show_problem(parent, text)
    return None


def summary(report: ImportReport) -> str:
    """The import's result in one sentence, then each skipped line, conflict and inference."""
    text = tr(
        "{inv} facture(s) et {cli} client(s) créés, {pay} paiement(s), "
        "{same} déjà présente(s), {skip} ligne(s) ignorée(s)."
    ).format(
        inv=report.invoices_created,
        cli=report.clients_created,
        pay=report.payments_created,
        same=report.unchanged,
        skip=len(report.errors),
    )
    notes = [*report.warnings, *(str(c) for c in report.conflicts)]
    shown = notes[:MAX_ERRORS_SHOWN]
    if len(notes) > len(shown):
        shown.append(tr("… et {n} autre(s) remarque(s)").format(n=len(notes) - len(shown)))
    return "\n".join([text, "", *(f"• {line}" for line in shown)]) if shown else text


def load_demo(parent: QWidget | None, ops: Ops) -> bool:
    """Fill the database with the demo data, dated relative to today."""
    from models.demo import build_demo

    return ops.run(parent, lambda: build_demo(ops.ledger, ops.today()), "all") is not None


def run_first_run(parent: QWidget | None, ops: Ops, choice: str | None = None) -> str:
    """Ask (unless `choice` is given) and do it; returns the choice made."""
    if choice is None:
        dialog = FirstRunDialog(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return EMPTY
        choice = dialog.choice
    if choice == DEMO:
        load_demo(parent, ops)
    elif choice == IMPORT:
        import_spreadsheet(parent, ops)
    return choice
