"""Fichier > Importer un relevé bancaire…: each credit with the invoices it may pay and why; the
sure ones recorded in one click; the others in "À rapprocher", where the user picks the
invoices or says the money is not ours (models/bank, models/store/ledger_bank.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.bank.entries import BankStatement
from models.bank.read import read_statement
from models.bank.report import BankImport
from models.errors import InputError
from models.store.ledger_bank import STATUS_WORDS
from ui.dialogs.bank_items import best_label, credit_item, credit_tree, paint, proposal_item
from ui.dialogs.bank_pending import PendingTab
from ui.ops import Ops, tr
from ui.widgets import RoomyTabs


def choose_statement(parent: QWidget | None) -> Path | None:
    """Ask for the bank statement to read."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        tr("Importer un relevé bancaire"),
        str(Path.home()),
        tr("Relevés bancaires (*.xml *.ofx *.qfx *.csv *.xlsx);;Tous les fichiers (*)"),
    )
    return Path(name) if name else None


# Replaced in tests (a modal file or text dialog would block them).
choose_statement_hook: Callable[[QWidget | None], Path | None] = choose_statement


def import_statement(
    parent: QWidget | None, ops: Ops, path: Path | None = None
) -> BankDialog | None:
    """Read the statement the user chooses and open the dialog on it; a bad file is refused."""
    path = path or choose_statement_hook(parent)
    if path is None:
        return None
    try:
        statement = read_statement(path)
    except InputError as exc:
        ops.refused.emit(str(exc))
        ops.show_refusal(parent, exc)
        return None
    return BankDialog(ops, statement, parent)


class BankDialog(QDialog):
    """Two tabs: the statement read (its credits, "Enregistrer les paiements sûrs") and the
    credits waiting ("À rapprocher": accept a proposal, pick invoices, or not ours)."""

    def __init__(
        self, ops: Ops, statement: BankStatement | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.statement = statement
        self.result: BankImport | None = None
        self.setWindowTitle(tr("Relevé bancaire"))
        self.resize(1180, 640)
        self.tabs = QTabWidget()
        self.tab_style = RoomyTabs()  # kept: a widget does not own its style
        self.tabs.tabBar().setStyle(self.tab_style)
        self.statement_tab = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = credit_tree()
        self.apply_btn = QPushButton(tr("Enregistrer les paiements sûrs"))
        self.apply_btn.clicked.connect(self.apply)
        lay = QVBoxLayout(self.statement_tab)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.apply_btn)
        lay.addLayout(row)
        self.pending = PendingTab(ops)
        self.pending_tab = self.pending
        self.pending.counted.connect(self._count)
        if statement is not None:
            self.tabs.addTab(
                self.statement_tab, tr("Relevé « {name} »").format(name=statement.name)
            )
        self.tabs.addTab(self.pending_tab, tr("À rapprocher"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Fermer"))
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(buttons)
        if statement is not None:
            self.show_result(ops.ledger.bank_preview(statement))
        self.pending.load()

    # -- the statement ---------------------------------------------------------------------
    def show_result(self, result: BankImport) -> None:
        """Fill the statement tab from a preview or an import's result."""
        self.result = result
        self.tree.clear()
        for line in result.lines:
            e = line.entry
            if line.known:
                what = tr("Déjà importé ({status})").format(
                    status=tr(STATUS_WORDS.get(line.status, line.status))
                )
            elif line.payment_ids:
                what = tr("Enregistré")
            else:
                what = best_label(line.match)
            item = credit_item(f"{e.booking_date:%d/%m/%Y}", e.amount_cents, e.debtor, e.text, what)
            if line.payment_ids:
                paint(item, "certain")
            self.tree.addTopLevelItem(item)
            if not line.known:
                for p in line.match.proposals:
                    item.addChild(proposal_item(p))
                for note in line.match.notes:
                    item.addChild(QTreeWidgetItem(["", "", "", note, ""]))
            item.setExpanded(True)
        sure = sum(1 for x in result.lines if not x.known and x.match.certain is not None)
        head = tr(
            "{name} ({kind}) : {credits} virement(s) reçu(s), {debits} débit(s) ignoré(s), "
            "{known} déjà importé(s)."
        ).format(
            name=result.name,
            kind=result.kind,
            credits=len(result.lines),
            debits=result.debits,
            known=result.known,
        )
        if result.written:
            tail = tr(" {recorded} paiement(s) enregistré(s), {waiting} à rapprocher.").format(
                recorded=result.recorded, waiting=result.to_reconcile
            )
        else:
            tail = tr(
                " {sure} paiement(s) sûr(s) à enregistrer ; les autres iront dans « À rapprocher »."
            ).format(sure=sure)
        self.summary.setText(head + tail)
        self.apply_btn.setEnabled(not result.written and result.new > 0)

    def apply(self) -> None:
        """Store the new credits; record the sure ones as payments (one transaction)."""
        statement = self.statement
        if statement is None:
            return
        today = self.ops.today()
        result = self.ops.run(
            self, lambda: self.ops.ledger.bank_import(statement, today, apply=True), "all"
        )
        if result is None:
            return
        self.show_result(result)
        self.pending.load()

    def _count(self, count: int) -> None:
        self.tabs.setTabText(
            self.tabs.indexOf(self.pending_tab), tr("À rapprocher ({n})").format(n=count)
        )
