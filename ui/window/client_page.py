"""One client on one page: identity, payment notes, flags, pause, contacts, invoices, history."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.ids import ActionId, ClientId, ContactId
from models.money import format_eur
from models.store.codes import B2C
from models.store.tables import Action, Client
from models.todo import StageRow
from ui.dialogs.call import CallDialog
from ui.dialogs.client import ClientDialog, PauseDialog
from ui.dialogs.contact import ContactDialog
from ui.dialogs.pieces import install_drop, open_pieces
from ui.dialogs.policy_choice import PolicyChoiceDialog
from ui.ops import Ops, tr
from ui.tables.clients import (
    ID_ROLE,
    ClientInvoicesModel,
    ContactTableModel,
    due_call,
    open_rows,
    relance_target,
)
from ui.tables.history import COL_NOTES, HistoryTableModel
from ui.undo import pause_client
from ui.widgets import ask_text, table


def ask(parent: QWidget, title: str, text: str) -> bool:
    """Ask a yes/no question; tests replace `ClientPage.confirm` instead."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def address_lines(c: Client) -> list[str]:
    """The postal address in La Poste's order, empty lines left out."""
    town = " ".join(p for p in (c.postal_code, c.city) if p)
    return [x for x in (c.attention, c.building, c.street, c.locality, town, c.country) if x]


class HeightScroll(QScrollArea):
    """Scrolls its widget up and down only: as wide as the widget needs, as low as 120 px."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The details changed size (a client shown): ask the page to lay out again."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        """The widget's own minimum width (plus the scroll bar), a short height."""
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(self.widget().minimumSizeHint().width() + bar, 120)

    def sizeHint(self) -> QSize:
        """The widget's natural size."""
        bar = self.verticalScrollBar().sizeHint().width()
        hint = self.widget().sizeHint()
        return QSize(hint.width() + bar, hint.height())


class ClientPage(QWidget):
    """The right-hand side of the client screen; `show_client` fills it."""

    invoiceOpenRequested = Signal(int)  # noqa: N815 (Qt signal naming)
    documentRequested = Signal(int, list, str)  # noqa: N815 (Qt signal naming)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ask_text: Callable[[QWidget | None, str, str], str | None] = ask_text  # tests answer
        self.client: Client | None = None
        self.stages: list[StageRow] = []
        self.dialog: QDialog | None = None  # the dialog last opened (tests drive it)
        self.confirm: Callable[[QWidget, str, str], bool] = ask
        self.invoices_model = ClientInvoicesModel(self)
        self.history_model = HistoryTableModel(self)
        self.contacts_model = ContactTableModel(self)
        self._build()
        self._fit_columns()
        self.show_client(None)
        # Files dropped on the page are attached to the client shown (ui/dialogs/pieces.py).
        self.drop = install_drop(self, ops, self._drop_target)

    def _drop_target(self) -> tuple[int, int | None] | None:
        return (self.client.id, None) if self.client is not None and self.client.id else None

    def open_pieces(self) -> None:
        """The client's pieces: list, attach, open (ui/dialogs/pieces.py)."""
        if self.client is not None and self.client.id:
            self.dialog = open_pieces(self, self.ops, self.client.id)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.edit_btn = QPushButton(tr("Modifier…"))
        self.archive_btn = QPushButton(tr("Archiver"))
        self.call_btn = QPushButton(tr("Noter un appel…"))
        self.relance_btn = QPushButton(tr("Relancer…"))
        self.edit_btn.clicked.connect(self.edit_client)
        self.archive_btn.clicked.connect(self.archive_client)
        self.call_btn.clicked.connect(lambda: self.note_call())
        self.relance_btn.clicked.connect(self.relance)
        self.pieces_btn = QPushButton(tr("Pièces…"))
        self.pieces_btn.clicked.connect(self.open_pieces)
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        head.addLayout(names, 1)
        for b in (
            self.call_btn,
            self.relance_btn,
            self.pieces_btn,
            self.edit_btn,
            self.archive_btn,
        ):
            head.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)

        identity = QGroupBox(tr("Identité"))
        self.identity_form = QFormLayout(identity)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("legal_form", "Forme juridique"),
            ("kind", "Type"),
            ("ids", "SIREN / SIRET"),
            ("address", "Adresse"),
            ("email", "E-mail"),
            ("phone", "Téléphone"),
            ("outstanding", "Encours"),
            ("overdue", "Dont échu"),
            ("credit", "Trop-perçu"),  # issue 14: usable on another invoice (payment dialog)
        ):
            self.fields[key] = self._value_label()
            self.identity_form.addRow(tr(label) + " :", self.fields[key])

        follow = QGroupBox(tr("Suivi"))
        form = QFormLayout(follow)
        for key, label in (
            ("payment_notes", "Procédure de règlement"),
            ("flags", "Signalements"),
            ("pause", "Relances"),
            ("policy", "Politique de relance"),
        ):
            self.fields[key] = self._value_label()
            form.addRow(tr(label) + " :", self.fields[key])
        self.pause_btn = QPushButton(tr("Suspendre les relances…"))
        self.resume_btn = QPushButton(tr("Reprendre"))
        self.policy_btn = QPushButton(tr("Changer de politique…"))
        self.pause_btn.clicked.connect(self.pause_reminders)
        self.resume_btn.clicked.connect(self.resume_reminders)
        self.policy_btn.clicked.connect(self.choose_policy)
        row = QHBoxLayout()
        for b in (self.pause_btn, self.resume_btn, self.policy_btn):
            row.addWidget(b)
        row.addStretch()
        form.addRow("", row)

        contacts = QGroupBox(tr("Contacts"))
        box = QVBoxLayout(contacts)
        self.contacts_view = table(self.contacts_model, sortable=False)
        self.contacts_view.doubleClicked.connect(lambda _i: self.edit_contact())
        self.add_contact_btn = QPushButton(tr("Ajouter…"))
        self.edit_contact_btn = QPushButton(tr("Modifier…"))
        self.remove_contact_btn = QPushButton(tr("Supprimer"))
        self.add_contact_btn.clicked.connect(self.add_contact)
        self.edit_contact_btn.clicked.connect(self.edit_contact)
        self.remove_contact_btn.clicked.connect(self.remove_contact)
        buttons = QHBoxLayout()
        for b in (self.add_contact_btn, self.edit_contact_btn, self.remove_contact_btn):
            buttons.addWidget(b)
        buttons.addStretch()
        box.addWidget(self.contacts_view)
        box.addLayout(buttons)

        self.contacts_view.setMaximumHeight(130)
        right = QVBoxLayout()
        right.addWidget(follow)
        right.addWidget(contacts)
        top = QHBoxLayout()
        top.addWidget(identity, 2)
        top.addLayout(right, 3)

        self.invoices_box = QGroupBox()
        self.invoices_view = table(self.invoices_model)
        self.invoices_view.sortByColumn(ClientInvoicesModel.COL_DUE, Qt.SortOrder.AscendingOrder)
        self.invoices_view.doubleClicked.connect(self._open_invoice)
        QVBoxLayout(self.invoices_box).addWidget(self.invoices_view)
        self.history_box = QGroupBox()
        self.history_view = table(self.history_model, sortable=False)
        self.history_view.doubleClicked.connect(lambda _i: self.acknowledge())
        self.ack_btn = QPushButton(tr("Noter l'accusé de réception…"))
        self.ack_btn.setToolTip(tr("Pour une mise en demeure en recommandé : la date de l'AR"))
        self.ack_btn.clicked.connect(self.acknowledge)
        self.ack_btn.setEnabled(False)
        self.interrupt_btn = QPushButton(tr("Reconnaissance de dette, action en justice…"))
        self.interrupt_btn.setToolTip(
            tr("Noter ce qui interrompt la prescription (C. civ. 2240, 2241)")
        )
        self.interrupt_btn.clicked.connect(lambda: self.record_interruption())
        history_box = QVBoxLayout(self.history_box)
        history_box.addWidget(self.history_view)
        history_buttons = QHBoxLayout()
        history_buttons.addWidget(self.ack_btn)
        # Issue 14: a letter sent is not undone; its line is marked cancelled with a reason.
        self.cancel_line_btn = QPushButton(tr("Annuler la ligne…"))
        self.cancel_line_btn.setToolTip(
            tr("La ligne reste dans l'historique, barrée, avec le motif ; elle ne compte plus")
        )
        self.cancel_line_btn.clicked.connect(self.cancel_line)
        self.cancel_line_btn.setEnabled(False)
        history_buttons.addWidget(self.cancel_line_btn)
        history_buttons.addWidget(self.interrupt_btn)
        history_buttons.addStretch(1)
        history_box.addLayout(history_buttons)
        self.history_view.selectionModel().selectionChanged.connect(
            lambda *_a: (
                self.ack_btn.setEnabled(self._awaiting_receipt() is not None),
                self.cancel_line_btn.setEnabled(self._cancellable() is not None),
            )
        )
        # The client's details scroll within their share, so at 1280x720 the invoices and the
        # history keep rows to read; the three shares are one splitter the window remembers.
        details = QWidget()
        details.setLayout(top)
        upper = HeightScroll(details)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(upper)
        lower.addWidget(self.invoices_box)
        lower.addWidget(self.history_box)
        lower.setChildrenCollapsible(False)
        # Issue 14: the history gets the larger share of the lists (3 to 2).
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setStretchFactor(2, 3)
        lower.setSizes([300, 200, 300])
        self.lower = lower

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(lower, 1)
        self.body = [identity, follow, contacts, lower]

    @staticmethod
    def _value_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    # -- filling -----------------------------------------------------------------------------
    def show_client(self, client_id: int | None, stages: Sequence[StageRow] = ()) -> None:
        """Show a client (None: an empty page) with its invoices' StageRows as of today."""
        led = self.ops.ledger
        self.client = led.client(ClientId(client_id)) if client_id is not None else None
        c = self.client
        for w in [*self.body, self.edit_btn, self.archive_btn, self.call_btn, self.pieces_btn]:
            w.setEnabled(c is not None)
        if c is None or c.id is None:
            self.title.setText(tr("Aucun client sélectionné"))
            self.subtitle.setText(tr("Choisissez un client dans la liste."))
            self.stages = []
            for m in (self.invoices_model, self.history_model, self.contacts_model):
                m.set_rows([])
            self.relance_btn.setEnabled(False)
            self.pause_btn.setEnabled(False)
            self.resume_btn.setEnabled(False)
            self.policy_btn.setEnabled(False)
            return
        self.stages = open_rows(s for s in stages if s.client_id == c.id)
        self.title.setText(c.name + (tr(" (archivé)") if c.archived else ""))
        kind = tr("Particulier") if c.kind == B2C else tr("Professionnel")
        self.subtitle.setText(" · ".join(x for x in (kind, c.legal_form, c.city) if x))
        f = self.fields
        f["legal_form"].setText(c.legal_form or "—")
        f["kind"].setText(kind)
        f["ids"].setText(" / ".join(x for x in (c.siren, c.siret) if x) or "—")
        f["address"].setText("\n".join(address_lines(c)) or "—")
        f["email"].setText(c.email or "—")
        f["phone"].setText(c.phone or "—")
        f["payment_notes"].setText(c.payment_notes or tr("Aucune consigne particulière"))
        flags = [tr("Nouveau client")] * c.is_new + [tr("Mauvais payeur")] * c.late_payer
        f["flags"].setText(", ".join(flags) or "—")
        paused = c.paused_until is not None and c.paused_until >= self.ops.today()
        if paused:
            f["pause"].setText(
                tr("Suspendues jusqu'au {d} — {r}").format(
                    d=f"{c.paused_until:%d/%m/%Y}", r=c.pause_reason
                )
            )
        else:
            f["pause"].setText(tr("Actives"))
        f["policy"].setText(c.policy_name or tr("Politique par défaut"))
        self.pause_btn.setEnabled(True)
        self.policy_btn.setEnabled(True)
        self.resume_btn.setEnabled(c.paused_until is not None)
        self.archive_btn.setText(tr("Désarchiver") if c.archived else tr("Archiver"))

        self.contacts_model.set_rows(led.contacts(ClientId(c.id)))
        self.invoices_model.set_rows(self.stages)
        total = sum(s.balance_cents for s in self.stages)
        overdue = sum(s.balance_cents for s in self.stages if s.days_late > 0)
        f["outstanding"].setText(format_eur(total, cents=True))
        f["overdue"].setText(format_eur(overdue, cents=True))
        credit = led.credit_cents(ClientId(c.id))
        f["credit"].setText(format_eur(credit, cents=True) if credit else "—")
        self.invoices_box.setTitle(
            tr("Factures en cours : {n} — {t}").format(
                n=len(self.stages), t=format_eur(total, cents=True)
            )
        )
        history = led.history(ClientId(c.id))
        history.reverse()
        self.history_model.set_rows(history)
        self.history_box.setTitle(
            tr("Historique : {n} entrées, la plus récente en premier").format(n=len(history))
        )
        self.relance_btn.setEnabled(relance_target(self.stages) is not None)
        self.interrupt_btn.setEnabled(bool(self.stages))

    def _fit_columns(self) -> None:
        """Columns as wide as their content; the free text column takes the rest."""
        for view, stretch in (
            (self.invoices_view, ClientInvoicesModel.COL_NEXT),
            (self.history_view, COL_NOTES),
            (self.contacts_view, ContactTableModel.COL_EMAIL),
        ):
            header = view.horizontalHeader()
            header.setStretchLastSection(False)
            for col in range(header.count()):
                header.setSectionResizeMode(
                    col,
                    QHeaderView.ResizeMode.Stretch
                    if col == stretch
                    else QHeaderView.ResizeMode.ResizeToContents,
                )

    # -- actions -----------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        """Open a dialog window-modally without blocking (tests find it in `self.dialog`)."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_client(self) -> None:
        """Open the client dialog on this client."""
        if self.client is not None:
            self._open(ClientDialog(self.ops, self.client.id, self))

    def archive_client(self) -> None:
        """Archive (after confirmation) or bring back this client; nothing is deleted."""
        c = self.client
        if c is None or c.id is None:
            return
        archived = not c.archived
        if archived and not self.confirm(
            self,
            tr("Archiver le client"),
            tr(
                "Archiver « {c} » ? Le client et ses factures disparaissent des listes et du "
                "travail du jour ; rien n'est supprimé."
            ).format(c=c.name),
        ):
            return
        cid = ClientId(c.id)
        self.ops.run(self, lambda: self.ops.ledger.archive_client(cid, archived), "clients")

    def note_call(self, invoice_ids: Sequence[int] = ()) -> CallDialog | None:
        """Open the call dialog for this client (pre-checking `invoice_ids`)."""
        if self.client is None or self.client.id is None:
            return None
        ids, step = list(invoice_ids), ""
        call = due_call(self.stages, self.ops.today())
        if not ids and call is not None:  # the call the to-do asks for: it is then done
            ids, step = call
        elif not ids:
            target = relance_target(self.stages)
            ids = target[0] if target else []
        dialog = CallDialog(self.ops, self.client.id, ids, self, step)
        self._open(dialog)
        return dialog

    def relance(self) -> None:
        """Ask for the next document on the client's overdue invoices (documentRequested)."""
        target = relance_target(self.stages)
        if self.client is not None and self.client.id is not None and target is not None:
            self.documentRequested.emit(self.client.id, target[0], target[1])

    def pause_reminders(self) -> None:
        """Open the pause dialog (date and reason)."""
        if self.client is not None and self.client.id is not None:
            self._open(PauseDialog(self.ops, self.client.id, self))

    def resume_reminders(self) -> None:
        """Lift the client's pause."""
        if self.client is not None and self.client.id is not None:
            cid = self.client.id
            self.ops.run(self, lambda: pause_client(self.ops, cid, None), "clients")

    def _awaiting_receipt(self) -> Action | None:
        """The selected history entry when it is a registered notice with no receipt yet."""
        rows = self.history_view.selectionModel().selectedRows()
        entry = self.history_model.row(rows[0].row()) if rows else None
        return entry.action if entry is not None and entry.awaiting_receipt() else None

    def _cancellable(self) -> Action | None:
        """The selected history line when it can be cancelled (live, not a correction)."""
        rows = self.history_view.selectionModel().selectedRows()
        entry = self.history_model.row(rows[0].row()) if rows else None
        if entry is None or entry.action.cancelled_on is not None:
            return None
        return entry.action if entry.action.kind != "correction" else None

    def cancel_line(self) -> bool:
        """Mark the selected history line cancelled with the user's reason (issue 14)."""
        action = self._cancellable()
        if action is None or action.id is None:
            return False
        reason = self.ask_text(self, tr("Annuler la ligne"), tr("Pourquoi annuler cette ligne ?"))
        if reason is None:
            return False
        action_id = ActionId(action.id)

        def work() -> bool:
            self.ops.ledger.cancel_action(action_id, self.ops.today(), reason)
            return True

        return self.ops.run(self, work, "history") is not None

    def acknowledge(self) -> None:
        """Record when the acknowledgement of receipt of the selected notice came back."""
        from ui.wizards.notice import AcknowledgementDialog  # with the letters: loaded on demand

        action = self._awaiting_receipt()
        if action is not None and action.id is not None:
            self._open(AcknowledgementDialog(self.ops, action.id, action.date, self))

    def record_interruption(self) -> QDialog | None:
        """Record an acknowledgement or a court filing on the client's open invoices."""
        from ui.dialogs.interruption import InterruptionDialog

        if self.client is None or self.client.id is None or not self.stages:
            return None
        rows = self.invoices_view.selectionModel().selectedRows()
        chosen = [int(i.data(ID_ROLE)) for i in rows if i.data(ID_ROLE) is not None]
        invoices = [(s.invoice_id, s.invoice) for s in self.stages]
        dialog = InterruptionDialog(self.ops, self.client.id, invoices, chosen, self)
        self._open(dialog)
        return dialog

    def choose_policy(self) -> None:
        """Open the choice of collection policy for this client."""
        if self.client is not None and self.client.id is not None:
            self._open(PolicyChoiceDialog(self.ops, ClientId(self.client.id), self))

    def _selected_contact(self) -> int | None:
        rows = self.contacts_view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_contact(self) -> None:
        """Open the contact dialog for a new contact."""
        if self.client is not None and self.client.id is not None:
            self._open(ContactDialog(self.ops, self.client.id, None, self))

    def edit_contact(self) -> None:
        """Open the contact dialog on the selected contact."""
        row = self._selected_contact()
        if self.client is not None and self.client.id is not None and row is not None:
            contact = self.contacts_model.row(row)
            self._open(ContactDialog(self.ops, self.client.id, contact, self))

    def remove_contact(self) -> None:
        """Delete the selected contact after confirmation."""
        row = self._selected_contact()
        if row is None:
            return
        contact = self.contacts_model.row(row)
        if self.confirm(
            self,
            tr("Supprimer le contact"),
            tr("Supprimer le contact « {n} » ?").format(n=contact.name),
        ):
            cid = ContactId(contact.id)
            self.ops.run(self, lambda: self.ops.ledger.delete_contact(cid), "clients")

    def _open_invoice(self, index: QModelIndex) -> None:
        invoice_id = index.data(ID_ROLE)
        if invoice_id is not None:
            self.invoiceOpenRequested.emit(int(invoice_id))
