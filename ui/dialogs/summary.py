"""What a run of file imports did: a headline and one row per file (added, known, refused)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.ops import tr

COL_STATUS, COL_FILE, COL_DETAIL = range(3)
HEADERS = ("Résultat", "Fichier", "Détail")
REFUSED_BG = QColor("#fbe3e1")
CONFLICT_BG = QColor("#fff3cd")


class SummaryRow(NamedTuple):
    """One line of the summary: a status word, the file, what happened."""

    status: str
    file: str
    detail: str
    tone: str = ""  # "refused", "conflict" or "" (colour as well as the word)


class SummaryDialog(QDialog):
    """The headline in bold, then the table of files; closing is all it asks."""

    def __init__(
        self,
        title: str,
        headline: str,
        rows: Sequence[SummaryRow],
        parent: QWidget | None = None,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 420)
        self.headline = QLabel(f"<b>{_escape(headline)}</b>")
        self.headline.setWordWrap(True)
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(rows):
            for c, text in enumerate((row.status, row.file, row.detail)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row.tone == "refused":
                    item.setBackground(QBrush(REFUSED_BG))
                elif row.tone == "conflict":
                    item.setBackground(QBrush(CONFLICT_BG))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        """The table as text (tests read it)."""
        return [
            tuple(self.table.item(r, c).text() for c in range(len(HEADERS)))  # type: ignore[misc]
            for r in range(self.table.rowCount())
        ]


def _escape(text: str) -> str:
    """Plain text inside a rich-text label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
