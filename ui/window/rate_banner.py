"""The yellow banner of the main window when today's half-year has no penalty rate yet."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.ops import Ops, tr

STYLE = (
    "QFrame#rateBanner { background: #fff3b0; border: 1px solid #e0c040; border-radius: 3px; }"
    " QLabel { color: #4a3b00; }"
)


class RateBanner(QFrame):
    """'taux du 2e semestre 2026 non renseigné : …' with a button to enter it; hidden if none."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("rateBanner")
        self.setStyleSheet(STYLE)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(tr("Saisir le taux…"))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(self.open_rates)
        ops.changed.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        """The warning shown ('' when the banner is hidden)."""
        return self.label.text()

    def refresh(self, _what: str = "all") -> None:
        """Show the warning for the interface's as-of date, or hide."""
        warning = self.ops.ledger.rate_warning(self.ops.today())
        self.label.setText(f"⚠ {warning[:1].upper()}{warning[1:]}" if warning else "")
        self.setVisible(bool(warning))

    def open_rates(self) -> None:
        """Open the settings on the rates page."""
        from ui.settings.dialog import open_settings

        open_settings(self.ops, self.window(), "rates")
