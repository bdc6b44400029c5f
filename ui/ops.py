"""The one operation helper: runs a change, shows a refusal in one dialog style, signals views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from models.errors import InputError
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
        # The dialog is an attribute so tests can replace it (a modal box would block them).
        self.show_refusal: Callable[[QWidget | None, InputError], None] = show_refusal

    def today(self) -> dt.date:
        """The as-of date used by every view."""
        return self._today()

    def set_today(self, day: dt.date) -> None:
        """Fix the as-of date (tests, "as of" reviews) and refresh every view."""
        self._today = lambda: day
        self.changed.emit("all")

    def run(self, parent: QWidget | None, work: Callable[[], T], what: str = "all") -> T | None:
        """Run `work` (one Ledger write); on refusal show why and return None, else signal."""
        try:
            result = work()
        except InputError as exc:
            self.refused.emit(str(exc))
            self.show_refusal(parent, exc)
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
