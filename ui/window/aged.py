"""The Balance âgée tab: what each client owes by days past due, a totals row and a bar chart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.law.aging import AgedBalance, AgedRow
from models.money import format_eur
from ui.colours import bucket_colours, text_colour
from ui.ops import Ops, tr
from ui.translations import plural

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole
CLIENT_ROLE = Qt.ItemDataRole.UserRole + 1  # client id; None on the totals row
TOTALS_BRUSH = QBrush(QColor("#e8eef5"))


def dso_text(dso: Decimal | None) -> str:
    """'12,3' days, or '—' without sales in the window."""
    return "—" if dso is None else f"{dso}".replace(".", ",")


class AgedTableModel(QAbstractTableModel):
    """Clients by bucket, then Total, Échu, DSO; the totals row stays last whatever the sort."""

    COL_CLIENT = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.balance: AgedBalance | None = None
        self.rows: list[AgedRow] = []
        self.headers: list[str] = [tr("Client")]

    def set_balance(self, ab: AgedBalance) -> None:
        """Show an aged balance (its rows come sorted by client name)."""
        self.beginResetModel()
        self.balance = ab
        self.rows = list(ab.rows)
        n = len(ab.buckets.labels())
        self.headers = [tr("Client"), *[tr(label) for label in ab.buckets.labels()]]
        self.headers += [tr("Total"), tr("Échu"), tr("DSO (j)")]
        self.col_total, self.col_overdue, self.col_dso = n + 1, n + 2, n + 3
        self.endResetModel()

    def is_totals(self, row: int) -> bool:
        """True on the last line, the totals."""
        return row == len(self.rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One line per client plus the totals line."""
        if parent.isValid() or self.balance is None:
            return 0
        return len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Client, buckets, Total, Échu, DSO."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """French headings; figures right-aligned."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _raw(self, row: int, col: int) -> Any:
        ab = self.balance
        assert ab is not None
        if self.is_totals(row):
            values = (tr("Total"), *ab.totals, ab.total, ab.overdue, ab.dso)
        else:
            r = self.rows[row]
            values = (r.client, *r.amounts, r.total, r.overdue, r.dso)
        return values[col]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formatted amounts (blank when zero, except on the totals line), raw sort values."""
        if not index.isValid() or self.balance is None:
            return None
        row, col = index.row(), index.column()
        totals = self.is_totals(row)
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._raw(row, col)
            if col == 0:
                return value
            if col == self.col_dso:
                return dso_text(value)
            return format_eur(value) if value or totals else ""
        if role == SORT_ROLE:
            value = self._raw(row, col)
            return value.lower() if col == 0 else value
        if role == CLIENT_ROLE:
            return None if totals else self.rows[row].client_id
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (totals or col == self.col_total):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and totals:
            return TOTALS_BRUSH
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the client lines on raw values; None (no DSO) sorts first; totals stay last."""
        if self.balance is None or not 0 <= column < len(self.headers):
            return

        def key(r: AgedRow) -> Any:
            values = (r.client.lower(), *r.amounts, r.total, r.overdue, r.dso)
            value = values[column]
            return (value is not None, value if value is not None else Decimal(0))

        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class BucketChart(QWidget):
    """Bars of the bucket totals, each labelled with its amount, neutral to red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: tuple[str, ...] = ()
        self.amounts: tuple[Decimal, ...] = ()
        self.setMinimumHeight(170)

    def set_values(self, labels: tuple[str, ...], amounts: tuple[Decimal, ...]) -> None:
        """The buckets' headings and totals in euros."""
        self.labels, self.amounts = labels, amounts
        self.update()

    def sizeHint(self) -> QSize:
        """Wide and low."""
        return QSize(700, 220)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """One bar per bucket, amount above, heading below."""
        if not self.amounts:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        line = fm.height()
        w, h = self.width(), self.height()
        top, bottom = line + 10, h - line - 12
        n = len(self.amounts)
        slot = (w - 20) / n
        bar_w = min(slot * 0.6, 140.0)
        biggest = max(max(self.amounts), Decimal(1))
        colours = bucket_colours(n)
        text = self.palette().windowText().color()
        p.setPen(QPen(self.palette().mid().color()))
        p.drawLine(10, bottom, w - 10, bottom)
        for i, (label, amount) in enumerate(zip(self.labels, self.amounts, strict=True)):
            x = 10 + slot * i + (slot - bar_w) / 2
            bar_h = float(amount / biggest) * (bottom - top)
            rect = QRectF(x, bottom - bar_h, bar_w, bar_h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colours[i])
            p.drawRect(rect)
            p.setPen(text)
            value = format_eur(amount)
            label_rect = QRectF(10 + slot * i, bottom - bar_h - line - 4, slot, line)
            if bar_h > line + 8 and fm.horizontalAdvance(value) < bar_w - 4:
                # Inside the top of the bar when it is tall enough, readable on its colour.
                label_rect = QRectF(x, bottom - bar_h + 4, bar_w, line)
                p.setPen(text_colour(colours[i]))
            p.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, value)
            p.setPen(text)
            p.drawText(
                QRectF(10 + slot * i, bottom + 4, slot, line + 4),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        p.end()


class AgedView(QWidget):
    """The aged balance as of `ops.today()`; double-click a client to see its invoices."""

    clientActivated = Signal(int, str)  # noqa: N815 (Qt signal naming)
    pdfRequested = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, ops: Ops, parent: QWidget | None = None, follow: bool = True) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = AgedTableModel(self)
        self._dirty = True
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        pdf = QPushButton(tr("Exporter en PDF…"))
        pdf.clicked.connect(self.pdfRequested)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(pdf)
        self.chart = BucketChart()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setDefaultSectionSize(115)
        header.setMinimumSectionSize(70)
        self.table.activated.connect(self._activated)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.chart)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter)
        self.follow = follow  # False: the main window feeds `set_balance` itself
        if follow:
            ops.changed.connect(self._changed)

    def refresh(self) -> None:
        """Compute the aged balance as of today (SQL aggregates, fast) and show it."""
        self.set_balance(self.ops.ledger.aged_balance(self.ops.today()))

    def set_balance(self, ab: AgedBalance) -> None:
        """Show an aged balance computed elsewhere (the main window shares its own)."""
        self._dirty = False
        self.model.set_balance(ab)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.chart.set_values(ab.buckets.labels(), ab.totals)
        self.title.setText(
            plural(
                len(ab.rows),
                tr(
                    "<b>Balance âgée au {d}</b> — {n} client débiteur · encours <b>{t}</b> · "
                    "échu <b>{o}</b> · DSO {dso}"
                ),
                tr(
                    "<b>Balance âgée au {d}</b> — {n} clients débiteurs · encours <b>{t}</b> · "
                    "échu <b>{o}</b> · DSO {dso}"
                ),
            ).format(
                d=f"{ab.as_of:%d/%m/%Y}",
                n=len(ab.rows),
                t=format_eur(ab.total),
                o=format_eur(ab.overdue),
                dso=f"{dso_text(ab.dso)} j" if ab.dso is not None else "—",
            )
        )

    def _changed(self, _what: str) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        """Compute on first show, and after changes made while hidden (unless fed)."""
        if self._dirty and self.follow:
            self.refresh()
        super().showEvent(event)

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.siblingAtColumn(0).data(CLIENT_ROLE)
        if client_id is not None:
            self.clientActivated.emit(int(client_id), str(index.siblingAtColumn(0).data()))


class TotalsLabels:
    """Encours, Échu and DSO as of a date: three labels for the main window's status bar."""

    def __init__(self) -> None:
        self.labels = (QLabel(), QLabel(), QLabel())
        for label in self.labels:
            label.setContentsMargins(8, 0, 8, 0)
        self.labels[2].setToolTip(
            tr("Délai moyen de paiement : encours / ventes des 90 derniers jours x 90")
        )

    def show_balance(self, ab: AgedBalance) -> None:
        """Show the totals of an aged balance."""
        outstanding, overdue, dso = self.labels
        day = f"{ab.as_of:%d/%m/%Y}"
        outstanding.setText(tr("Encours : {a}").format(a=format_eur(ab.total)))
        outstanding.setToolTip(tr("Reste dû au {d}, toutes factures").format(d=day))
        overdue.setText(tr("Échu : {a}").format(a=format_eur(ab.overdue)))
        overdue.setToolTip(tr("Reste dû en retard au {d}").format(d=day))
        dso.setText(
            tr("DSO : {d} j").format(d=dso_text(ab.dso)) if ab.dso is not None else tr("DSO : —")
        )

    def texts(self) -> tuple[str, str, str]:
        """The three texts shown."""
        return self.labels[0].text(), self.labels[1].text(), self.labels[2].text()
