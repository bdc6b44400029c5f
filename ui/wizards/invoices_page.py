"""The first page of every letter wizard: the date, the step and the invoices to include."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from models.ids import ClientId
from models.law.prescription import prescription
from models.law.stages import CLOSED, InvoiceFacts, stage_of
from models.letters.data import invoices_for_letter, propose_step
from models.letters.kinds import LETTER_KINDS
from models.letters.statement import Statement
from models.money import format_eur
from models.store.ledger import Ledger
from models.store.tables import Client
from models.todo import stage_label
from ui.ops import Ops, tr
from ui.translations import plural
from ui.widgets import date_edit, from_qdate
from ui.wizards.output import kind_name

SWITCH_KINDS = ("formal_notice", "payment_plan")  # they have their own wizard


class WizardHost(Protocol):
    """What the page needs of its wizard (so the page and the wizard do not import each other)."""

    ops: Ops
    ledger: Ledger
    client: Client
    client_id: ClientId
    default_kind: str

    def request_switch(self, kind: str) -> None:
        """Hand the letter to the wizard of another kind (notice, plan)."""

    def check_page(self, page: QWizardPage) -> bool:
        """Whether the letter can be made from this page's choices (says why when not)."""


class InvoicesPage(QWizardPage):
    """The client's open invoices, ticked from the to-do or the proposal; the step and date."""

    def __init__(self, wizard: WizardHost, invoice_ids: Sequence[int], step: str | None) -> None:
        super().__init__()
        self.wiz = wizard
        # Without invoices given, the ticks follow the step until the user ticks by hand.
        self._auto, self._setting = not invoice_ids, False
        self.today = today = wizard.ops.today()
        led = wizard.ledger
        policy = led.policy(wizard.client.policy_name)
        self.facts: list[InvoiceFacts] = [
            f
            for f in led.facts(client_id=wizard.client_id)
            if f.balance_cents(today) > 0 and stage_of(f, today) not in CLOSED
        ]
        self.setTitle(tr("Factures de {client}").format(client=wizard.client.name))
        self.setSubTitle(tr("Cochez les factures que la lettre réclame."))
        self.step: QComboBox | None = None
        if step is not None:
            self.step = QComboBox()
            for kind in LETTER_KINDS:
                self.step.addItem(kind_name(kind), kind)
            chosen = [f for f in self.facts if f.id in set(invoice_ids)] or self.facts
            wanted = step or propose_step(chosen, today, policy)
            self.step.setCurrentIndex(max(0, self.step.findData(wanted)))
        kind = self.step.currentData() if self.step is not None else wizard.default_kind
        ticked = set(invoice_ids) or {f.id for f in invoices_for_letter(self.facts, kind, today)}
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [tr("N° facture"), tr("Échéance"), tr("Solde dû"), tr("Retard (j)"), tr("Étape")]
        )
        for f in self.facts:
            item = QTreeWidgetItem(
                [
                    f.number,
                    f"{f.due_date:%d/%m/%Y}",
                    format_eur(f.balance_cents(today), cents=True),
                    str(f.days_late(today)),
                    stage_label(stage_of(f, today, policy.preventive_window_days))
                    + (tr(" · prescrite") if prescription(f, today).time_barred else ""),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, f.id)
            item.setCheckState(
                0, Qt.CheckState.Checked if f.id in ticked else Qt.CheckState.Unchecked
            )
            for col in (2, 3):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.date = date_edit(today)
        self.summary = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        if self.step is not None:
            form.addRow(tr("Étape :"), self.step)
            self.step.currentIndexChanged.connect(self._step_changed)
        form.addRow(tr("Date de la lettre :"), self.date)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        self.tree.itemChanged.connect(self._user_ticked)
        self._ticked()
        self._show_hint()

    def kind(self) -> str:
        """The step chosen in the list (the wizard's fixed kind when there is no list)."""
        return str(self.step.currentData()) if self.step is not None else self.wiz.default_kind

    def set_kind(self, kind: str) -> None:
        """Choose the step by code."""
        if self.step is not None:
            self.step.setCurrentIndex(self.step.findData(kind))

    def checked_ids(self) -> list[int]:
        """Ids of the invoices ticked, in list order (by due date)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.checkState(0) == Qt.CheckState.Checked:
                out.append(int(item.data(0, Qt.ItemDataRole.UserRole)))
        return out

    def set_checked(self, ids: Sequence[int]) -> None:
        """Tick exactly these invoices (as the user would: the step no longer re-ticks)."""
        self._tick(ids)
        self._auto = False

    def _tick(self, ids: Sequence[int]) -> None:
        self._setting = True
        try:
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                ok = int(item.data(0, Qt.ItemDataRole.UserRole)) in set(ids)
                item.setCheckState(0, Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked)
        finally:
            self._setting = False
        self._ticked()

    def _step_changed(self) -> None:
        if self._auto:
            self._tick([f.id for f in invoices_for_letter(self.facts, self.kind(), self.today)])
        self._show_hint()

    def _show_hint(self) -> None:
        hints = {
            "formal_notice": "Suivant ouvre l'assistant de mise en demeure (montants recalculés, "
            "délai, n° de recommandé).",
            "payment_plan": "Suivant ouvre l'assistant d'échéancier (nombre et dates des "
            "échéances).",
        }
        text = hints.get(self.kind(), "") if self.step is not None else ""
        self.hint.setText(tr(text) if text else "")
        self.hint.setVisible(bool(text))

    def statement(self, waive_penalties: bool = False) -> Statement:
        """The statement of account of the invoices ticked, as the letter will print it."""
        ids = self.checked_ids()
        if not ids:
            return Statement()
        return self.wiz.ledger.statement(
            self.wiz.client_id,
            self.kind(),
            from_qdate(self.date.date()),
            ids,
            waive_penalties=waive_penalties,
        )

    def _user_ticked(self) -> None:
        if not self._setting:
            self._auto = False
        self._ticked()

    def _ticked(self) -> None:
        n = len(self.checked_ids())
        self.summary.setText(
            plural(
                n, tr("{n} facture cochée — solde {b}"), tr("{n} factures cochées — solde {b}")
            ).format(n=n, b=format_eur(self.statement().principal))
        )
        self._offer_penalty_statement()
        self.completeChanged.emit()

    def _offer_penalty_statement(self) -> None:
        """A penalty statement with nothing to claim is not offered (greyed, with the reason)."""
        if self.step is None:
            return
        row = self.step.findData("penalty_statement")
        item = self.step.model().item(row)  # type: ignore[attr-defined]
        ids = self.checked_ids()
        claim = (
            bool(ids)
            and self.wiz.ledger.statement(
                self.wiz.client_id, "penalty_statement", from_qdate(self.date.date()), ids
            ).total
            > 0
        )
        item.setEnabled(claim)
        item.setToolTip(
            "" if claim else tr("Rien à réclamer : aucune pénalité ni indemnité due à cette date.")
        )
        if not claim and self.kind() == "penalty_statement":
            self.set_kind(self.wiz.default_kind)

    def isComplete(self) -> bool:
        """At least one invoice ticked."""
        return bool(self.checked_ids())

    def validatePage(self) -> bool:
        """Hand a notice or a plan to its own wizard; otherwise check the letter can be made."""
        if self.step is not None and self.kind() in SWITCH_KINDS:
            self.wiz.request_switch(self.kind())
            return False
        return self.wiz.check_page(self)
