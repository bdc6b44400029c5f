"""The banner of the main window when the automatic backup failed: why, and where to fix it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.ops import Ops, tr

STYLE = (
    "QFrame#backupBanner { background: #ffe0d6; border: 1px solid #d9826a; border-radius: 3px; }"
    " QLabel { color: #5a1e0e; }"
)


class BackupBanner(QFrame):
    """'⚠ La sauvegarde n'a pas pu être faite : …' with a button to the backups page.

    A failed backup never blocks the database (issue 12); it is said here until a backup
    succeeds (Réglages > Sauvegardes > Sauvegarder maintenant clears it).
    """

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("backupBanner")
        self.setStyleSheet(STYLE)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(tr("Réglages des sauvegardes…"))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(self.open_backups)
        ops.changed.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        """The warning shown ('' when the banner is hidden)."""
        return self.label.text()

    def refresh(self, _what: str = "all") -> None:
        """Show the last backup failure, or hide."""
        problem = self.ops.ledger.backup_problem
        self.label.setText(f"⚠ {problem[:1].upper()}{problem[1:]}" if problem else "")
        self.setVisible(bool(problem))

    def open_backups(self) -> None:
        """Open the settings on the backups page."""
        from ui.settings.dialog import open_settings

        open_settings(self.ops, self.window(), "backups")
