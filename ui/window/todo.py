"""Today's to-do, grouped by kind of work, each line with the button that does it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from models.todo import TodoItem
from ui.background import Background, RefreshWhenShown
from ui.csv_export import write_rows
from ui.dialogs.call import CallDialog
from ui.ops import Ops, tr
from ui.printing import PrintTable
from ui.translations import plural

COL_DATE, COL_CLIENT, COL_INVOICES, COL_LABEL, COL_BUTTON = range(5)
HEADERS = ("Date", "Client", "Factures", "À faire", "")
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # on the first cell of a line: its TodoItem
BUTTON_ROLE = Qt.ItemDataRole.UserRole + 2  # on the button cell: its text

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Section:
    """A group of the to-do: its key, French heading and the button of its lines."""

    key: str
    title: str
    button: str  # "call" (note the call) or "document" (prepare it)


# Lines shown per section, oldest first: a screenful of work, not 10,000 widgets' worth.
MAX_LINES = 500

SECTIONS = (
    Section("calls", "Appels à passer", "call"),
    Section("reminders", "Relances à envoyer", "document"),
    Section("notices", "Mises en demeure", "document"),
    Section("legal", "Délais expirés / actions en justice", "document"),
    Section("plans", "Échéanciers", "call"),
    Section("limitation", "Prescription", "document"),
)
# To-do lines that follow up something else than a policy step (recorded without a step).
NOT_POLICY_STEPS = frozenset({"promise", "instalment", "limitation"})
BY_STEP = {
    "formal_notice": "notices",
    "legal_action": "legal",
    "instalment": "plans",
    "limitation": "limitation",
}
BY_CHANNEL = {
    "call": "calls",
    "email": "reminders",
    "letter": "reminders",
    "registered_letter": "notices",
    "dossier": "legal",
}


def section_of(item: TodoItem) -> str:
    """The section key of a to-do item: by its action, then its step, then its channel."""
    if item.action == "call":
        return "calls"
    return BY_STEP.get(item.step) or BY_CHANNEL.get(item.channel, "reminders")


def invoices_text(numbers: Sequence[str], shown: int = 3) -> str:
    """The first invoice numbers, then how many more: 'FA-1, FA-2, FA-3 (+2)'."""
    text = ", ".join(numbers[:shown])
    return text + (f" (+{len(numbers) - shown})" if len(numbers) > shown else "")


def group(items: Sequence[TodoItem]) -> dict[str, list[TodoItem]]:
    """The items of each section, in the to-do's own order (oldest first)."""
    out: dict[str, list[TodoItem]] = {s.key: [] for s in SECTIONS}
    for item in items:
        out[section_of(item)].append(item)
    return out


class ButtonDelegate(QStyledItemDelegate):
    """Paints a push button in the cells that carry BUTTON_ROLE; a click triggers the line."""

    def __init__(self, panel: TodoPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Rows tall enough for a button."""
        size = super().sizeHint(option, index)
        height = option.fontMetrics.height() + 12
        return QSize(size.width(), max(size.height(), height))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """A button with the cell's text, else the usual cell."""
        text = index.data(BUTTON_ROLE)
        if not text:
            super().paint(painter, option, index)
            return
        button = QStyleOptionButton()
        button.rect = self.button_rect(option.rect)
        button.text = text
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, option.widget)

    @staticmethod
    def button_rect(cell: QRect) -> QRect:
        """The button's place inside its cell."""
        return cell.adjusted(4, 2, -4, -2)

    def editorEvent(
        self, event: QEvent, model: object, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        """A left click released on the button runs the line's action."""
        if index.data(BUTTON_ROLE) and event.type() == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            if event.button() == Qt.MouseButton.LeftButton and self.button_rect(
                option.rect
            ).contains(event.position().toPoint()):
                self.panel.trigger(index)
                return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]


class TodoPanel(RefreshWhenShown, QWidget):
    """What to do as of `ops.today()`: sections with counts, a button per line."""

    documentRequested = Signal(int, list, str)  # noqa: N815 (Qt signal naming)
    callRequested = Signal(int, list)  # noqa: N815 (Qt signal naming)
    clientOpenRequested = Signal(int)  # noqa: N815 (Qt signal naming)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.items: list[TodoItem] = []
        self.sections: dict[str, list[TodoItem]] = {}
        self.dialog: CallDialog | None = None  # the call dialog last opened (tests drive it)
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.model = QStandardItemModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(True)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setItemDelegate(ButtonDelegate(self))
        self.view.doubleClicked.connect(self._open_client)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        self._dirty = True
        self._today = ops.today()
        # The to-do reads every open invoice: off the interface thread on a file database.
        self.loader = Background(ops, lambda led: led.todo(self._today), self)
        self.loader.done.connect(self._loaded)
        self.loader.failed.connect(
            lambda why: self.heading.setText(tr("Lecture impossible : {e}").format(e=why))
        )
        ops.changed.connect(self._changed)
        self.refresh()

    # -- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the to-do as of today and rebuild the sections."""
        self._today = self.ops.today()
        self._dirty = False
        if not self.items:
            self.heading.setText(tr("Chargement du « À faire »…"))
        self.loader.start()

    def _loaded(self, items: list[TodoItem]) -> None:
        today = self._today
        self.items = items
        self.sections = group(self.items)
        self.model.clear()
        self.model.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        root = self.model.invisibleRootItem()
        bold = QFont(self.view.font())
        bold.setBold(True)
        shade = QBrush(QColor("#e8eef5"))
        for section in SECTIONS:
            items = self.sections[section.key]
            if not items:
                continue
            head = QStandardItem(tr("{t} ({n})").format(t=tr(section.title), n=len(items)))
            head.setFont(bold)
            head.setData(section.key, ITEM_ROLE)
            row = [head] + [QStandardItem() for _ in HEADERS[1:]]
            for cell in row:
                cell.setBackground(shade)
                cell.setEditable(False)
            root.appendRow(row)
            for item in items[:MAX_LINES]:
                head.appendRow(self._line(item, section, today))
            if len(items) > MAX_LINES:
                more = QStandardItem(
                    tr("… et {n} autres, plus récentes : traitez d'abord celles-ci").format(
                        n=len(items) - MAX_LINES
                    )
                )
                more.setEditable(False)
                more.setForeground(QBrush(QColor("#555555")))
                head.appendRow([more] + [QStandardItem() for _ in HEADERS[1:]])
                self.view.setFirstColumnSpanned(head.rowCount() - 1, head.index(), True)
        for r in range(self.model.rowCount()):
            self.view.setFirstColumnSpanned(r, QModelIndex(), True)
        self.view.expandAll()
        n = len(self.items)
        self.heading.setText(
            tr("À faire au {d} : {n} actions").format(d=f"{today:%d/%m/%Y}", n=n)
            if n
            else tr("Rien à faire au {d}.").format(d=f"{today:%d/%m/%Y}")
        )
        header = self.view.header()
        header.setStretchLastSection(False)
        for col in (COL_DATE, COL_CLIENT, COL_INVOICES, COL_BUTTON):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)

    def _line(self, item: TodoItem, section: Section, today: dt.date) -> list[QStandardItem]:
        late = (today - item.on).days
        when = f"{item.on:%d/%m/%Y}"
        if late > 0:
            when += tr(" — en retard de {n} j").format(n=late)
        cells = [
            QStandardItem(when),
            QStandardItem(item.client),
            QStandardItem(invoices_text(item.invoices)),
            QStandardItem(tr(item.label)),
            QStandardItem(),
        ]
        cells[0].setData(item, ITEM_ROLE)
        if late > 0:
            cells[0].setForeground(QBrush(QColor("#a61b1b")))
        cells[2].setToolTip("\n".join(item.invoices))
        if item.missing:  # the letter or e-mail cannot reach the client as its record stands
            warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            cells[COL_CLIENT].setIcon(warning)
            cells[COL_CLIENT].setToolTip(
                tr("Fiche client à compléter : {what}").format(what=tr(item.missing))
            )
            cells[COL_CLIENT].setForeground(QBrush(QColor("#8a4b00")))
        if item.unknown_mail:  # sent earlier, outcome unknown: not sent again meanwhile
            cells[COL_LABEL].setText(tr(item.label) + tr(" — e-mail en état inconnu"))
            cells[COL_LABEL].setToolTip(tr(item.unknown_mail))
            cells[COL_LABEL].setForeground(QBrush(QColor("#8a4b00")))
        button = tr("Noter l'appel…") if section.button == "call" else tr("Préparer…")
        cells[COL_BUTTON].setData(button, BUTTON_ROLE)
        cells[COL_BUTTON].setSizeHint(self.view.fontMetrics().size(0, button + "xxxxxx"))
        for cell in cells:
            cell.setEditable(False)
        return cells

    def export_csv(self, path: Path) -> int:
        """Every line of the to-do (also those past the first 500 of a section) as CSV."""
        headers, rows = self._lines()
        return write_rows(path, headers, rows)

    def print_table(self) -> PrintTable:
        """The to-do as Ctrl+P prints it: every line, with their number."""
        headers, rows = self._lines()
        lines = plural(len(rows), tr("{n} action à faire"), tr("{n} actions à faire"))
        return PrintTable(
            tr("À faire"), self.ops.today(), headers, rows, [lines.format(n=len(rows))]
        )

    def _lines(self) -> tuple[list[str], list[list[str]]]:
        headers = [tr("Rubrique"), *(tr(h) for h in HEADERS[:COL_BUTTON])]
        rows = [
            [
                tr(section.title),
                f"{item.on:%d/%m/%Y}",
                item.client,
                ", ".join(item.invoices),
                tr(item.label),
            ]
            for section in SECTIONS
            for item in self.sections.get(section.key, [])
        ]
        return headers, rows

    # -- lines -------------------------------------------------------------------------------
    def item_at(self, index: Index) -> TodoItem | None:
        """The to-do item of the line holding `index` (None on a section heading)."""
        if not index.isValid() or not index.parent().isValid():
            return None
        item = index.sibling(index.row(), 0).data(ITEM_ROLE)
        return item if isinstance(item, TodoItem) else None

    def line_index(self, section: str, row: int, column: int = COL_BUTTON) -> QModelIndex:
        """The index of a line in a section (for the main window and tests)."""
        for r in range(self.model.rowCount()):
            head = self.model.index(r, 0)
            if head.data(ITEM_ROLE) == section:
                return self.model.index(row, column, head)
        return QModelIndex()

    def section_counts(self) -> dict[str, int]:
        """How many lines each non-empty section holds, by section title."""
        return {s.title: len(self.sections[s.key]) for s in SECTIONS if self.sections[s.key]}

    def trigger(self, index: Index) -> None:
        """Do a line: note the call (dialog, callRequested) or prepare the document."""
        item = self.item_at(index)
        if item is None:
            return
        section = next(s for s in SECTIONS if s.key == section_of(item))
        if section.button == "call":
            self.callRequested.emit(item.client_id, list(item.invoice_ids))
            step = item.step if item.step not in NOT_POLICY_STEPS else ""
            self.dialog = CallDialog(self.ops, item.client_id, item.invoice_ids, self, step)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.open()
        else:
            self.documentRequested.emit(item.client_id, list(item.invoice_ids), item.step)

    def _open_client(self, index: QModelIndex) -> None:
        item = self.item_at(index)
        if item is not None and index.column() != COL_BUTTON:
            self.clientOpenRequested.emit(item.client_id)
