"""Pièces of a client or an invoice: the list, attach (button or drag and drop), open, remove.

The client page and the invoice dialog only add a "Pièces…" button and `install_drop`: the rest
lives here (models/litigation/pieces.py does the storing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.ids import ClientId, InvoiceId
from models.litigation.pieces import PIECE_KINDS, PieceRow, attach, pieces_for, remove_piece
from ui.ops import Ops, tr
from ui.widgets import date_edit, dialog_buttons, from_qdate

Target = Callable[[], tuple[int, int | None] | None]  # (client id, invoice id) or None


def dropped_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    """The local files of a drag (folders and web links left out)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_file()]


class AttachDialog(QDialog):
    """Kind, date and note for one or more files, then attach them (one write each)."""

    def __init__(
        self,
        ops: Ops,
        paths: Sequence[Path],
        client_id: int,
        invoice_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.paths = list(paths)
        self.client_id, self.invoice_id = client_id, invoice_id
        self.attached: list[int] = []
        self.setWindowTitle(tr("Joindre des pièces"))
        names = QLabel("\n".join(p.name for p in self.paths))
        names.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItems([tr(k) for k in PIECE_KINDS])
        self.dated = QCheckBox(tr("Datée du"))
        self.dated.setChecked(True)
        self.date = date_edit(ops.today())
        self.dated.toggled.connect(self.date.setEnabled)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("ex. : signé par M. Durand"))
        form = QFormLayout()
        form.addRow(tr("Fichiers"), names)
        form.addRow(tr("Type de pièce"), self.kind)
        when = QHBoxLayout()
        when.addWidget(self.dated)
        when.addWidget(self.date)
        when.addStretch(1)
        form.addRow(tr("Date"), when)
        form.addRow(tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, tr("Joindre"), self.save))

    def save(self) -> None:
        """Attach every file; a refusal is shown once and the dialog stays open."""
        kind = PIECE_KINDS[self.kind.currentIndex()]
        on = from_qdate(self.date.date()) if self.dated.isChecked() else None
        today = self.ops.today()

        def work() -> list[int]:
            return [
                attach(
                    self.ops.ledger,
                    path,
                    kind,
                    today,
                    client_id=ClientId(self.client_id),
                    invoice_id=InvoiceId(self.invoice_id) if self.invoice_id else None,
                    on=on,
                    note=self.note.text(),
                )
                for path in self.paths
            ]

        done = self.ops.run(self, work, "history")
        if done is not None:
            self.attached = done
            self.accept()


class PiecesDialog(QDialog):
    """The pieces of a client (or of one invoice and its client): list, attach, open, remove."""

    COLUMNS = ("Pièce", "Type", "Date", "Factures", "Note")

    def __init__(
        self, ops: Ops, client_id: int, invoice_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id, self.invoice_id = client_id, invoice_id
        self.rows: list[PieceRow] = []
        self.dialog: QDialog | None = None
        # Replaced in tests: the desktop's program for a file, the file chooser.
        self.opener: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(p))
        )
        self.choose_files: Callable[[], list[Path]] = self._choose_files
        client = ops.ledger.client(ClientId(client_id))
        title = tr("Pièces — {c}").format(c=client.name)
        if invoice_id is not None:
            number = ops.ledger.invoice(InvoiceId(invoice_id)).number
            title += tr(" — facture {n}").format(n=number)
        self.setWindowTitle(title)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        hint = QLabel(tr("Glissez-déposez des fichiers ici pour les joindre."))
        hint.setStyleSheet("color: #555;")
        self.attach_btn = QPushButton(tr("Joindre…"))
        self.open_btn = QPushButton(tr("Ouvrir"))
        self.remove_btn = QPushButton(tr("Retirer de la liste"))
        close = QPushButton(tr("Fermer"))
        self.attach_btn.clicked.connect(lambda: self.attach_files(self.choose_files()))
        self.open_btn.clicked.connect(self.open_selected)
        self.remove_btn.clicked.connect(self.remove_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.attach_btn, self.open_btn, self.remove_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self.resize(760, 360)
        self.reload()

    def reload(self) -> None:
        """Read the pieces again (stored files and archived letters)."""
        ids = [self.invoice_id] if self.invoice_id is not None else None
        self.rows = pieces_for(self.ops.ledger, ClientId(self.client_id), ids)
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            values = (
                p.title + ("" if p.exists else tr(" (fichier introuvable)")),
                tr(p.kind),
                f"{p.date:%d/%m/%Y}" if p.date else "",
                ", ".join(p.invoices),
                p.note,
            )
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def current(self) -> PieceRow | None:
        """The piece selected, if any."""
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _choose_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self, tr("Joindre des pièces"))
        return [Path(n) for n in names]

    def attach_files(self, paths: Sequence[Path]) -> AttachDialog | None:
        """Ask kind, date and note for these files, then attach them."""
        if not paths:
            return None
        dialog = AttachDialog(self.ops, paths, self.client_id, self.invoice_id, self)
        dialog.accepted.connect(self.reload)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_selected(self) -> None:
        """Open the piece with the desktop's program."""
        piece = self.current()
        if piece is not None and piece.exists:
            self.opener(piece.path)

    def remove_selected(self) -> None:
        """Take the piece off the list (file and record kept; refused once in a dossier)."""
        piece = self.current()
        if piece is None or piece.piece_id is None:  # an archived letter stays in the history
            return
        self.ops.run(self, lambda: remove_piece(self.ops.ledger, piece.piece_id, self.ops.today()))
        self.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept a drag of files."""
        if dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Dropped files: attach them."""
        self.attach_files(dropped_paths(event))


class DropToPieces(QObject):
    """Event filter that makes a widget accept dropped files and attach them as pieces."""

    def __init__(self, widget: QWidget, ops: Ops, target: Target) -> None:
        super().__init__(widget)
        self.ops, self.target = ops, target
        self.dialog: QDialog | None = None
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept file drags; on drop, open the attach dialog for the widget's target."""
        if event.type() == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            if dropped_paths(event) and self.target() is not None:
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
            found = self.target()
            paths = dropped_paths(event)
            if found is not None and paths:
                parent = watched if isinstance(watched, QWidget) else None
                self.dialog = AttachDialog(self.ops, paths, found[0], found[1], parent)
                self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.dialog.open()
                event.acceptProposedAction()
                return True
        return False


def install_drop(widget: QWidget, ops: Ops, target: Target) -> DropToPieces:
    """Let files be dropped on `widget` to attach them to `target()` (client, invoice)."""
    return DropToPieces(widget, ops, target)


def open_pieces(
    parent: QWidget | None, ops: Ops, client_id: int, invoice_id: int | None = None
) -> PiecesDialog:
    """Open the pieces dialog (window-modal, deleted on close)."""
    dialog = PiecesDialog(ops, client_id, invoice_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
