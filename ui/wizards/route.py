"""Relances > Procédure… : the court-route assistant, then the dossier, the request, the hand-over.

Asks only what the file cannot tell (dispute, the debtor's agreement, urgency) and shows the
advice of models/litigation/routes.py; the buttons make the dossier PDF, the injunction request
and the hand-over (ZIP and history entry).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models.files import atomic_write
from models.ids import ClientId
from models.litigation.case import ClaimFile, claim_file, route_case
from models.litigation.handover import record_handover
from models.litigation.pieces import mark_in_dossier
from models.litigation.request import injunction_request, small_claims_letter
from models.litigation.routes import RouteAdvice, advise
from reports.dossier_pieces import build_dossier
from reports.handover import build_zip
from reports.injunction import render_injunction, render_small_claims
from ui.ops import Ops, tr
from ui.widgets import ask_save_path, ask_text, date_edit, from_qdate, inform, to_qdate

ANSWERS = ("Je ne sais pas", "Oui", "Non")


def _answer(box: QComboBox) -> bool | None:
    return (None, True, False)[box.currentIndex()]


def advice_html(claim: ClaimFile, advice: RouteAdvice) -> str:
    """The advice as rich text: blockers, prescription, routes with reasons, what is missing."""
    out = [f"<p><b>{escape(claim.claim_line)}</b></p>"]
    out += [f"<p style='color:#a01818'><b>{escape(b)}</b></p>" for b in advice.blockers]
    if advice.prescription:
        colour = "#a01818" if advice.time_barred else "#333"
        out.append(f"<p style='color:{colour}'>{escape(advice.prescription)}</p>")
    out += [f"<p style='color:#8a5a00'>{escape(w)}</p>" for w in advice.warnings]
    if advice.missing:
        out.append(f"<h3>{tr('Ce qui manque au dossier')}</h3><ul>")
        out += [f"<li>{escape(m)}</li>" for m in advice.missing]
        out.append("</ul>")
    for r in advice.routes:
        mark = "✔" if r.applies else "✘"
        colour = "#1d6b2a" if r.applies else "#777"
        out.append(f"<h3 style='color:{colour}'>{mark} {escape(tr(r.name))}</h3>")
        out.append(f"<p>{escape(r.reason)}</p>")
        if r.applies:
            details = [
                (tr("Où"), r.court),
                (tr("Formulaire"), r.form),
                (tr("Avocat"), r.lawyer),
                (tr("Coûts"), r.costs),
            ]
            items = [f"<li><b>{k}</b> : {escape(v)}</li>" for k, v in details if v]
            items += [f"<li>{escape(c)}</li>" for c in r.conditions]
            out.append("<ul>" + "".join(items) + "</ul>")
    if advice.consumer_rules:
        out.append(f"<h3>{tr('Débiteur particulier')}</h3><ul>")
        out += [f"<li>{escape(m)}</li>" for m in advice.consumer_rules]
        out.append("</ul>")
    return "".join(out)


class RouteDialog(QDialog):
    """The assistant for one client's claim as of the interface's date."""

    def __init__(self, ops: Ops, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        # Replaced in tests (modal boxes would block them).
        self.ask_save_path: Callable[[QWidget | None, str, str, str], Path | None] = ask_save_path
        self.ask_text: Callable[[QWidget | None, str, str], str | None] = ask_text
        self.inform: Callable[[QWidget | None, str, str], None] = inform
        self.claim = claim_file(ops.ledger, ClientId(client_id), ops.today())
        self.setWindowTitle(tr("Procédure — {c}").format(c=self.claim.client.name))
        self.disputed, self.agrees, self.urgent = QComboBox(), QComboBox(), QComboBox()
        form = QFormLayout()
        # The décompte's date (the dossier and the request are as of it).
        self.as_of = date_edit(ops.today())
        self.as_of.setMaximumDate(to_qdate(ops.today()))
        self.as_of.dateChanged.connect(self._date_changed)
        form.addRow(tr("Décompte arrêté au"), self.as_of)
        for box, label in (
            (self.disputed, "La dette est-elle contestée ?"),
            (self.agrees, "Le débiteur accepterait-il la procédure simplifiée ?"),
            (self.urgent, "Y a-t-il urgence (risque de défaillance) ?"),
        ):
            box.addItems([tr(a) for a in ANSWERS])
            form.addRow(tr(label), box)
        if any(f.disputed_on is not None for f in self.claim.facts):
            self.disputed.setCurrentIndex(1)  # the file says so: an invoice is in dispute
        for box in (self.disputed, self.agrees, self.urgent):
            box.currentIndexChanged.connect(self.refresh)
        self.view = QTextBrowser()
        self.view.setOpenExternalLinks(False)
        self.dossier_btn = QPushButton(tr("Dossier PDF…"))
        self.request_btn = QPushButton(tr("Requête en injonction de payer…"))
        self.small_btn = QPushButton(tr("Lettre au commissaire de justice…"))
        self.small_btn.setToolTip(tr("Procédure simplifiée de recouvrement des petites créances"))
        self.handover_btn = QPushButton(tr("Transmettre le dossier…"))
        close = QPushButton(tr("Fermer"))
        self.dossier_btn.clicked.connect(lambda: self.make_dossier())
        self.request_btn.clicked.connect(lambda: self.make_request())
        self.small_btn.clicked.connect(lambda: self.make_small_claims())
        self.handover_btn.clicked.connect(lambda: self.hand_over())
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.dossier_btn, self.request_btn, self.small_btn, self.handover_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Répondez à ce que le dossier ne dit pas :")))
        layout.addLayout(form)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(820, 720)
        self.refresh()

    def _date_changed(self) -> None:
        self.claim = claim_file(
            self.ops.ledger, ClientId(self.client_id), from_qdate(self.as_of.date())
        )
        self.refresh()

    def refresh(self) -> None:
        """Recompute the advice from the answers."""
        self.advice = advise(
            route_case(
                self.claim,
                disputed=_answer(self.disputed),
                debtor_agrees=_answer(self.agrees),
                urgent=_answer(self.urgent),
            )
        )
        self.view.setHtml(advice_html(self.claim, self.advice))
        has_claim = bool(self.claim.facts)
        self.dossier_btn.setEnabled(has_claim)
        self.handover_btn.setEnabled(has_claim)
        injunction = any(r.code == "injonction" for r in self.advice.applicable)
        self.request_btn.setEnabled(has_claim and injunction)
        small = any(r.code == "petites_creances" for r in self.advice.applicable)
        self.small_btn.setEnabled(has_claim and small)

    def _name(self, stem: str, suffix: str) -> str:
        return f"{stem}-{self.claim.client.name}-{self.claim.as_of:%Y-%m-%d}{suffix}".replace(
            "/", "-"
        )

    def make_dossier(self, path: Path | None = None) -> Path | None:
        """Write the dossier PDF (a bad piece is named, nothing written)."""
        path = path or self.ask_save_path(
            self, tr("Dossier PDF"), self._name("dossier", ".pdf"), tr("PDF (*.pdf)")
        )
        if path is None:
            return None

        def work() -> Path:
            made = build_dossier(self.claim, path)
            ids = [p.piece_id for p in self.claim.pieces if p.piece_id is not None]
            mark_in_dossier(self.ops.ledger, ids, self.claim.as_of)
            return made.path

        return self.ops.run(self, work, "history")

    def make_request(self, path: Path | None = None) -> Path | None:
        """Write the injunction-to-pay request with the Cerfa values."""
        path = path or self.ask_save_path(
            self, tr("Requête en injonction de payer"), self._name("requete", ".pdf"), "PDF (*.pdf)"
        )
        if path is None:
            return None
        data = render_injunction(injunction_request(self.claim), self.claim.company.name)
        return self.ops.run(self, lambda: atomic_write(path, data), "history")

    def make_small_claims(self, path: Path | None = None) -> Path | None:
        """Write the letter asking a commissaire de justice for the simplified procedure."""
        path = path or self.ask_save_path(
            self,
            tr("Lettre au commissaire de justice"),
            self._name("petites-creances", ".pdf"),
            "PDF (*.pdf)",
        )
        if path is None:
            return None
        data = render_small_claims(small_claims_letter(self.claim), self.claim.company.name)
        return self.ops.run(self, lambda: atomic_write(path, data), "history")

    def hand_over(self, to: str | None = None, archive: Path | None = None) -> bool:
        """Export the ZIP (PDF, pieces, CSVs), record the hand-over; invoices: handed_over."""
        to = (
            to
            if to is not None
            else self.ask_text(
                self,
                tr("Transmettre le dossier"),
                tr("À qui (avocat, agence, commissaire de justice) ?"),
            )
        )
        if not to:
            return False
        archive = archive or self.ask_save_path(
            self, tr("Archive du dossier"), self._name("dossier", ".zip"), tr("ZIP (*.zip)")
        )
        if archive is None:
            return False
        pdf = archive.with_suffix(".pdf")

        def work() -> bool:
            build_dossier(self.claim, pdf)
            build_zip(self.claim, pdf, archive)
            record_handover(self.ops.ledger, self.claim, to, self.ops.today(), pdf)
            return True

        done = self.ops.run(self, work, "all") is True
        if done:
            self.inform(
                self,
                tr("Dossier transmis"),
                tr("Archive enregistrée : {p}\nTransmission à {t} notée dans l'historique.").format(
                    p=archive, t=to
                ),
            )
        return done


def open_route(parent: QWidget | None, ops: Ops, client_id: int) -> RouteDialog:
    """Open the assistant for a client (window-modal)."""
    dialog = RouteDialog(ops, client_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
