"""Create or edit a client, pause its reminders; the Ledger validates, the dialog stays open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.ids import ClientId
from models.store.codes import B2B, B2C
from models.store.tables import Client
from ui.ops import Ops, tr
from ui.widgets import date_edit, dialog_buttons, from_qdate

DEFAULT_PAUSE_DAYS = 30
# Text fields of the form, in screen order: (Client field, French label).
IDENTITY = (
    ("name", "Nom ou raison sociale"),
    ("legal_form", "Forme juridique"),
    ("siren", "SIREN"),
    ("siret", "SIRET"),
    ("email", "E-mail"),
    ("phone", "Téléphone"),
)
ADDRESS = (
    ("attention", "À l'attention de"),
    ("building", "Bâtiment, résidence"),
    ("street", "N° et voie"),
    ("locality", "Lieu-dit, BP"),
    ("postal_code", "Code postal"),
    ("city", "Ville"),
    ("country", "Pays (vide : France)"),
)


class ClientDialog(QDialog):
    """The client's identity, address, payment procedure notes and flags."""

    def __init__(
        self, ops: Ops, client_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        client = (
            ops.ledger.client(ClientId(client_id)) if client_id is not None else Client(name="")
        )
        # Issue 18: the version read; saving is refused if someone changed the client since.
        self.version = client.version if client_id is not None else None
        self.setWindowTitle(tr("Modifier le client") if client_id else tr("Nouveau client"))
        self.edits: dict[str, QLineEdit] = {}
        self.kind = QComboBox()
        self.kind.addItem(tr("Professionnel"), B2B)
        self.kind.addItem(tr("Particulier"), B2C)
        self.kind.setCurrentIndex(self.kind.findData(client.kind))

        identity = QGroupBox(tr("Identité"))
        form = QFormLayout(identity)
        for key, label in IDENTITY:
            self.edits[key] = QLineEdit(str(getattr(client, key) or ""))
            form.addRow(tr(label) + " :", self.edits[key])
            if key == "legal_form":
                form.addRow(tr("Type :"), self.kind)
        address = QGroupBox(tr("Adresse postale"))
        form2 = QFormLayout(address)
        for key, label in ADDRESS:
            self.edits[key] = QLineEdit(str(getattr(client, key) or ""))
            form2.addRow(tr(label) + " :", self.edits[key])

        follow = QGroupBox(tr("Règlement"))
        box = QVBoxLayout(follow)
        self.payment_notes = QPlainTextEdit(client.payment_notes)
        self.payment_notes.setPlaceholderText(
            tr("Ex. : factures à déposer sur le portail fournisseurs, avec le n° de commande")
        )
        self.payment_notes.setMaximumHeight(70)
        self.is_new = QCheckBox(tr("Nouveau client"))
        self.is_new.setChecked(client.is_new)
        self.late_payer = QCheckBox(tr("Mauvais payeur connu"))
        self.late_payer.setChecked(client.late_payer)
        flags = QHBoxLayout()
        flags.addWidget(self.is_new)
        flags.addWidget(self.late_payer)
        flags.addStretch()
        box.addWidget(self.payment_notes)
        box.addLayout(flags)

        buttons = dialog_buttons(self, tr("Enregistrer"))

        columns = QHBoxLayout()
        columns.addWidget(identity)
        columns.addWidget(address)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(follow)
        layout.addWidget(buttons)
        self.saved_id: int | None = client_id

    def values(self) -> dict[str, Any]:
        """The form as Client fields (text trimmed)."""
        values: dict[str, Any] = {k: e.text().strip() for k, e in self.edits.items()}
        values["siren"] = values["siren"].replace(" ", "")
        values["siret"] = values["siret"].replace(" ", "")
        values["kind"] = self.kind.currentData()
        values["payment_notes"] = self.payment_notes.toPlainText().strip()
        values["is_new"] = self.is_new.isChecked()
        values["late_payer"] = self.late_payer.isChecked()
        return values

    def accept(self) -> None:
        """Save through the Ledger; a refusal is shown and the dialog stays open."""
        if self.ops.run(self, self._save, "clients", reload=self.reload):
            super().accept()

    def reload(self) -> None:
        """After a conflict: the client as it is now in the ledger, at its current version."""
        if self.client_id is None:
            return
        client = self.ops.ledger.client(ClientId(self.client_id))
        self.version = client.version
        for key, edit in self.edits.items():
            edit.setText(str(getattr(client, key) or ""))
        self.kind.setCurrentIndex(self.kind.findData(client.kind))
        self.payment_notes.setPlainText(client.payment_notes)
        self.is_new.setChecked(client.is_new)
        self.late_payer.setChecked(client.late_payer)

    def _save(self) -> bool:
        fields = self.values()
        if self.client_id is None:
            name, kind = fields.pop("name"), fields.pop("kind")
            self.saved_id = self.ops.ledger.add_client(name, kind, **fields)
        else:
            self.ops.ledger.update_client(
                ClientId(self.client_id), expected_version=self.version, **fields
            )
        return True


class PauseDialog(QDialog):
    """Ask until when and why the reminders to a client are suspended."""

    def __init__(self, ops: Ops, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        self.setWindowTitle(tr("Suspendre les relances"))
        form = QFormLayout(self)
        self.until = date_edit(ops.today() + dt.timedelta(days=DEFAULT_PAUSE_DAYS))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("ex. accord verbal du gérant, attente d'un avoir"))
        form.addRow(tr("Suspendre jusqu'au :"), self.until)
        form.addRow(tr("Motif :"), self.reason)
        buttons = dialog_buttons(self, tr("Suspendre"))
        form.addRow(buttons)
        self.setMinimumWidth(400)

    def accept(self) -> None:
        """Pause through the Ledger (a reason is required); stay open if refused."""
        until, reason = from_qdate(self.until.date()), self.reason.text().strip()
        if self.ops.run(self, lambda: self._pause(until, reason), "clients"):
            super().accept()

    def _pause(self, until: dt.date, reason: str) -> bool:
        from ui.undo import pause_client  # Ctrl+Z puts the pause back as it was

        pause_client(self.ops, self.client_id, until, reason)
        return True
