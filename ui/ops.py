"""The one operation helper: runs a change, shows a refusal in one dialog style, signals views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from models.errors import ConflictError, InputError, StorageError
from models.store import db
from models.store.ledger import Ledger

T = TypeVar("T")


def tr(text: str) -> str:
    """Translate a user-visible string (context 'Relance'); French is the source language."""
    return QCoreApplication.translate("Relance", text)


class Ops(QObject):
    """Every write from the interface goes through `run`; views refresh on `changed`.

    `changed` carries what changed: "invoices", "clients", "history", "settings" or "all".
    `today` is the as-of date of the whole interface; tests set it to a fixed day.
    """

    changed = Signal(str)
    refused = Signal(str)  # the refusal text, for the status bar and tests

    def __init__(self, ledger: Ledger, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.ledger = ledger
        self._today = today
        # The dialogs are attributes so tests can replace them (a modal box would block them).
        self.show_refusal: Callable[[QWidget | None, InputError], None] = show_refusal
        self.show_problem: Callable[[QWidget | None, str], None] = show_problem
        # Issue 18: an edit made on a stale copy; True when the user chooses to reload.
        self.show_conflict: Callable[[QWidget | None, ConflictError], bool] = show_conflict
        # Édition > Annuler / Rétablir: what the window did to the data (ui/undo.py); each
        # undo is itself a recorded correction, never a hidden delete.
        self.undo_stack = QUndoStack(self)
        # A payment recorded again by an undo is a new entry: old id -> new id, so that the
        # other commands on the stack follow it.
        self.moved_payments: dict[int, int] = {}

    def today(self) -> dt.date:
        """The as-of date used by every view."""
        return self._today()

    def set_today(self, day: dt.date) -> None:
        """Fix the as-of date (tests, "as of" reviews) and refresh every view."""
        self._today = lambda: day
        self.changed.emit("all")

    def run(
        self,
        parent: QWidget | None,
        work: Callable[[], T],
        what: str = "all",
        reload: Callable[[], object] | None = None,
    ) -> T | None:
        """Run `work` (one Ledger write); on refusal or failure show why and return None.

        A database or file error (busy, read-only, disk full) was rolled back by the Ledger's
        transaction: it is said in French and the views re-read the database as it is.
        An edit made on a stale copy (ConflictError, issue 18) says what changed, by whom and
        when, and offers to reload: `reload` then shows the record as it is now.
        """
        try:
            result = work()
        except ConflictError as exc:
            self.refused.emit(str(exc))
            wanted = self.show_conflict(parent, exc)
            self.changed.emit("all")  # the views show what the other person did
            if wanted and reload is not None:
                reload()
            return None
        except InputError as exc:
            self.refused.emit(str(exc))
            self.show_refusal(parent, exc)
            return None
        except (StorageError, SQLAlchemyError, OSError) as exc:
            text = db.describe_error(exc, db.sqlite_path(self.ledger.url))
            self.refused.emit(text)
            self.show_problem(parent, text)
            self.changed.emit(what)
            return None
        self.changed.emit(what)
        return result


def show_refusal(parent: QWidget | None, exc: InputError) -> None:
    """The single dialog style for refused input: what was refused and why, nothing saved."""
    lines = [str(e).removeprefix(" : ") for e in exc.errors]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Saisie refusée"))
    box.setText(tr("Rien n'a été enregistré."))
    box.setInformativeText("\n".join(f"• {line}" for line in lines))
    box.exec()


def show_conflict(parent: QWidget | None, exc: ConflictError) -> bool:
    """Someone else changed the record meanwhile: what, who, when; True to reload it."""
    box = conflict_box(parent, exc)
    box.exec()
    return box.clickedButton() is box.property("reload_button")


def conflict_box(parent: QWidget | None, exc: ConflictError) -> QMessageBox:
    """The conflict message (built apart so tests and screenshots can look at it)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Modifié par quelqu'un d'autre"))
    box.setText(tr("Votre modification n'a pas été enregistrée."))
    text = str(exc)
    box.setInformativeText(text[:1].upper() + text[1:] + ".")
    reload_button = box.addButton(tr("Recharger"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Fermer"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload_button)
    box.setProperty("reload_button", reload_button)
    return box


def show_problem(parent: QWidget | None, text: str) -> None:
    """The dialog for a database or file that failed: what happened, what to do, nothing saved."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(tr("Opération impossible"))
    box.setText(tr("Rien n'a été enregistré."))
    box.setInformativeText(text[:1].upper() + text[1:])
    box.exec()
