"""Fichier > Importer un relevé bancaire…: each credit with the invoices it may pay and why; the
sure ones recorded in one click; the others in "À rapprocher", where the user picks the
invoices or says the money is not ours (models/bank, models/store/ledger_bank.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.bank.entries import BankStatement
from models.bank.matching import CONFIDENCE_LABELS, Book, Match, OpenInvoice, Proposal
from models.bank.read import read_statement
from models.errors import InputError
from models.importing.headers import fold
from models.money import format_eur
from models.store.ledger_bank import STATUS_WORDS, BankImport
from models.store.tables import BankEntry
from ui.ops import Ops, tr
from ui.widgets import RoomyTabs, ask_text

COL_DATE, COL_AMOUNT, COL_PAYER, COL_TEXT, COL_WHAT = range(5)
HEADERS = ("Date", "Montant", "Payeur / client", "Libellé / raison", "Proposition")
# Light backgrounds by confidence; the word is always written too (never colour alone).
COLOURS = {"certain": "#d9f2d9", "likely": "#fff1c2", "possible": "#fde1c8"}
ROLE = Qt.ItemDataRole.UserRole
SHOWN_INVOICES = 200  # invoices listed at once in the picker (a search narrows them)


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
ask_text_hook: Callable[[QWidget | None, str, str], str | None] = ask_text


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


def _tree() -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels([tr(h) for h in HEADERS])
    tree.setAlternatingRowColors(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setUniformRowHeights(True)
    tree.setWordWrap(False)
    for col, width in ((COL_DATE, 120), (COL_AMOUNT, 100), (COL_PAYER, 190), (COL_TEXT, 360)):
        tree.setColumnWidth(col, width)
    return tree


def _credit_item(date_text: str, cents: int, payer: str, text: str, what: str) -> QTreeWidgetItem:
    item = QTreeWidgetItem([date_text, format_eur(cents, cents=True), payer, text, what])
    item.setTextAlignment(COL_AMOUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setToolTip(COL_TEXT, text)
    return item


def _proposal_item(p: Proposal) -> QTreeWidgetItem:
    parts = ", ".join(f"{a.number} {format_eur(a.cents, cents=True)}" for a in p.allocations)
    if p.excess_cents:
        parts += tr(" + trop-perçu {x}").format(x=format_eur(p.excess_cents, cents=True))
    label = tr(CONFIDENCE_LABELS.get(p.confidence, p.confidence)).capitalize()
    item = QTreeWidgetItem(["", "", p.client, p.reason, f"{label} : {parts}"])
    item.setToolTip(COL_TEXT, p.reason)
    item.setToolTip(COL_WHAT, f"{label} : {parts}")
    _paint(item, p.confidence)
    return item


def _paint(item: QTreeWidgetItem, confidence: str) -> None:
    colour = COLOURS.get(confidence)
    if colour:
        for col in range(len(HEADERS)):
            item.setBackground(col, QColor(colour))


def _what(match: Match) -> str:
    if not match.proposals:
        return tr("Aucune proposition")
    best = match.proposals[0].confidence
    return tr(CONFIDENCE_LABELS.get(best, best)).capitalize()


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
        self.tree = _tree()
        self.apply_btn = QPushButton(tr("Enregistrer les paiements sûrs"))
        self.apply_btn.clicked.connect(self.apply)
        lay = QVBoxLayout(self.statement_tab)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.apply_btn)
        lay.addLayout(row)
        self.pending_tab = self._build_pending()
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
        self.load_pending()

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
                what = _what(line.match)
            item = _credit_item(
                f"{e.booking_date:%d/%m/%Y}", e.amount_cents, e.debtor, e.text, what
            )
            if line.payment_ids:
                _paint(item, "certain")
            self.tree.addTopLevelItem(item)
            if not line.known:
                for p in line.match.proposals:
                    item.addChild(_proposal_item(p))
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
        self.load_pending()

    # -- à rapprocher ----------------------------------------------------------------------
    def _build_pending(self) -> QWidget:
        tab = QWidget()
        self.pending_tree = _tree()
        self.pending_tree.currentItemChanged.connect(lambda *_: self.fill_invoices())
        self.detail = QLabel()  # the whole reason of the line selected (the column cuts it)
        self.detail.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Chercher une facture : numéro ou client"))
        self.search.textChanged.connect(lambda _t: self.fill_invoices())
        self.invoice_list = QListWidget()
        self.accept_btn = QPushButton(tr("Accepter la proposition"))
        self.accept_btn.clicked.connect(self.accept_proposal)
        self.record_btn = QPushButton(tr("Enregistrer sur les factures cochées"))
        self.record_btn.clicked.connect(self.record_checked)
        self.not_ours_btn = QPushButton(tr("Pas pour nous…"))
        self.not_ours_btn.clicked.connect(self.not_ours)
        self.pending_label = QLabel()
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(tr("Factures réglées par ce virement (les plus anciennes d'abord) :")))
        rl.addWidget(self.search)
        rl.addWidget(self.invoice_list, 1)
        rl.addWidget(self.record_btn)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.pending_tree, 1)
        ll.addWidget(self.detail)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(tab)
        lay.addWidget(self.pending_label)
        lay.addWidget(split, 1)
        row = QHBoxLayout()
        row.addWidget(self.accept_btn)
        row.addWidget(self.not_ours_btn)
        row.addStretch(1)
        lay.addLayout(row)
        return tab

    def load_pending(self) -> None:
        """Read the credits waiting, with their proposals as of now, and the open invoices."""
        waiting = self.ops.ledger.bank_pending()
        self.pending: list[tuple[BankEntry, Match]] = waiting.items
        self.book: Book = waiting.book
        self.pending_tree.clear()
        for index, (row, match) in enumerate(self.pending):
            item = _credit_item(
                f"{row.booking_date:%d/%m/%Y}", row.amount_cents, row.debtor, row.text, _what(match)
            )
            item.setData(COL_DATE, ROLE, (index, -1))
            self.pending_tree.addTopLevelItem(item)
            for k, p in enumerate(match.proposals):
                child = _proposal_item(p)
                child.setData(COL_DATE, ROLE, (index, k))
                item.addChild(child)
            item.setExpanded(True)
        count = len(self.pending)
        self.pending_label.setText(
            tr(
                "{n} virement(s) à rapprocher : acceptez une proposition, cochez les factures, "
                "ou indiquez qu'il n'est pas pour nous."
            ).format(n=count)
            if count
            else tr("Aucun virement à rapprocher.")
        )
        self.tabs.setTabText(
            self.tabs.indexOf(self.pending_tab), tr("À rapprocher ({n})").format(n=count)
        )
        if count:
            self.pending_tree.setCurrentItem(self.pending_tree.topLevelItem(0))
        self.fill_invoices()

    def current(self) -> tuple[BankEntry, Match, Proposal | None] | None:
        """The credit selected, its match, and the proposal selected (else its best one)."""
        item = self.pending_tree.currentItem()
        if item is None:
            return None
        index, k = item.data(COL_DATE, ROLE)
        row, match = self.pending[index]
        proposal = match.proposals[k] if k >= 0 else (match.proposals[:1] or [None])[0]
        return row, match, proposal

    def fill_invoices(self) -> None:
        """The open invoices to pick from: the proposal's clients', or those searched for."""
        self.invoice_list.clear()
        chosen = self.current()
        if chosen is None:
            self.detail.clear()
            for btn in (self.accept_btn, self.record_btn, self.not_ours_btn):
                btn.setEnabled(False)
            return
        row, match, proposal = chosen
        self.detail.setText(self._detail(row, match, proposal))
        ticked = set(proposal.invoice_ids) if proposal else set()
        words = fold(self.search.text()).split()
        if words:
            shown = [i for i in self.book.by_id.values() if self._found(i, words)]
        else:
            clients = dict.fromkeys(p.client_id for p in match.proposals)
            shown = [i for c in clients for i in self.book.by_client.get(c, [])]
        shown.sort(key=lambda i: (i.due_date, i.number))
        for inv in shown[:SHOWN_INVOICES]:
            text = tr("{number} — {client} — solde {balance}, échéance {due}").format(
                number=inv.number,
                client=self.book.clients.get(inv.client_id, ""),
                balance=format_eur(inv.balance_cents, cents=True),
                due=f"{inv.due_date:%d/%m/%Y}",
            )
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if inv.id in ticked else Qt.CheckState.Unchecked
            )
            item.setData(ROLE, inv.id)
            self.invoice_list.addItem(item)
        self.accept_btn.setEnabled(proposal is not None)
        self.record_btn.setEnabled(True)
        self.not_ours_btn.setEnabled(True)

    @staticmethod
    def _detail(row: BankEntry, match: Match, proposal: Proposal | None) -> str:
        """The credit in full, and why the proposal shown (or that there is none)."""
        head = tr("Virement de {amount} du {day} — {payer} — « {text} »").format(
            amount=format_eur(row.amount_cents, cents=True),
            day=f"{row.booking_date:%d/%m/%Y}",
            payer=row.debtor or tr("payeur non indiqué"),
            text=row.text,
        )
        if proposal is None:
            why = "; ".join(match.notes) or tr("aucune facture proposée")
            return f"{head}\n{why[:1].upper()}{why[1:]}"
        label = tr(CONFIDENCE_LABELS.get(proposal.confidence, proposal.confidence)).capitalize()
        return f"{head}\n{label} : {proposal.reason}"

    def _found(self, inv: OpenInvoice, words: Sequence[str]) -> bool:
        haystack = fold(f"{inv.number} {self.book.clients.get(inv.client_id, '')}")
        return all(w in haystack for w in words)

    def checked_ids(self) -> list[int]:
        """The invoices ticked in the picker."""
        out = []
        for i in range(self.invoice_list.count()):
            item = self.invoice_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(ROLE)))
        return out

    def _reconcile(self, invoice_ids: list[int]) -> None:
        chosen = self.current()
        if chosen is None:
            return
        row = chosen[0]
        today = self.ops.today()
        entry_id = row.id or 0
        done = self.ops.run(
            self,
            lambda: self.ops.ledger.reconcile_bank_entry(entry_id, invoice_ids, today),
            "all",
        )
        if done is not None:
            self.load_pending()

    def accept_proposal(self) -> None:
        """Record the selected (else the best) proposal of the credit selected."""
        chosen = self.current()
        if chosen is not None and chosen[2] is not None:
            self._reconcile(chosen[2].invoice_ids)

    def record_checked(self) -> None:
        """Record the credit selected on the invoices ticked, oldest due first."""
        self._reconcile(self.checked_ids())

    def not_ours(self) -> None:
        """Mark the credit selected as not ours, with the reason the user gives."""
        chosen = self.current()
        if chosen is None:
            return
        reason = ask_text_hook(
            self,
            tr("Virement pas pour nous"),
            tr(
                "Pourquoi ce virement ne règle-t-il aucune facture ? (remboursement, virement "
                "entre comptes…)"
            ),
        )
        if reason is None:
            return
        entry_id, today = chosen[0].id or 0, self.ops.today()
        # A refusal is shown by Ops; either way the list is read again as it now stands.
        self.ops.run(
            self, lambda: self.ops.ledger.dismiss_bank_entry(entry_id, today, reason), "all"
        )
        self.load_pending()
