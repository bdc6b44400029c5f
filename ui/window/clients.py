"""The client screen: the searchable client list on the left, the client page on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.ids import ClientId
from models.money import format_eur
from models.store.ledger import Ledger
from models.store.tables import Client
from models.todo import StageRow
from ui.background import Background, RefreshWhenShown
from ui.csv_export import write_model
from ui.dialogs.client import ClientDialog
from ui.ops import Ops, tr
from ui.printing import PrintTable, model_table
from ui.tables.clients import FILTER_ROLE, ID_ROLE, ClientTableModel, client_rows, fold
from ui.translations import plural
from ui.widgets import table
from ui.window.client_page import ClientPage

__all__ = ["ClientPage", "ClientTableModel", "ClientsView"]

NAME_CHARS = 20  # a client's name keeps at least this many characters in the list
LIST_WIDTH = 620  # pixels: name, type, two amounts and the stage name fit without cutting


class ClientFilter(QSortFilterProxyModel):
    """Sorts on raw values; keeps the rows whose folded search key holds every word typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_search(self, text: str) -> None:
        """Filter on these words (accents and case ignored)."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._words = fold(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = fold(text).split()
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let the source model sort (fast, on raw keys); the proxy only filters."""
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: object) -> bool:
        """Every word must appear in the client's name, SIREN, SIRET, town or e-mail."""
        if not self._words:
            return True
        key = self.sourceModel().index(source_row, 0).data(FILTER_ROLE) or ""
        return all(w in key for w in self._words)


class ClientsView(RefreshWhenShown, QSplitter):
    """Clients with what they owe as of `ops.today()`; selecting one shows its page."""

    invoiceOpenRequested = Signal(int)  # noqa: N815 (Qt signal naming)
    documentRequested = Signal(int, list, str)  # noqa: N815 (Qt signal naming)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.ops = ops
        self.model = ClientTableModel(self)
        self.by_client: dict[int, list[StageRow]] = {}
        self._dirty = True
        self._current: int | None = None
        self._wanted: int | None = None  # a client asked for while the list was loading
        # Every stage is computed off the interface thread (seconds on 100,000 invoices).
        self.loader = Background(ops, lambda led: ([], []), self)
        self.loader.done.connect(self._loaded)
        self.loader.failed.connect(
            lambda why: self.count_label.setText(tr("Lecture impossible : {e}").format(e=why))
        )

        left = QWidget()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Rechercher un client (nom, SIREN, ville…)"))
        self.search.setClearButtonEnabled(True)
        self.new_btn = QPushButton(tr("Nouveau client…"))
        self.new_btn.clicked.connect(self.new_client)
        self.archived = QCheckBox(tr("Afficher les clients archivés"))
        self.archived.toggled.connect(lambda _on: self.refresh())
        self.count_label = QLabel()
        self.table = table(self.model, sortable=False)
        self.proxy = ClientFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ClientTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # sample rows: 10,000 clients stay quick
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(
                col,
                QHeaderView.ResizeMode.Stretch
                if col == ClientTableModel.COL_NAME
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.search.textChanged.connect(self._search)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_btn)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.archived)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.table)
        box.addLayout(bottom)

        self.page = ClientPage(ops, self)
        self.page.invoiceOpenRequested.connect(self.invoiceOpenRequested)
        self.page.documentRequested.connect(self.documentRequested)
        self.addWidget(left)
        self.addWidget(self.page)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([LIST_WIDTH, 1000])
        left.setMinimumWidth(LIST_WIDTH // 2)
        self.table.installEventFilter(self)
        ops.changed.connect(self._changed)
        self.refresh()

    # -- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the clients and their invoices' stages as of today; keep the selection."""
        archived, today = self.archived.isChecked(), self.ops.today()

        def read(led: Ledger) -> tuple[list[Client], list[StageRow]]:
            return led.clients(include_archived=archived), led.stages(
                today, open_only=True
            )  # the list counts what is owed

        self.loader.work = read
        self._dirty = False
        if not self.model.rowCount():
            self.count_label.setText(tr("Chargement des clients…"))
        self.loader.start()

    def _loaded(self, result: tuple[list[Client], list[StageRow]]) -> None:
        clients, stages = result
        by_client: dict[int, list[StageRow]] = {}
        for s in stages:
            by_client.setdefault(s.client_id, []).append(s)
        self.by_client = by_client
        self.model.set_rows(client_rows(clients, stages))
        self._update_count()
        self._fit_list()
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.show_client(wanted)
            return
        current = self._current
        if current is not None and self.model.row_of(current) < 0:
            current = None
        self._select(current)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            text = tr("{n} client") if total <= 1 else tr("{n} clients")
        else:
            text = tr("{s} client sur {n}") if shown <= 1 else tr("{s} clients sur {n}")
        self.count_label.setText(text.format(s=shown, n=total))

    # -- selection ---------------------------------------------------------------------------
    def show_client(self, client_id: int) -> None:
        """Select a client in the list (clearing a search that hides it) and show its page."""
        if self._dirty:
            self.refresh()
        if not self.archived.isChecked() and self.ops.ledger.client(ClientId(client_id)).archived:
            # Only an archived client switches "archivés" on: a list still loading does not
            # (issue 14: opening a client from the to-do kept the filters as they were).
            self._wanted = client_id
            self.archived.setChecked(True)
        if self.loader.running:  # shown once the list is loaded
            self._wanted = client_id
            return
        self._wanted = None
        if self.model.row_of(client_id) >= 0 and self._proxy_row(client_id) < 0:
            self.search.clear()
        self._select(client_id)

    def name_room(self) -> int:
        """Pixels for 20 characters of a name (issue 14: never collapsed to 'Agence Lum…')."""
        return self.table.fontMetrics().horizontalAdvance("n" * NAME_CHARS) + 12

    def _fit_list(self) -> None:
        """The name column takes the room left by the others, never under 20 characters.

        At 1280 pixels the list is narrow: the name keeps its 20 characters and the amounts
        scroll sideways, rather than names collapsing to 'Agence Lum…' (issue 14).
        """
        header = self.table.horizontalHeader()
        name = ClientTableModel.COL_NAME
        others = sum(header.sectionSize(c) for c in range(self.model.columnCount()) if c != name)
        room = self.table.viewport().width() - others
        header.setSectionResizeMode(name, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(name, max(self.name_room(), room))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The list resized (splitter, window): fit the name column again."""
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_list()
        return super().eventFilter(watched, event)

    def export_csv(self, path: Path) -> int:
        """The clients listed (search applied, in the order shown) as CSV."""
        return write_model(path, self.proxy)

    def print_table(self) -> PrintTable:
        """The clients listed as Ctrl+P prints them, with what they owe in all."""
        headers, rows = model_table(self.proxy)
        col = ClientTableModel.COL_OUTSTANDING
        owed = sum(
            int(self.proxy.index(r, col).data(ClientTableModel.SORT_ROLE) or 0)
            for r in range(self.proxy.rowCount())
        )
        count = plural(len(rows), tr("{n} client"), tr("{n} clients")).format(n=len(rows))
        total = tr("{c} — encours : {t}").format(c=count, t=format_eur(owed, cents=True))
        return PrintTable(
            tr("Clients"), self.ops.today(), headers, rows, [total], frozenset({2, 3})
        )

    def current_client(self) -> int | None:
        """The client shown on the page."""
        return self._current

    def _proxy_row(self, client_id: int) -> int:
        row = self.model.row_of(client_id)
        if row < 0:
            return -1
        return self.proxy.mapFromSource(self.model.index(row, 0)).row()

    def _select(self, client_id: int | None) -> None:
        row = self._proxy_row(client_id) if client_id is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.proxy.index(row, 0))
        else:
            self.table.clearSelection()
        self._show(client_id if row >= 0 else None)

    def _selected(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            client_id = int(rows[0].data(ID_ROLE))
            if client_id != self._current or self.page.client is None:
                self._show(client_id)

    def _show(self, client_id: int | None) -> None:
        self._current = client_id
        self.page.show_client(client_id, self.by_client.get(client_id or 0, []))

    def _search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()
        rows = self.table.selectionModel().selectedRows()
        if not rows and self.proxy.rowCount() == 1:
            self._select(int(self.proxy.index(0, 0).data(ID_ROLE)))

    # -- actions -----------------------------------------------------------------------------
    def new_client(self) -> ClientDialog:
        """Open the client dialog for a new client; the list shows it once saved."""
        dialog = ClientDialog(self.ops, None, self)
        dialog.accepted.connect(lambda: self._show_new(dialog.saved_id))
        self.page.dialog = dialog
        dialog.open()
        return dialog

    def _show_new(self, client_id: int | None) -> None:
        if client_id is not None:
            self.show_client(client_id)
