"""The settings dialog: a list of pages on the left (Entreprise, Politique, Taux, Modèles...)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.ops import Ops, tr
from ui.settings.backups import BackupsPage
from ui.settings.company import CompanyPage
from ui.settings.mail import MailPage
from ui.settings.policy import PolicyPage
from ui.settings.rates import RatesPage
from ui.settings.sync import SyncPage
from ui.settings.templates import TemplatesPage

PAGES: tuple[tuple[str, str, Callable[[Ops], QWidget]], ...] = (
    ("company", "Entreprise", CompanyPage),
    ("policy", "Politique de relance", PolicyPage),
    ("rates", "Taux", RatesPage),
    ("templates", "Modèles de lettres", TemplatesPage),
    ("mail", "E-mail", MailPage),
    ("backups", "Sauvegardes", BackupsPage),
    ("sync", "Synchronisation", SyncPage),
)
PAGE_KEYS = tuple(key for key, _title, _make in PAGES)
# Closing with changes not saved (issue 14): the user's answer.
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget | None, pages: list[str]) -> str:
    """Enregistrer / Ne pas enregistrer / Annuler, naming the pages with changes."""
    box, answers = unsaved_box(parent, pages)
    box.exec()
    return answers.get(box.clickedButton(), CANCEL)


def unsaved_box(parent: QWidget | None, pages: list[str]) -> tuple[QMessageBox, dict[object, str]]:
    """The question (not shown yet) and the answer each of its buttons gives."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Modifications non enregistrées"))
    box.setText(tr("Enregistrer les modifications avant de fermer ?"))
    box.setInformativeText(tr("Pages modifiées : {p}.").format(p=", ".join(pages)))
    save = box.addButton(tr("Enregistrer"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(tr("Ne pas enregistrer"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box, {save: SAVE, discard: DISCARD, cancel: CANCEL}


class SettingsDialog(QDialog):
    """Make Relance yours: each page saves on its own button, through the Ledger."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, page: str = "company") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Paramètres"))
        self.resize(1180, 760)
        self.ops = ops
        self.ask_unsaved: Callable[[QWidget | None, list[str]], str] = ask_unsaved
        self.nav = QListWidget()
        self.nav.setFixedWidth(190)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for key, title, make in PAGES:
            widget = make(ops)
            self.pages[key] = widget
            self.stack.addWidget(widget)
            self.nav.addItem(tr(title))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Fermer"))
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(buttons)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.show_page(page)

    def show_page(self, key: str) -> None:
        """Bring a page to the front: 'company', 'policy', 'rates', 'templates' or 'backups'."""
        self.nav.setCurrentRow(PAGE_KEYS.index(key) if key in PAGE_KEYS else 0)

    def current_page(self) -> str:
        """The key of the page shown."""
        return PAGE_KEYS[self.stack.currentIndex()]

    def unsaved(self) -> list[str]:
        """The keys of the pages holding changes not saved."""
        return [
            key
            for key, page in self.pages.items()
            if callable(getattr(page, "is_dirty", None)) and page.is_dirty()  # type: ignore[attr-defined]
        ]

    def may_close(self) -> bool:
        """With changes not saved, ask: save them, drop them, or stay (issue 14)."""
        dirty = self.unsaved()
        if not dirty:
            return True
        titles = {key: tr(title) for key, title, _make in PAGES}
        answer = self.ask_unsaved(self, [titles[k] for k in dirty])
        if answer == SAVE:
            return all(self.pages[k].save() for k in dirty)  # type: ignore[attr-defined]
        return answer == DISCARD

    def reject(self) -> None:
        """Fermer or Échap: only once the changes are saved or dropped."""
        if self.may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button: the same question."""
        if self.may_close():
            super().closeEvent(event)
        else:
            event.ignore()


def open_settings(ops: Ops, parent: QWidget | None = None, page: str = "company") -> None:
    """Open the settings dialog on a page (menu Outils > Paramètres, banner, first letter)."""
    dialog = SettingsDialog(ops, parent, page)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exec()


def ensure_company(
    ops: Ops, kind: str | None, parent: QWidget | None = None, b2c: bool = False
) -> bool:
    """Before a letter: when the identity lacks what it needs, ask for it first.

    `b2c`: the letter goes to a consumer, so the consumer mediator is needed too
    (C. conso. L612-1, L616-1). Returns True when the letter can be made (the identity is,
    or has just been, completed).
    """
    missing = ops.ledger.company_missing(kind, b2c)
    if not missing:
        return True
    QMessageBox.information(
        parent,
        tr("Votre entreprise"),
        tr("Avant d'imprimer un courrier, renseignez votre entreprise : {fields}.").format(
            fields=", ".join(tr(m) for m in missing)
        )
        + (
            "\n\n"
            + tr(
                "Un courrier à un particulier doit indiquer le médiateur de la consommation "
                "que vous lui proposez gratuitement (C. consom. L612-1 et L616-1)."
            )
            if b2c and any(m.startswith(("médiateur", "site du médiateur")) for m in missing)
            else ""
        ),
    )
    open_settings(ops, parent, "company")
    return not ops.ledger.company_missing(kind, b2c)
