"""Settings page 'Taux': the half-year rate table with its sources; enter a new half-year."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.law.rates import DEFAULT_MARGIN, RateRow, half_year, half_year_label
from models.money import format_rate
from ui.ops import Ops, tr
from ui.settings.templates import saved

COL_PERIOD, COL_ECB, COL_DEFAULT, COL_PRIVATE, COL_OTHER, COL_SOURCE = range(6)
HEADERS = (
    "Semestre",
    "Taux BCE",
    "Pénalités par défaut\n(BCE + 10 points)",
    "Taux légal\n(créancier particulier)",
    "Taux légal\n(autres cas)",
    "Source",
)
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
SOURCES_FR = (
    "Taux BCE : taux des opérations principales de refinancement en vigueur le 1er janvier "
    "ou le 1er juillet (communiqués de la Banque centrale européenne). Taux de l'intérêt légal : "
    "arrêté publié au Journal officiel chaque semestre, un taux pour le créancier particulier et "
    "un pour les autres cas (celui de Relance, le créancier étant une entreprise). Pénalités par "
    "défaut = taux BCE + 10 points (C. com. L441-10). Les taux saisis ici restent après une mise "
    "à jour de Relance."
)
MISSING_BACKGROUND = "#fff3b0"
WARNING_STYLE = "background: #fff3b0; border: 1px solid #e0c040; padding: 6px; color: #4a3b00;"


def _plain(rate: Decimal) -> str:
    """A rate for an input field: '2,15'."""
    return f"{rate:.2f}".replace(".", ",")


class RatesPage(QWidget):
    """The rates Relance uses, official or entered, and a form for the missing half-year."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(COL_PERIOD, QHeaderView.ResizeMode.ResizeToContents)

        self.code = QLineEdit()
        self.code.setPlaceholderText("2026-H2")
        self.code.setMaximumWidth(110)
        self.period = QLabel()
        self.ecb = QLineEdit()
        self.private = QLineEdit()
        self.other = QLineEdit()
        for edit, example in ((self.ecb, "2,15"), (self.private, "6,67"), (self.other, "2,62")):
            edit.setPlaceholderText(tr("ex. {rate}").format(rate=example))
            edit.setMaximumWidth(110)
        self.derived = QLabel()
        self.save_button = QPushButton(tr("Enregistrer ce semestre"))
        self.delete_button = QPushButton(tr("Supprimer le taux saisi"))
        code_row = QHBoxLayout()
        code_row.addWidget(self.code)
        code_row.addWidget(self.period, 1)
        ecb_row = QHBoxLayout()
        ecb_row.addWidget(self.ecb)
        ecb_row.addWidget(self.derived, 1)
        form = QFormLayout()
        form.addRow(tr("Semestre (AAAA-H1 ou AAAA-H2)"), code_row)
        form.addRow(tr("Taux BCE (refinancement) au 1er jour, %"), ecb_row)
        form.addRow(tr("Taux légal, créancier particulier, %"), self.private)
        form.addRow(tr("Taux légal, autres cas, %"), self.other)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        entry = QGroupBox(tr("Saisir ou corriger un semestre"))
        entry.setLayout(form)
        # The sources in French; the rates file's own notes (in English, for developers)
        # are not shown to the user (issue 14).
        explained = QLabel(tr(SOURCES_FR))
        explained.setWordWrap(True)
        explained.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        source_box = QGroupBox(tr("Sources"))
        source_col = QVBoxLayout(source_box)
        source_col.addWidget(explained)

        outer = QVBoxLayout(self)
        outer.addWidget(self.warning)
        outer.addWidget(self.table, 1)
        outer.addWidget(entry)
        outer.addWidget(source_box)

        self.code.textChanged.connect(self._code_changed)
        self.ecb.textChanged.connect(self._show_derived)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.ops.changed.connect(self.refresh)
        self.refresh()
        self.propose()

    def refresh(self, what: str = "all") -> None:
        """Show the table as Relance uses it today, newest half-year first."""
        if what not in ("settings", "all"):
            return
        ledger = self.ops.ledger
        text = ledger.rate_warning(self.ops.today())
        self.warning.setText(f"⚠ {text[:1].upper()}{text[1:]}" if text else "")
        self.warning.setVisible(bool(text))
        rows = list(reversed(ledger.rates().rows))
        missing = ledger.rates().missing(self.ops.today())
        self.table.setRowCount(len(rows) + (1 if missing else 0))
        if missing:  # the half-year to enter, on top, in the banner's yellow
            for c in range(len(HEADERS)):
                text = (half_year_label(missing), "", "", "", "", tr("non renseigné"))[c]
                item = QTableWidgetItem(text)
                item.setData(CODE_ROLE, missing)
                item.setBackground(QColor(MISSING_BACKGROUND))
                if c != COL_PERIOD:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(0, c, item)
        for r, row in enumerate(rows, start=1 if missing else 0):
            cells = (
                half_year_label(row.half_year),
                format_rate(row.ecb_refi),
                format_rate(row.default_penalty),
                format_rate(row.legal_private),
                format_rate(row.legal_other),
                tr("saisi") if row.source == "saisi" else tr("officiel"),
            )
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(CODE_ROLE, row.half_year)
                if c != COL_PERIOD:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row.source == "saisi":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self._row_chosen()

    def propose(self) -> None:
        """Offer the half-year missing today, else today's half-year, in the form."""
        today = self.ops.today()
        self.code.setText(self.ops.ledger.rates().missing(today) or half_year(today))

    def selected(self) -> RateRow | None:
        """The row selected in the table."""
        items = self.table.selectedItems()
        if not items:
            return None
        code = items[0].data(CODE_ROLE)
        return next((r for r in self.ops.ledger.rates().rows if r.half_year == code), None)

    def _row_chosen(self) -> None:
        row = self.selected()
        self.delete_button.setEnabled(row is not None and row.source == "saisi")
        items = self.table.selectedItems()
        if row is None and items:  # the missing half-year: offer it, empty
            self.code.setText(str(items[0].data(CODE_ROLE)))
            for edit in (self.ecb, self.private, self.other):
                edit.clear()
        if row is not None:
            self.code.setText(row.half_year)
            self.ecb.setText(_plain(row.ecb_refi))
            self.private.setText(_plain(row.legal_private))
            self.other.setText(_plain(row.legal_other))

    def _code_changed(self, text: str) -> None:
        try:
            self.period.setText(half_year_label(text.strip()))
        except ValueError:
            self.period.setText("")

    def _show_derived(self, text: str) -> None:
        try:
            rate = Decimal(text.replace(",", ".").replace("%", "").strip()) + DEFAULT_MARGIN
        except InvalidOperation:
            self.derived.setText("")
            return
        self.derived.setText(tr("pénalités par défaut : {rate}").format(rate=format_rate(rate)))

    def is_dirty(self) -> bool:
        """Rates typed for a half-year and not saved (the dialog asks on close)."""
        typed = [edit.text().strip() for edit in (self.ecb, self.private, self.other)]
        if not any(typed):
            return False
        code = self.code.text().strip()
        row = next((r for r in self.ops.ledger.rates().rows if r.half_year == code), None)
        if row is None:
            return True
        return typed != [_plain(row.ecb_refi), _plain(row.legal_private), _plain(row.legal_other)]

    def save(self) -> bool:
        """Store the half-year typed; it replaces an official rate of the same half-year."""
        args = (self.code.text(), self.ecb.text(), self.private.text(), self.other.text())
        done = self.ops.run(self, saved(lambda: self.ops.ledger.set_user_rate(*args)), "settings")
        return bool(done)

    def delete(self) -> None:
        """Forget the entered half-year selected."""
        row = self.selected()
        if row is None or row.source != "saisi":
            return
        code = row.half_year
        self.ops.run(self, lambda: self.ops.ledger.delete_user_rate(code), "settings")
