"""Relances > Procédure… (issue 16): the advice, the answers, the dossier and the hand-over."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.models.litigation.conftest import AS_OF, make_claim
from ui.ops import Ops
from ui.wizards.route import RouteDialog

SHOTS = Path("/work/helper-briefs/shots-dossier")


@pytest.fixture
def route(qtbot, tmp_path, refusals):
    """The assistant on make_claim's client as of 2026-03-01."""
    led, c = make_claim(tmp_path)
    ops = Ops(led, today=lambda: AS_OF)
    ops.show_refusal = lambda _parent, exc: refusals.append(exc)
    dialog = RouteDialog(ops, c)
    qtbot.addWidget(dialog)
    yield dialog, tmp_path
    led.close()


def test_assistant_shows_routes_court_and_what_is_missing(route):
    """B2B undisputed: injunction at the tribunal de commerce; missing order and receipt."""
    dialog, _ = route
    dialog.disputed.setCurrentIndex(2)  # Non
    text = dialog.view.toPlainText()
    assert "Injonction de payer" in text
    assert "Cerfa n° 12946" in text
    assert "pas de devis signé ni de bon de commande parmi les pièces" in text
    assert "pas d'accusé de réception de la mise en demeure" in text
    assert "Prescription le 19/11/2030" in text
    assert dialog.request_btn.isEnabled()
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "route-assistant.png"))


def test_the_decompte_date_can_be_chosen(route):
    """Issue 16 §3: the claim as of a chosen date (an earlier day: fewer penalties)."""
    from PySide6.QtCore import QDate

    dialog, _ = route
    total_now = dialog.claim.statement.total
    dialog.as_of.setDate(QDate(2026, 2, 1))
    assert dialog.claim.as_of.isoformat() == "2026-02-01"
    assert dialog.claim.statement.total < total_now
    assert "au 01/02/2026" in dialog.view.toPlainText()


def test_disputed_answer_removes_the_injunction(route):
    """Answering 'contestée : oui' leaves the assignation au fond, and no request button."""
    dialog, _ = route
    dialog.disputed.setCurrentIndex(1)  # Oui
    assert [r.code for r in dialog.advice.applicable] == ["fond"]
    assert not dialog.request_btn.isEnabled()


def test_dossier_request_and_handover_from_the_assistant(route):
    """The three buttons: the dossier PDF, the request PDF, the ZIP with the history entry."""
    dialog, folder = route
    dossier = dialog.make_dossier(folder / "d.pdf")
    assert len(PdfReader(dossier).pages) == 5  # 4 sections + the notice letter (1 page)
    request = dialog.make_request(folder / "r.pdf")
    assert request.read_bytes().startswith(b"%PDF")
    assert dialog.small_btn.isEnabled()  # 2,780.66 EUR: the simplified procedure is open
    letter = dialog.make_small_claims(folder / "pc.pdf")
    assert "petites créances" in PdfReader(letter).pages[0].extract_text()
    told = []
    dialog.inform = lambda _p, title, text: told.append(title)
    assert dialog.hand_over("Cabinet Recouvre", folder / "out.zip")
    assert told == ["Dossier transmis"]
    led = dialog.ops.ledger
    action, numbers = led.history(dialog.client_id)[-1]
    assert (action.kind, numbers) == ("handover", ["F-1", "F-2"])
    assert {r.stage for r in led.stages(AS_OF)} == {"handed_over"}


def test_relances_menu_opens_the_assistant_for_the_selected_invoice(qtbot, ops, data, tmp_path):
    """Relances > Procédure… opens the assistant on the selected invoice's client."""
    from PySide6.QtCore import QSettings

    from tests.ui.window.test_main import open_window, select

    settings = QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat)
    win = open_window(qtbot, ops, settings)
    menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Relances")
    assert "Procédure…" in [a.text() for a in menu.actions()]
    select(win, "F-020")  # Agence Lumen: formal notice sent
    win.act_route.trigger()
    dialog = win.dialog
    assert isinstance(dialog, RouteDialog)
    assert dialog.claim.client.name == "Agence Lumen"
    assert [r.code for r in dialog.advice.applicable] == ["fond"]  # F-021 is disputed
    dialog.close()
