"""Aide > À propos: the version, where the data lives, and the licences of what ships."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.resources import resource_path
from models.store import db
from models.store.ledger import Ledger
from models.version import app_version
from ui.ops import tr

LICENCES_SUMMARY = "LISEZMOI.txt"


def database_place(ledger: Ledger) -> str:
    """The database as the user knows it: a file path, never a sqlite:// URL."""
    path = db.sqlite_path(ledger.url)
    return str(path) if path is not None else tr("base en mémoire ou sur un serveur")


def backups_place(ledger: Ledger) -> str:
    """The backups folder, or why there is none."""
    folder = ledger.backup_dir()
    return str(folder) if folder is not None else tr("aucun (base sans fichier)")


class AboutDialog(QDialog):
    """Version, database file, backups folder; the licences summary and where the texts are."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("À propos de Relance"))
        self.resize(640, 520)
        self.version = app_version()
        self.database = database_place(ledger)
        self.backups = backups_place(ledger)
        self.licences_dir = resource_path("licences")
        layout = QVBoxLayout(self)
        self.header = QLabel(self._header_html())
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.header.setOpenExternalLinks(False)
        self.header.linkActivated.connect(self._open_folder)
        layout.addWidget(self.header)
        self.licences = QPlainTextEdit(self._licences_text())
        self.licences.setReadOnly(True)
        layout.addWidget(self.licences, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _header_html(self) -> str:
        rows = (
            (tr("Base de données"), self.database),
            (tr("Sauvegardes"), self.backups),
        )
        lines = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;:&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        link = QUrl.fromLocalFile(str(self.licences_dir)).toString()
        return (
            f"<p><b>Relance</b> {html.escape(self.version)}<br>"
            + html.escape(
                tr(
                    "Suivi des factures impayées et relances pour les petites entreprises "
                    "françaises. Vos données restent sur cet ordinateur."
                )
            )
            + f"</p><table>{lines}</table><p>"
            + html.escape(tr("Licences des logiciels inclus (textes complets : "))
            + f'<a href="{html.escape(link)}">{html.escape(str(self.licences_dir))}</a>)</p>'
        )

    def _licences_text(self) -> str:
        summary = self.licences_dir / LICENCES_SUMMARY
        try:
            return summary.read_text("utf-8")
        except OSError:
            return tr("Résumé des licences introuvable : {p}").format(p=summary)

    def _open_folder(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))


def show_about(ledger: Ledger, parent: QWidget | None) -> AboutDialog:
    """Open the dialog (modal to the window) and return it."""
    dialog = AboutDialog(ledger, parent)
    dialog.open()
    return dialog
