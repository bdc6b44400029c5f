"""Pièces in the interface (issue 16): the list, attach by button or drop, open, remove."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from models.litigation.pieces import PIECE_KINDS, pieces_for
from tests.models.litigation.conftest import AS_OF, make_claim
from ui.dialogs.pieces import AttachDialog, PiecesDialog
from ui.ops import Ops
from ui.window.client_page import ClientPage

SHOTS = Path("/work/helper-briefs/shots-dossier")


@pytest.fixture
def claim_ops(tmp_path, refusals):
    """Ops on a claim file (models tests' make_claim) as of 2026-03-01."""
    led, c = make_claim(tmp_path)
    ops = Ops(led, today=lambda: AS_OF)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    yield ops, c, tmp_path
    led.close()


def _shot(widget, name):
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / name))


def test_pieces_dialog_lists_archived_letters_and_attaches_a_file(qtbot, claim_ops):
    """The list holds the archived notice; 'Joindre…' asks kind, date, note and stores it."""
    ops, c, folder = claim_ops
    dialog = PiecesDialog(ops, c)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1  # the formal notice archived by Relance
    assert dialog.table.item(0, 1).text() == "courrier"
    order = folder / "commande.pdf"
    order.write_bytes(b"%PDF-1.4 commande")
    dialog.choose_files = lambda: [order]
    dialog.attach_btn.click()
    attach = dialog.dialog
    assert isinstance(attach, AttachDialog)
    attach.kind.setCurrentIndex(PIECE_KINDS.index("bon de commande"))
    attach.note.setText("signé")
    _shot(attach, "attach-dialog.png")
    attach.save()
    assert dialog.table.rowCount() == 2
    kinds = sorted(dialog.table.item(r, 1).text() for r in range(2))
    assert kinds == ["bon de commande", "courrier"]
    _shot(dialog, "pieces-dialog.png")
    opened = []
    dialog.opener = opened.append
    dialog.table.selectRow(
        [dialog.table.item(r, 1).text() for r in range(2)].index("bon de commande")
    )
    dialog.open_selected()
    assert [p.suffix for p in opened] == [".pdf"]
    dialog.remove_selected()
    assert dialog.table.rowCount() == 1


# PySide marks QDragEnterEvent's only constructor deprecated (Qt 6.12): the test still needs one.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_file_dropped_on_the_client_page_is_attached(qtbot, claim_ops):
    """Drag and drop onto the client page opens the attach dialog for that client."""
    ops, c, folder = claim_ops
    page = ClientPage(ops)
    qtbot.addWidget(page)
    page.show_client(c)
    mail = folder / "accord.eml"
    mail.write_text("Subject: accord\n\nOK pour payer", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mail))])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.show()
    enter = QDragEnterEvent(QPoint(10, 10), *args)
    assert QApplication.sendEvent(page, enter)  # delivered through Qt, accepted
    assert enter.isAccepted()
    # Qt delivers a Drop only inside a real drag session: hand it to the filter directly.
    assert page.drop.eventFilter(page, QDropEvent(QPointF(10, 10), *args))
    attach = page.drop.dialog
    assert isinstance(attach, AttachDialog)
    assert attach.paths == [mail]
    attach.kind.setCurrentIndex(PIECE_KINDS.index("e-mail"))
    attach.save()
    kinds = [p.kind for p in pieces_for(ops.ledger, c)]
    assert "e-mail" in kinds
    page.open_pieces()
    assert page.dialog.table.rowCount() == 2
    page.dialog.close()
    _shot(page, "client-page.png")


def test_invoice_dialog_pieces_button_shows_that_invoices_pieces(qtbot, claim_ops):
    """The invoice dialog's Pièces… lists the pieces of that invoice and of its client."""
    from models.litigation.pieces import attach
    from ui.dialogs.invoice import InvoiceDialog

    ops, _, folder = claim_ops
    f1, f2 = ops.ledger.find_invoice("F-1"), ops.ledger.find_invoice("F-2")
    (folder / "bl1.pdf").write_bytes(b"%PDF bl 1")
    (folder / "bl2.pdf").write_bytes(b"%PDF bl 2")
    attach(ops.ledger, folder / "bl1.pdf", "bon de livraison", AS_OF, invoice_id=f1.id)
    attach(ops.ledger, folder / "bl2.pdf", "bon de livraison", AS_OF, invoice_id=f2.id)
    dialog = InvoiceDialog(ops, f2.id)
    qtbot.addWidget(dialog)
    dialog.pieces_btn.click()
    titles = [dialog.pieces_dialog.table.item(r, 0).text() for r in range(2)]
    assert dialog.pieces_dialog.table.rowCount() == 2
    assert "bl2.pdf" in titles
    assert "bl1.pdf" not in titles  # F-1's delivery note is not this invoice's
    assert dialog.pieces_dialog.windowTitle() == "Pièces — Durand Bâtiment SAS — facture F-2"
    dialog.pieces_dialog.close()
    _shot(dialog, "invoice-dialog.png")
