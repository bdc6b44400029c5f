"""The Factures tab: search box, filters and the invoice table; Enter opens, P records a payment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.law.stages import STAGES
from models.money import format_eur
from models.store import db
from models.store.ledger import Ledger
from models.todo import StageRow
from ui.background import Background
from ui.ops import Ops, tr
from ui.tables.invoice_index import (
    COL_BALANCE,
    COL_CLIENT,
    COL_DATE,
    COL_DUE,
    COL_LATE,
    COL_NUMBER,
    COL_STAGE,
    COL_TOTAL,
    UNPAID,
    Filters,
    InvoiceIndex,
)
from ui.tables.invoices import InvoiceTableModel, write_csv
from ui.translations import plural
from ui.widgets import header_room

if TYPE_CHECKING:  # printing loads Qt's print and PDF modules, the dialogs their forms: on use
    from ui.dialogs.invoice import Ask, AskText, InvoiceDialog
    from ui.dialogs.payment import PaymentDialog
    from ui.printing import PrintTable
    from ui.tables.ahead import Ahead

KINDS = (("", "Tous"), ("b2b", "Professionnels"), ("b2c", "Particuliers"))
# Default widths in pixels: French dates, amounts up to 999 999,99 € and stage names fit.
WIDTHS = {
    COL_CLIENT: 250,
    COL_NUMBER: 125,
    COL_DATE: 90,
    COL_DUE: 90,
    COL_TOTAL: 115,
    COL_BALANCE: 115,
    COL_LATE: 80,
    COL_STAGE: 170,
}


class InvoiceView(QWidget):
    """Every live invoice with its stage as of `ops.today()`, searchable and filterable."""

    loaded = Signal()  # the table holds fresh data
    loadingChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    selectionChanged = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, ops: Ops, parent: QWidget | None = None, ahead: Ahead | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._ahead = ahead  # the first load's table, read by a child process at start
        self.dialog: InvoiceDialog | PaymentDialog | None = None  # last opened (tests drive it)
        self.model = InvoiceTableModel(self)
        self.has_data = False
        self._client_name = ""

        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Rechercher : client, n° de facture, objet…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.stage = QComboBox()
        self.stage.addItem(tr("Toutes les étapes"), "")
        self.stage.addItem(tr("Impayées (toutes étapes)"), UNPAID)
        for code, info in STAGES.items():
            self.stage.addItem(tr(info.label), code)
        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(tr(label), code)
        self.overdue = QCheckBox(tr("En retard seulement"))
        self.todo = QCheckBox(tr("À faire aujourd'hui"))
        self.archived = QCheckBox(tr("Archivées"))
        self.archived.setToolTip(
            tr("Les factures archivées seulement, grisées : à consulter ou restaurer")
        )
        self.client_chip = QLabel()
        self.client_clear = QToolButton()
        self.client_clear.setText("✕")
        self.client_clear.setToolTip(tr("Voir tous les clients"))
        self.client_clear.clicked.connect(lambda: self.show_client(None))
        self.count = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.stage, 1)
        top.addWidget(self.kind)
        top.addWidget(self.overdue)
        top.addWidget(self.todo)
        top.addWidget(self.archived)
        chips = QHBoxLayout()
        chips.addWidget(self.client_chip)
        chips.addWidget(self.client_clear)
        chips.addStretch(1)
        chips.addWidget(self.count)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicator(COL_CLIENT, Qt.SortOrder.AscendingOrder)
        for col, width in WIDTHS.items():
            # Issue 14: the title and the sort arrow both fit (the arrow never covers text).
            header.resizeSection(col, max(width, header_room(header, self.model._headers[col])))
        self.table.activated.connect(self._activated)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.selectionChanged.emit())
        selection.currentRowChanged.connect(lambda *_: self.selectionChanged.emit())
        self.table.installEventFilter(self)  # P on a row: record a payment

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(chips)
        layout.addWidget(self.table)

        self.search.textChanged.connect(self.apply_filters)
        self.search.returnPressed.connect(self._to_table)
        self.stage.currentIndexChanged.connect(self.apply_filters)
        self.kind.currentIndexChanged.connect(self.apply_filters)
        self.overdue.toggled.connect(self.apply_filters)
        self.todo.toggled.connect(self.apply_filters)
        self.archived.toggled.connect(self.apply_filters)
        self._show_chip()

        self.loader = Background(ops, self._load, self)
        self.loader.done.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)
        ops.changed.connect(lambda _what: self.reload())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the table, P (no modifier) opens the payment dialog of the current invoice."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_P
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.record_payment()
            return True
        return super().eventFilter(watched, event)

    # -- loading -----------------------------------------------------------------------------
    def _load(self, ledger: Ledger) -> InvoiceIndex:
        as_of = self.ops.today()
        ahead, self._ahead = self._ahead, None
        index = ahead.take(db.sqlite_path(ledger.url), as_of, ledger.stage_epoch) if ahead else None
        if index is None:
            # Kept by column as the rows stream (the driver's lists of tuples, straight from
            # the stage cache): the 100,000 row objects never exist.
            index = InvoiceIndex.of_batches(ledger.iter_stage_tuple_batches(as_of, True), as_of)
        # The order shown, sorted here, off the interface; another column's on its first click
        # (about 20 ms for 100,000 rows), not before the table is filled.
        index.order(self.model.sort_column)
        return index

    def reload(self) -> None:
        """Recompute every stage as of today (in a worker thread on a file database)."""
        self.loadingChanged.emit(True)
        if not self.has_data:
            self.count.setText(tr("Chargement des factures…"))
        self.loader.start()

    def _loaded(self, index: InvoiceIndex) -> None:
        current, selected = self.current_id(), self.selected_ids()
        self.model.set_index(index)
        self.has_data = True
        self._reselect(current, selected)
        self._update_count()
        self.loadingChanged.emit(False)
        self.loaded.emit()

    def _load_failed(self, why: str) -> None:
        self.count.setText(tr("Lecture des factures impossible : {why}").format(why=why))
        self.loadingChanged.emit(False)

    # -- filters -----------------------------------------------------------------------------
    def filters(self) -> Filters:
        """The filters as set in the widgets."""
        return Filters(
            text=self.search.text(),
            stage=str(self.stage.currentData() or ""),
            kind=str(self.kind.currentData() or ""),
            overdue_only=self.overdue.isChecked(),
            todo_today=self.todo.isChecked(),
            client_id=self.model.filters.client_id,
            archived=self.archived.isChecked(),
        )

    def apply_filters(self) -> None:
        """Refilter the table (under 50 ms on 100,000 rows), keeping the current invoice."""
        current, selected = self.current_id(), self.selected_ids()
        self.model.set_filters(self.filters())
        self._reselect(current, selected)
        self._update_count()

    def _to_table(self) -> None:
        """Enter in the search box: into the table, on the first invoice found."""
        if self.model.rowCount() and self.current_row() is None:
            self.select_invoice(self.model.row_at(0).invoice_id)
        self.table.setFocus()

    def show_client(self, client_id: int | None, name: str = "") -> None:
        """Show only one client's invoices (drill-down), or every client with None."""
        self._client_name = name if client_id is not None else ""
        blockers = [self.search, self.stage, self.kind, self.overdue, self.todo, self.archived]
        for w in blockers:
            w.blockSignals(True)
        if client_id is not None:
            self.search.clear()
            self.stage.setCurrentIndex(0)
            self.kind.setCurrentIndex(0)
            self.overdue.setChecked(False)
            self.todo.setChecked(False)
            self.archived.setChecked(False)
        for w in blockers:
            w.blockSignals(False)
        self.model.filters = Filters(client_id=client_id)
        self.apply_filters()
        self._show_chip()

    def _show_chip(self) -> None:
        on = self.model.filters.client_id is not None
        self.client_chip.setText(
            tr("Client : <b>{c}</b>").format(c=_html(self._client_name)) if on else ""
        )
        self.client_chip.setVisible(on)
        self.client_clear.setVisible(on)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        owed = self.model.owed_cents()
        digits = {
            "s": f"{shown:,}".replace(",", "\u202f"),
            "n": f"{total:,}".replace(",", "\u202f"),
        }
        if shown == total:  # French plural: "1 facture", "2 factures" (ui.translations)
            text = plural(total, tr("{n} facture"), tr("{n} factures")).format(**digits)
        else:  # "1 facture sur 3", "2 factures sur 3": the number shown decides
            text = plural(shown, tr("{s} facture sur {n}"), tr("{s} factures sur {n}"))
            text = text.format(**digits)
        self.count.setText(text + tr(" — reste dû : {a}").format(a=format_eur(owed, cents=True)))

    # -- selection ---------------------------------------------------------------------------
    def current_row(self) -> StageRow | None:
        """The invoice under the cursor."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.row_at(index.row())

    def current_id(self) -> int | None:
        """The id of the invoice under the cursor."""
        row = self.current_row()
        return row.invoice_id if row else None

    def selected_rows(self) -> list[StageRow]:
        """The selected invoices, in table order."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.row_at(r) for r in rows]

    def selected_ids(self) -> list[int]:
        """The ids of the selected invoices."""
        return [r.invoice_id for r in self.selected_rows()]

    def select_invoice(self, invoice_id: int) -> bool:
        """Put the cursor on an invoice; False when it is filtered out."""
        row = self.model.row_of(invoice_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _reselect(self, current: int | None, selected: list[int]) -> None:
        if len(selected) > 1:
            model, sel = self.model, self.table.selectionModel()
            for invoice_id in selected:
                row = model.row_of(invoice_id)
                if row >= 0:
                    sel.select(
                        model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        if current is not None:
            if len(selected) > 1:
                row = self.model.row_of(current)
                if row >= 0:
                    self.table.selectionModel().setCurrentIndex(
                        self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                    )
            else:
                self.select_invoice(current)
        self.selectionChanged.emit()

    def row_for(self, invoice_id: int) -> StageRow | None:
        """The loaded stage row of an invoice, shown or filtered out."""
        pos = self.model.index_data.position(invoice_id)
        return self.model.index_data.row(pos) if pos is not None else None

    # -- actions -----------------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_invoice(self.model.row_at(index.row()).invoice_id)

    def open_invoice(self, invoice_id: int) -> InvoiceDialog:
        """Open an invoice's dialog (window-modal; the table refreshes when it is saved)."""
        from ui.dialogs.invoice import InvoiceDialog

        dialog = InvoiceDialog(self.ops, invoice_id, self, row=self.row_for(invoice_id))
        self._open(dialog)
        return dialog

    def new_invoice(self, client_id: int | None = None) -> InvoiceDialog:
        """Open an empty invoice dialog; the new invoice is selected once saved."""
        from ui.dialogs.invoice import InvoiceDialog

        row = self.current_row()
        dialog = InvoiceDialog(
            self.ops, None, self, client_id=client_id or (row.client_id if row else None)
        )
        dialog.accepted.connect(lambda: self._select_later(dialog.saved_id))
        self._open(dialog)
        return dialog

    def record_payment(self) -> PaymentDialog | None:
        """The payment dialog for the invoice under the cursor, prefilled with its balance."""
        from ui.dialogs.payment import PaymentDialog

        row = self.current_row()
        if row is None:
            return None
        dialog = PaymentDialog(self.ops, row, self)
        self._open(dialog)
        return dialog

    def archive_selected(self, confirm: Ask) -> bool:
        """Hide the selected invoices after confirmation, or restore them if archived."""
        from ui.dialogs.invoice import archive_invoices, restore_invoices

        rows = self.selected_rows()
        if rows and all(r.archived for r in rows):
            return restore_invoices(self, self.ops, rows)
        return archive_invoices(self, self.ops, [r for r in rows if not r.archived], confirm)

    def toggle_dispute(self, ask_text: AskText, confirm: Ask) -> bool:
        """Mark the current invoice disputed (with the client's reason), or settle its dispute."""
        from ui.dialogs.invoice import toggle_dispute

        row = self.current_row()
        return row is not None and toggle_dispute(self, self.ops, row, ask_text, confirm)

    def write_off(self, ask_text: AskText) -> bool:
        """Declare the current invoice unrecoverable, with the reason kept."""
        from ui.dialogs.invoice import write_off

        row = self.current_row()
        return row is not None and write_off(self, self.ops, row, ask_text)

    def _open(self, dialog: InvoiceDialog | PaymentDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _select_later(self, invoice_id: int | None) -> None:
        if invoice_id is None:
            return
        if not self.select_invoice(invoice_id):
            # Loaded in the background: select it when the table has been refreshed.
            def once() -> None:
                self.loaded.disconnect(once)
                self.select_invoice(invoice_id)

            self.loaded.connect(once)

    def export_csv(self, path: Path) -> int:
        """Write the visible rows as a CSV for a French spreadsheet; returns the row count."""
        return write_csv(path, self.model)

    def print_table(self) -> PrintTable:
        """The rows shown as Ctrl+P prints them, with the count and what they still owe."""
        from ui.printing import PrintTable

        m = self.model
        rows = list(m.visible_texts())
        title = tr("Factures archivées") if self.archived.isChecked() else tr("Factures")
        if self._client_name:
            title += " — " + self._client_name
        return PrintTable(
            title=title,
            as_of=self.ops.today(),
            headers=list(m._headers),
            rows=rows,
            totals=[self.count.text()],
            right=frozenset({COL_TOTAL, COL_BALANCE, COL_LATE}),
        )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
