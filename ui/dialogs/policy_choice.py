"""Choose which collection policy a client follows (used from the client page)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from models.ids import ClientId
from models.law.policy import CHANNEL_LABELS
from ui.ops import Ops, tr
from ui.settings.templates import saved
from ui.widgets import dialog_buttons


class PolicyChoiceDialog(QDialog):
    """A combo of 'Politique par défaut' and the named policies, with the steps in words."""

    def __init__(self, ops: Ops, client_id: ClientId, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        client = ops.ledger.client(client_id)
        self.setWindowTitle(tr("Politique de relance de {client}").format(client=client.name))
        self.combo = QComboBox()
        self.combo.addItem(tr("Politique par défaut"), "")
        for name in ops.ledger.policy_names():
            self.combo.addItem(name, name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(client.policy_name or "")))
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setMinimumWidth(420)
        form = QFormLayout()
        form.addRow(tr("Politique suivie"), self.combo)
        buttons = dialog_buttons(self, tr("Enregistrer"))
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.steps)
        outer.addWidget(buttons)
        self.combo.currentIndexChanged.connect(self._describe)
        self._describe()

    def chosen(self) -> str | None:
        """The policy name chosen, None for the default policy."""
        return str(self.combo.currentData()) or None

    def _describe(self) -> None:
        policy = self.ops.ledger.policy(self.chosen())
        lines = [
            f"• {s.label} : {s.when_text()} ({tr(CHANNEL_LABELS.get(s.channel, s.channel))})"
            for s in policy.steps
        ]
        self.steps.setText("\n".join(lines))

    def accept(self) -> None:
        """Save the choice; the dialog stays open on a refusal."""
        name, client_id = self.chosen(), self.client_id
        done = self.ops.run(
            self, saved(lambda: self.ops.ledger.set_client_policy(client_id, name)), "clients"
        )
        if done:
            super().accept()


def choose_client_policy(ops: Ops, client_id: ClientId, parent: QWidget | None = None) -> bool:
    """Ask which policy a client follows; True when a choice was saved."""
    dialog = PolicyChoiceDialog(ops, client_id, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
