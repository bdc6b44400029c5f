"""What the bank statement dialog's lists share: columns, a credit's row and its proposals'
rows, coloured by confidence (the word is always written too: never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from models.bank.matching import CONFIDENCE_LABELS, Match, Proposal
from models.money import format_eur
from ui.ops import tr

COL_DATE, COL_AMOUNT, COL_PAYER, COL_TEXT, COL_WHAT = range(5)
HEADERS = ("Date", "Montant", "Payeur / client", "Libellé / raison", "Proposition")
COLOURS = {"certain": "#d9f2d9", "likely": "#fff1c2", "possible": "#fde1c8"}
ROLE = Qt.ItemDataRole.UserRole


def credit_tree() -> QTreeWidget:
    """A list of credits, each with its proposals below it."""
    tree = QTreeWidget()
    tree.setHeaderLabels([tr(h) for h in HEADERS])
    tree.setAlternatingRowColors(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setUniformRowHeights(True)
    tree.setWordWrap(False)
    for col, width in ((COL_DATE, 120), (COL_AMOUNT, 100), (COL_PAYER, 190), (COL_TEXT, 360)):
        tree.setColumnWidth(col, width)
    return tree


def credit_item(date_text: str, cents: int, payer: str, text: str, what: str) -> QTreeWidgetItem:
    item = QTreeWidgetItem([date_text, format_eur(cents, cents=True), payer, text, what])
    item.setTextAlignment(COL_AMOUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setToolTip(COL_TEXT, text)
    return item


def proposal_item(p: Proposal) -> QTreeWidgetItem:
    parts = ", ".join(f"{a.number} {format_eur(a.cents, cents=True)}" for a in p.allocations)
    if p.excess_cents:
        parts += tr(" + trop-perçu {x}").format(x=format_eur(p.excess_cents, cents=True))
    label = tr(CONFIDENCE_LABELS.get(p.confidence, p.confidence)).capitalize()
    item = QTreeWidgetItem(["", "", p.client, p.reason, f"{label} : {parts}"])
    item.setToolTip(COL_TEXT, p.reason)
    item.setToolTip(COL_WHAT, f"{label} : {parts}")
    paint(item, p.confidence)
    return item


def paint(item: QTreeWidgetItem, confidence: str) -> None:
    colour = COLOURS.get(confidence)
    if colour:
        for col in range(len(HEADERS)):
            item.setBackground(col, QColor(colour))


def best_label(match: Match) -> str:
    if not match.proposals:
        return tr("Aucune proposition")
    best = match.proposals[0].confidence
    return tr(CONFIDENCE_LABELS.get(best, best)).capitalize()
