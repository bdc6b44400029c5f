"""Settings page 'Modèles de lettres': each letter's text with its fields and a live PDF preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.errors import InputError
from models.letters.kinds import LETTER_KINDS
from models.letters.templates import FIELDS, validate
from models.settings import preview_letter
from ui.ops import Ops, tr
from ui.pdf_preview import PdfPreview

PREVIEW_DELAY_MS = 300  # the preview waits for a pause in typing
FIELD_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_labels() -> dict[str, str]:
    """French names of the letter kinds, in LETTER_KINDS order."""
    return {
        "preventive": tr("Rappel préventif"),
        "reminder_1": tr("Relance 1 (courtoise)"),
        "reminder_2": tr("Relance 2 (ferme)"),
        "reminder_3": tr("Relance 3 (dernière avant procédure)"),
        "formal_notice": tr("Mise en demeure"),
        "payment_plan": tr("Accord d'échéancier"),
        "penalty_statement": tr("Décompte des pénalités"),
    }


def saved(work: Callable[[], object]) -> Callable[[], bool]:
    """Wrap a Ledger write for `ops.run` so that success reads True (refusal gives None)."""

    def run() -> bool:
        work()
        return True

    return run


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question (tests replace the page's `confirm`)."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class TemplatesPage(QWidget):
    """Edit a letter kind's text; unknown fields are shown at once and refused on saving."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.confirm: Callable[[QWidget, str, str], bool] = ask
        self._kind = LETTER_KINDS[0]
        self._loading = False

        self.kind_combo = QComboBox()
        for kind, label in kind_labels().items():
            self.kind_combo.addItem(label, kind)
        self.b2c = QCheckBox(tr("Aperçu pour un particulier"))
        self.state = QLabel()
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFont("DejaVu Sans Mono", 10))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.fields = QListWidget()
        self.fields.setToolTip(tr("Double-cliquez sur un champ pour l'insérer dans le texte"))
        for name, description in FIELDS.items():
            item = QListWidgetItem(f"{{{name}}} — {description}")
            item.setData(FIELD_ROLE, name)
            self.fields.addItem(item)
        self.fields.setMaximumHeight(150)
        self.fields.setWordWrap(True)
        self.fields.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(tr("Enregistrer le modèle"))
        self.reset_button = QPushButton(tr("Rétablir le texte d'origine"))
        self.preview = PdfPreview()
        self.preview.setMinimumWidth(320)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Courrier :")))
        top.addWidget(self.kind_combo, 1)
        top.addWidget(self.b2c)
        help_text = QLabel(
            tr(
                "1re ligne « Titre: … », 2e ligne facultative « Objet: … », puis une ligne vide "
                "et les paragraphes séparés par une ligne vide ; le dernier est la formule de "
                "politesse. [b2b]…[/b2b] et [b2c]…[/b2c] : texte réservé aux professionnels ou "
                "aux particuliers."
            )
        )
        help_text.setWordWrap(True)
        help_text.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(top)
        col.addWidget(help_text)
        col.addWidget(self.editor, 1)
        col.addWidget(QLabel(tr("Champs disponibles (double-clic pour insérer) :")))
        col.addWidget(self.fields)
        col.addWidget(self.messages)
        col.addLayout(buttons)
        right = QWidget()
        rcol = QVBoxLayout(right)
        rcol.setContentsMargins(0, 0, 0, 0)
        rcol.addWidget(QLabel(tr("Aperçu (exemple de client et de factures) :")))
        rcol.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 440])
        outer = QVBoxLayout(self)
        outer.addWidget(split)

        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self.editor.textChanged.connect(self._edited)
        self.b2c.toggled.connect(lambda _on: self.timer.start())
        self.timer.timeout.connect(self.update_preview)
        self.fields.itemDoubleClicked.connect(self._insert_field)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        self.ops.changed.connect(self.refresh)
        self.load(self._kind)

    def hideEvent(self, event: QHideEvent) -> None:
        """No preview is rendered for a page nobody sees (the dialog closed)."""
        self.timer.stop()
        super().hideEvent(event)

    # -- loading -----------------------------------------------------------------------------
    def text(self) -> str:
        """The text typed, no-break spaces kept (toPlainText would turn them into spaces)."""
        return self.editor.document().toRawText().replace("\u2029", "\n")

    def kind(self) -> str:
        """The letter kind being edited."""
        return self._kind

    def is_dirty(self) -> bool:
        """Whether the text differs from the one stored."""
        return self.text() != self.ops.ledger.template(self._kind)

    def load(self, kind: str) -> None:
        """Show the stored text of a letter kind."""
        self._kind = kind
        self._loading = True
        self.editor.setPlainText(self.ops.ledger.template(kind))
        self._loading = False
        self._edited()
        self.update_preview()

    def refresh(self, what: str = "all") -> None:
        """Reload after a change elsewhere, unless the text being typed would be lost."""
        if what in ("settings", "all") and not self.is_dirty():
            self.load(self._kind)

    def _kind_chosen(self, _index: int) -> None:
        kind = str(self.kind_combo.currentData())
        if kind == self._kind:
            return
        question = tr("Le texte modifié n'est pas enregistré. L'abandonner ?")
        if self.is_dirty() and not self.confirm(self, tr("Modèles de lettres"), question):
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(self._kind))
            self.kind_combo.blockSignals(False)
            return
        self.load(kind)

    # -- editing -----------------------------------------------------------------------------
    def _edited(self) -> None:
        """Check the text at each keystroke; the preview follows after a pause."""
        errors = validate(self.text())
        if errors:
            lines = [f"• {e}" for e in errors[:6]]
            self.messages.setText("\n".join(lines))
            self.messages.setStyleSheet("color: #a40000;")
        else:
            self.messages.setText(tr("✔ Modèle valide."))
            self.messages.setStyleSheet("color: #1e6b2e;")
        custom = self.ops.ledger.template_is_custom(self._kind)
        if self.is_dirty():
            self.state.setText(tr("Modifié, non enregistré"))
        else:
            self.state.setText(tr("Texte personnalisé") if custom else tr("Texte d'origine"))
        self.save_button.setEnabled(self.is_dirty())
        if not self._loading:
            self.timer.start()

    def _insert_field(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText("{" + str(item.data(FIELD_ROLE)) + "}")
        self.editor.setFocus()

    def update_preview(self) -> None:
        """Render the text as a PDF letter from the user's company to a sample client."""
        self.timer.stop()
        text = self.text()
        if validate(text):
            return  # the messages say why; the last good preview stays
        ledger = self.ops.ledger
        try:
            data = preview_letter(
                self._kind, text, ledger.company(), self.b2c.isChecked(), self.ops.today()
            )
        except InputError as exc:
            self.messages.setText(str(exc))
            self.messages.setStyleSheet("color: #a40000;")
            return
        from reports.letters import render_letter  # reportlab only when a preview is shown

        self.preview.set_pdf(render_letter(data))

    # -- writes ------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the text (refused, with the reason, when a field is unknown)."""
        kind, text = self._kind, self.text()
        done = self.ops.run(
            self, saved(lambda: self.ops.ledger.set_template(kind, text)), "settings"
        )
        self._edited()
        return bool(done)

    def reset(self) -> None:
        """Go back to the text shipped with Relance for this letter."""
        question = tr("Remplacer votre texte par le texte d'origine de Relance ?")
        if not self.confirm(self, tr("Modèles de lettres"), question):
            return
        kind = self._kind
        self.ops.run(self, lambda: self.ops.ledger.reset_template(kind), "settings")
        self.load(kind)
