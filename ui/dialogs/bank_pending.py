"""The "À rapprocher" tab: each credit waiting with its proposals; the user accepts one, ticks
the invoices it pays, or says it is not ours (models/store/ledger_bank.py records it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.bank.matching import CONFIDENCE_LABELS, Book, Match, OpenInvoice, Proposal
from models.importing.headers import fold
from models.money import format_eur
from models.store.tables import BankEntry
from ui.dialogs.bank_items import (
    COL_DATE,
    ROLE,
    best_label,
    credit_item,
    credit_tree,
    proposal_item,
)
from ui.ops import Ops, tr
from ui.widgets import ask_text

SHOWN_INVOICES = 200  # invoices listed at once in the picker (a search narrows them)
# Replaced in tests (a modal question would block them).
ask_text_hook: Callable[[QWidget | None, str, str], str | None] = ask_text


class PendingTab(QWidget):
    """The credits waiting; `counted` says how many after each reading (the tab's title)."""

    counted = Signal(int)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.pending: list[tuple[BankEntry, Match]] = []
        self.book: Book = Book([], {})
        self.tree = credit_tree()
        self.tree.currentItemChanged.connect(lambda *_: self.fill_invoices())
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
        self.label = QLabel()
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
        ll.addWidget(self.tree, 1)
        ll.addWidget(self.detail)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(split, 1)
        row = QHBoxLayout()
        row.addWidget(self.accept_btn)
        row.addWidget(self.not_ours_btn)
        row.addStretch(1)
        lay.addLayout(row)

    def load(self) -> None:
        """Read the credits waiting, with their proposals as of now, and the open invoices."""
        waiting = self.ops.ledger.bank_pending()
        self.pending = waiting.items
        self.book = waiting.book
        self.tree.clear()
        for index, (row, match) in enumerate(self.pending):
            item = credit_item(
                f"{row.booking_date:%d/%m/%Y}",
                row.amount_cents,
                row.debtor,
                row.text,
                best_label(match),
            )
            item.setData(COL_DATE, ROLE, (index, -1))
            self.tree.addTopLevelItem(item)
            for k, p in enumerate(match.proposals):
                child = proposal_item(p)
                child.setData(COL_DATE, ROLE, (index, k))
                item.addChild(child)
            item.setExpanded(True)
        count = len(self.pending)
        self.label.setText(
            tr(
                "{n} virement(s) à rapprocher : acceptez une proposition, cochez les factures, "
                "ou indiquez qu'il n'est pas pour nous."
            ).format(n=count)
            if count
            else tr("Aucun virement à rapprocher.")
        )
        self.counted.emit(count)
        if count:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.fill_invoices()

    def current(self) -> tuple[BankEntry, Match, Proposal | None] | None:
        """The credit selected, its match, and the proposal selected (else its best one)."""
        item = self.tree.currentItem()
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
            self.load()

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
        self.load()
