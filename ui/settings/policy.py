"""Settings page 'Politique de relance': the steps as an editable table, checked as edited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.law.policy import (
    CHANNEL_LABELS,
    DEFAULT_POLICY,
    MAX_OFFSET,
    Policy,
    Step,
    validate_policy,
)
from ui.ops import Ops, tr
from ui.settings.templates import ask, kind_labels, saved

COL_LABEL, COL_WHEN, COL_CHANNEL, COL_TEMPLATE, COL_B2B, COL_B2C = range(6)
HEADERS = ("Étape", "Quand", "Canal", "Modèle de lettre", "Pros", "Particuliers")
DEFAULT_KEY = ""  # the policy selector's data for the default policy


class WhenEditor(QWidget):
    """'7 jours | après | l'échéance': an offset with its sign and reference spelled out."""

    changed = Signal()

    def __init__(self, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days = QSpinBox()
        self.days.setRange(0, MAX_OFFSET)
        self.days.setSuffix(tr(" j"))
        self.days.setValue(abs(step.offset_days))
        self.side = QComboBox()
        self.side.addItem(tr("avant"), -1)
        self.side.addItem(tr("après"), 1)
        self.side.setCurrentIndex(0 if step.offset_days < 0 else 1)
        self.reference = QComboBox()
        self.reference.addItem(tr("l'échéance"), "due")
        self.reference.addItem(tr("l'envoi de la facture"), "sent")
        self.reference.setCurrentIndex(max(0, self.reference.findData(step.reference)))
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(3)
        for w in (self.days, self.side, self.reference):
            row.addWidget(w)
        self.days.valueChanged.connect(self.changed)
        self.side.currentIndexChanged.connect(self.changed)
        self.reference.currentIndexChanged.connect(self.changed)

    def offset(self) -> int:
        """Days from the reference date, negative before it."""
        return int(self.days.value()) * int(self.side.currentData())

    def ref(self) -> str:
        """'due' or 'sent'."""
        return str(self.reference.currentData())


def ask_name(parent: QWidget) -> str:
    """Ask the name of a new policy; '' when cancelled (tests replace the page's `ask_name`)."""
    text, ok = QInputDialog.getText(
        parent, tr("Nouvelle politique"), tr("Nom (ex. « Grands comptes ») :")
    )
    return text.strip() if ok else ""


class PolicyPage(QWidget):
    """Edit the default policy or a named one; saving validates, a refusal saves nothing."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ask_name: Callable[[QWidget], str] = ask_name
        self.confirm: Callable[[QWidget, str, str], bool] = ask
        self._steps: list[Step] = []
        self._policy = DEFAULT_POLICY
        self._name: str | None = None  # None: the default policy
        self._filling = False
        self._dirty = False

        self.selector = QComboBox()
        self.new_button = QPushButton(tr("Nouvelle politique…"))
        self.delete_button = QPushButton(tr("Supprimer cette politique"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Politique :")))
        top.addWidget(self.selector, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.delete_button)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(32)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)
        for c in (COL_WHEN, COL_CHANNEL, COL_TEMPLATE, COL_B2B, COL_B2C):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

        self.add_button = QPushButton(tr("Ajouter une étape"))
        self.remove_button = QPushButton(tr("Supprimer l'étape"))
        self.up_button = QPushButton(tr("Monter"))
        self.down_button = QPushButton(tr("Descendre"))
        self.defaults_button = QPushButton(tr("Rétablir la politique par défaut"))
        rows = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            rows.addWidget(b)
        rows.addStretch(1)
        rows.addWidget(self.defaults_button)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.window_days = QSpinBox()
        self.window_days.setRange(0, 60)
        self.window_days.setSuffix(tr(" jours avant l'échéance"))
        self.notice_days = QSpinBox()
        self.notice_days.setRange(1, 60)
        self.notice_days.setSuffix(tr(" jours pour payer"))
        for spin in (self.window_days, self.notice_days):
            spin.setMaximumWidth(240)
        form = QFormLayout()
        form.addRow(tr("Fenêtre « échéance proche »"), self.window_days)
        form.addRow(tr("Délai de la mise en demeure"), self.notice_days)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.state = QLabel()
        self.save_button = QPushButton(tr("Enregistrer la politique"))
        bar = QHBoxLayout()
        bar.addWidget(self.state, 1)
        bar.addWidget(self.save_button)

        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.table, 1)
        outer.addLayout(rows)
        outer.addWidget(self.summary)
        outer.addLayout(form)
        outer.addWidget(self.errors)
        outer.addLayout(bar)

        self.selector.activated.connect(self._selected)
        self.new_button.clicked.connect(self.new_policy)
        self.delete_button.clicked.connect(self.delete_policy)
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.save_button.clicked.connect(self.save)
        self.table.itemChanged.connect(lambda _item: self._edited())
        self.table.currentCellChanged.connect(lambda *_a: self._show_summary())
        self.window_days.valueChanged.connect(self._edited)
        self.notice_days.valueChanged.connect(self._edited)
        self.ops.changed.connect(self.refresh)
        self.load(None)

    # -- loading -----------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        """Whether the page holds changes not saved (the dialog asks before closing)."""
        return self._dirty

    def load(self, name: str | None) -> None:
        """Show the default policy (None) or a named one, as stored."""
        ledger = self.ops.ledger
        self._name = name
        self.selector.blockSignals(True)
        self.selector.clear()
        self.selector.addItem(tr("Politique par défaut"), DEFAULT_KEY)
        for pname in ledger.policy_names():
            self.selector.addItem(pname, pname)
        self.selector.setCurrentIndex(max(0, self.selector.findData(name or DEFAULT_KEY)))
        self.selector.blockSignals(False)
        self.delete_button.setEnabled(name is not None)
        self._policy = ledger.policy(name)
        self.fill(self._policy)
        self._dirty = False
        self._edited(keep_clean=True)

    def refresh(self, what: str = "all") -> None:
        """Reload after a change elsewhere, unless edits would be lost."""
        if what in ("settings", "all") and not self._dirty:
            names = self.ops.ledger.policy_names()
            self.load(self._name if self._name in names else None)

    def fill(self, policy: Policy) -> None:
        """Put a policy's steps and delays in the editor."""
        self._filling = True
        self._steps = list(policy.steps)
        self.table.setRowCount(0)
        self.table.setRowCount(len(self._steps))
        labels = kind_labels()
        for r, step in enumerate(self._steps):
            self.table.setItem(r, COL_LABEL, QTableWidgetItem(step.label))
            when = WhenEditor(step)
            when.changed.connect(self._edited)
            self.table.setCellWidget(r, COL_WHEN, when)
            channel = QComboBox()
            for code, label in CHANNEL_LABELS.items():
                channel.addItem(tr(label), code)
            channel.setCurrentIndex(max(0, channel.findData(step.channel)))
            channel.currentIndexChanged.connect(self._edited)
            self.table.setCellWidget(r, COL_CHANNEL, channel)
            template = QComboBox()
            template.addItem(tr("(aucun : appel ou dossier)"), "")
            for kind, label in labels.items():
                template.addItem(label, kind)
            template.setCurrentIndex(max(0, template.findData(step.template)))
            template.currentIndexChanged.connect(self._edited)
            self.table.setCellWidget(r, COL_TEMPLATE, template)
            for col, on in ((COL_B2B, step.b2b), (COL_B2C, step.b2c)):
                box = QTableWidgetItem()
                box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                box.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.table.setItem(r, col, box)
        self.window_days.setValue(policy.preventive_window_days)
        self.notice_days.setValue(policy.notice_deadline_days)
        self._filling = False

    # -- reading -----------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        """The steps as edited, in table order."""
        out = []
        for r, base in enumerate(self._steps):
            when = self.table.cellWidget(r, COL_WHEN)
            channel = self.table.cellWidget(r, COL_CHANNEL)
            template = self.table.cellWidget(r, COL_TEMPLATE)
            assert isinstance(when, WhenEditor)
            assert isinstance(channel, QComboBox)
            assert isinstance(template, QComboBox)
            label_item = self.table.item(r, COL_LABEL)
            out.append(
                replace(
                    base,
                    label=label_item.text().strip() if label_item else base.label,
                    offset_days=when.offset(),
                    reference=when.ref(),
                    channel=str(channel.currentData()),
                    template=str(template.currentData()),
                    b2b=self._checked(r, COL_B2B),
                    b2c=self._checked(r, COL_B2C),
                )
            )
        return out

    def _checked(self, row: int, col: int) -> bool:
        item = self.table.item(row, col)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def policy(self) -> Policy:
        """The policy as edited."""
        return replace(
            self._policy,
            name=self._name or self._policy.name,
            steps=tuple(self.steps()),
            preventive_window_days=self.window_days.value(),
            notice_deadline_days=self.notice_days.value(),
        )

    def _edited(self, *_args: object, keep_clean: bool = False) -> None:
        """Check the policy at each change; say why it would be refused."""
        if self._filling:
            return
        if not keep_clean:
            self._dirty = True
        errors = validate_policy(self.policy())
        if errors:
            self.errors.setText("\n".join(f"• {e}" for e in errors))
            self.errors.setStyleSheet("color: #a40000;")
        else:
            self.errors.setText(tr("✔ Politique valide."))
            self.errors.setStyleSheet("color: #1e6b2e;")
        self.state.setText(tr("Modifications non enregistrées") if self._dirty else "")
        self.save_button.setEnabled(self._dirty)
        self._show_summary()

    def _show_summary(self) -> None:
        row = self.table.currentRow()
        steps = self.steps() if not self._filling else []
        if not 0 <= row < len(steps):
            self.summary.setText(tr("Sélectionnez une étape pour la lire en clair."))
            return
        s = steps[row]
        who = [w for w, on in ((tr("pros"), s.b2b), (tr("particuliers"), s.b2c)) if on]
        text = tr("« {label} » : {when}, {channel}, pour les {who}").format(
            label=s.label,
            when=s.when_text(),
            channel=tr(CHANNEL_LABELS.get(s.channel, s.channel)).lower(),
            who=tr(" et les ").join(who) or "—",
        )
        if s.flagged_only:
            text += tr(", seulement pour les nouveaux clients et les mauvais payeurs connus")
        self.summary.setText(text + ".")

    # -- editing the rows --------------------------------------------------------------------
    def _rebuild(self, steps: list[Step], current: int) -> None:
        self.fill(replace(self.policy(), steps=tuple(steps)))
        self.table.setCurrentCell(max(0, min(current, len(steps) - 1)), COL_LABEL)
        self._edited()

    def add_step(self) -> None:
        """Insert a call one day after the selected step."""
        steps = self.steps()
        at = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(steps)
        prev = steps[at - 1] if at > 0 else None
        codes = {s.code for s in steps}
        n = 1
        while f"etape_{n}" in codes:
            n += 1
        new = Step(
            f"etape_{n}",
            tr("Nouvelle étape"),
            (prev.offset_days + 1) if prev else 0,
            "call",
            reference=prev.reference if prev else "due",
        )
        steps.insert(at, new)
        self._rebuild(steps, at)

    def remove_step(self) -> None:
        """Drop the selected step."""
        row = self.table.currentRow()
        steps = self.steps()
        if 0 <= row < len(steps):
            del steps[row]
            self._rebuild(steps, row)

    def move_step(self, delta: int) -> None:
        """Move the selected step up (-1) or down (+1)."""
        row = self.table.currentRow()
        steps = self.steps()
        to = row + delta
        if 0 <= row < len(steps) and 0 <= to < len(steps):
            steps[row], steps[to] = steps[to], steps[row]
            self._rebuild(steps, to)

    def restore_defaults(self) -> None:
        """Put the steps of DESIGN.md back in the editor (saved with 'Enregistrer')."""
        self.fill(replace(DEFAULT_POLICY, name=self._name or DEFAULT_POLICY.name))
        self._edited()

    # -- writes ------------------------------------------------------------------------------
    def _selected(self, _index: int) -> None:
        name = str(self.selector.currentData()) or None
        question = tr(
            "Les modifications de cette politique ne sont pas enregistrées. Les abandonner ?"
        )
        if self._dirty and not self.confirm(self, tr("Politique de relance"), question):
            self.selector.setCurrentIndex(self.selector.findData(self._name or DEFAULT_KEY))
            return
        self.load(name)

    def save(self) -> bool:
        """Store the policy; a refused one (steps out of order...) changes nothing."""
        policy, name = self.policy(), self._name
        done = self.ops.run(
            self, saved(lambda: self.ops.ledger.set_policy(policy, name)), "settings"
        )
        if done:
            self.load(name)
        return bool(done)

    def new_policy(self) -> None:
        """Create a named policy from the one shown, for clients to follow instead."""
        name = self.ask_name(self)
        if not name:
            return
        policy = replace(self.policy(), name=name)
        if self.ops.run(self, saved(lambda: self.ops.ledger.set_policy(policy, name)), "settings"):
            self.load(name)

    def delete_policy(self) -> None:
        """Delete the named policy shown (refused while a client follows it)."""
        name = self._name
        if name is None:
            return
        question = tr("Supprimer la politique « {name} » ?").format(name=name)
        if not self.confirm(self, tr("Politique de relance"), question):
            return
        if self.ops.run(self, saved(lambda: self.ops.ledger.delete_policy(name)), "settings"):
            self.load(None)
