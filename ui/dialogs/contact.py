"""Add or edit one contact of a client (a person in accounts payable, usually)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QWidget

from models.ids import ClientId, ContactId
from models.store.tables import Contact
from ui.ops import Ops, tr
from ui.widgets import dialog_buttons


class ContactDialog(QDialog):
    """Name, role, phone and e-mail; saved through ops.run, the dialog stays open if refused."""

    def __init__(
        self,
        ops: Ops,
        client_id: int,
        contact: Contact | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        self.contact = contact
        self.setWindowTitle(tr("Modifier le contact") if contact else tr("Nouveau contact"))
        form = QFormLayout(self)
        self.name = QLineEdit(contact.name if contact else "")
        self.role = QLineEdit(contact.role if contact else tr("Comptabilité fournisseurs"))
        self.phone = QLineEdit(contact.phone if contact else "")
        self.email = QLineEdit(contact.email if contact else "")
        form.addRow(tr("Nom :"), self.name)
        form.addRow(tr("Fonction :"), self.role)
        form.addRow(tr("Téléphone :"), self.phone)
        form.addRow(tr("E-mail :"), self.email)
        # The reminders by e-mail go first to the contact flagged for accounts payable.
        self.accounts_payable = QCheckBox(tr("Destinataire des relances par e-mail"))
        self.accounts_payable.setChecked(bool(contact and contact.accounts_payable))
        form.addRow("", self.accounts_payable)
        buttons = dialog_buttons(self, tr("Enregistrer"))
        form.addRow(buttons)
        self.setMinimumWidth(380)

    def accept(self) -> None:
        """Save; on refusal the message is shown and the dialog stays open."""
        if self.ops.run(self, self._save, "clients", reload=self.reload):
            super().accept()

    def reload(self) -> None:
        """After a conflict (issue 18): the contact as it is now, at its current version."""
        if self.contact is None or self.contact.id is None:
            return
        found = self.ops.ledger.contacts(ClientId(self.client_id))
        current = next((c for c in found if c.id == self.contact.id), None)
        if current is None:
            return
        self.contact = current
        self.name.setText(current.name)
        self.role.setText(current.role)
        self.phone.setText(current.phone)
        self.email.setText(current.email)
        self.accounts_payable.setChecked(current.accounts_payable)

    def _save(self) -> bool:
        led = self.ops.ledger
        fields = {
            "name": self.name.text().strip(),
            "role": self.role.text().strip(),
            "phone": self.phone.text().strip(),
            "email": self.email.text().strip(),
            "accounts_payable": self.accounts_payable.isChecked(),
        }
        if self.contact is None or self.contact.id is None:
            led.add_contact(ClientId(self.client_id), **fields)
        else:
            led.update_contact(
                ContactId(self.contact.id), expected_version=self.contact.version, **fields
            )
        return True
