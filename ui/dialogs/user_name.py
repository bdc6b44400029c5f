"""The question asked once at start when several people write the ledger (issue 18).

« Votre nom (il figurera dans l'historique) », prefilled with the system login. The answer is
kept on this machine (models/user.py); cancelling keeps the login and is not asked again.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.user import MAX_LENGTH, login_name, mark_name_asked, set_local_user_name
from ui.ops import Ops, tr


class UserNameDialog(QDialog):
    """Who works on this machine: one line, prefilled with the login."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(tr("Qui travaille sur ce poste ?"))
        shared = ops.ledger.shared
        intro = QLabel(
            tr(
                "Plusieurs personnes travaillent sur cette base partagée : chaque ligne "
                "d'historique dit qui l'a enregistrée."
            )
            if shared
            else tr(
                "D'autres personnes ont déjà enregistré des lignes dans l'historique de "
                "cette base : chaque ligne dit qui l'a enregistrée."
            )
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(login_name())
        self.name.setMaxLength(MAX_LENGTH)
        self.name.selectAll()
        kept = ops.ledger.user  # the login, or the role on a server: what cancelling keeps
        hint = QLabel(
            tr(
                "Gardé sur cet ordinateur ; modifiable dans Paramètres > Entreprise. "
                "Sans nom, l'historique dira « {kept} »."
            ).format(kept=kept)
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Enregistrer ce nom"))
        ok.setDefault(True)
        keep = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        keep.setText(tr("Garder « {kept} »").format(kept=kept))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(tr("Votre nom (il figurera dans l'historique)")))
        layout.addWidget(self.name)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def accept(self) -> None:
        """Keep the name on this machine; a refused name (empty) keeps the dialog open."""
        name = " ".join(self.name.text().split())

        def work() -> str:
            set_local_user_name(name)
            self.ops.ledger.forget_user()  # the next lines carry the name (with the role)
            return name

        if self.ops.run(self, work, "settings") is not None:
            super().accept()

    def reject(self) -> None:
        """Keep the login and never ask again on this machine."""

        def work() -> bool:
            mark_name_asked()
            return True

        self.ops.run(self, work, "settings")
        super().reject()
