"""Relances > E-mails en état inconnu: messages whose server answer was lost, settled by hand.

A message is written "pending" before the server is asked; if Relance stopped (or the
connection broke) before the answer was recorded, nobody knows whether it went. It is never
sent again on its own: the user looks in their mailbox's sent items and says "envoyé" (the step
is recorded) or "non envoyé" (it will be sent again). Either way a history line says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.store.todo_reads import PendingMail
from ui import mail
from ui.ops import Ops, tr

COLUMNS = ("Client", "Factures", "Envoi commencé le", "Objet", "Destinataires")


class PendingMailDialog(QDialog):
    """The messages in "état inconnu", each marked "envoyé" or "non envoyé" by the user."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.rows: list[PendingMail] = []
        self.setWindowTitle(tr("E-mails en état inconnu"))
        intro = QLabel(
            tr(
                "L'envoi de ces e-mails a commencé, mais la réponse du serveur n'a pas été "
                "enregistrée (connexion coupée, Relance fermé) : ils ne sont pas renvoyés "
                "d'eux-mêmes. Cherchez chacun dans les éléments envoyés de votre messagerie "
                "(même objet), puis dites s'il est parti. L'historique du client le note ; "
                "rien n'est effacé."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(tr("Aucun e-mail en état inconnu."))
        self.sent_button = QPushButton(tr("Il est parti : marquer « envoyé »"))
        self.not_sent_button = QPushButton(tr("Il n'est pas parti : marquer « non envoyé »"))
        self.not_sent_button.setToolTip(
            tr("Il sera envoyé de nouveau avec les relances du jour (ou depuis l'assistant).")
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("Fermer"))
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sent_button)
        buttons.addWidget(self.not_sent_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.sent_button.clicked.connect(lambda: self.settle(True))
        self.not_sent_button.clicked.connect(lambda: self.settle(False))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.resize(900, 420)
        self.refresh()

    def refresh(self) -> None:
        """Read the messages in "état inconnu" again."""
        self.rows = self.ops.ledger.pending_mails()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (
                row.client,
                ", ".join(row.invoices),
                f"{row.created_at:%d/%m/%Y %H:%M}",
                row.subject,
                row.recipients,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if c != 3 else f"{text}\nMessage-ID {row.message_id}")
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        if self.rows:
            self.table.selectRow(0)
        self._selection_changed()

    def current(self) -> PendingMail | None:
        """The message selected, if any."""
        index = self.table.currentRow()
        selected = self.table.selectionModel().hasSelection()
        return self.rows[index] if selected and 0 <= index < len(self.rows) else None

    def select(self, row: int) -> None:
        """Select a message by its line (tests, callers)."""
        self.table.selectRow(row)

    def _selection_changed(self) -> None:
        on = self.current() is not None
        self.sent_button.setEnabled(on)
        self.not_sent_button.setEnabled(on)

    def settle(self, sent: bool) -> bool:
        """Record what the user says of the selected message; True once recorded."""
        row = self.current()
        if row is None:
            return False
        done = self.ops.run(
            self, lambda: self.ops.ledger.settle_mail(row.id, sent, mail.now()), "history"
        )
        self.refresh()
        return done is not None


def open_pending(parent: QWidget | None, ops: Ops) -> PendingMailDialog:
    """Show the dialog (modeless, deleted on close)."""
    dialog = PendingMailDialog(ops, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
