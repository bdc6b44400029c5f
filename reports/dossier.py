"""The dossier PDF's own pages: cover, décompte, chronology and bordereau de pièces.

Laid out from a `ClaimFile` (models/litigation/case.py), whose amounts are the formal notice's
statement of account for the chosen date: this module adds nothing up, it prints the
statement's lines, periods and claimed rows. reports/dossier_pieces.py appends the pieces.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from models.address import postal_lines
from models.law.stages import InvoiceFacts
from models.letters.statement import INDEMNITY, PRINCIPAL, StatementLine
from models.litigation.case import ClaimFile
from models.litigation.pieces import PieceRow
from models.money import format_eur, format_rate
from reports.base import (
    NumberedCanvas,
    grid_style,
    long_date_fr,
    para,
    short_date_fr,
    styles,
    table_style,
    total_row_style,
)
from reports.fonts import FONT, register_fonts
from reports.page import legal_identity

MARGIN = 20 * mm
WIDTH = A4[0] - 2 * MARGIN
SECTIONS = ("Page de garde", "Décompte", "Chronologie", "Bordereau de pièces")
ROW_LABELS = {PRINCIPAL: "Principal restant dû", INDEMNITY: "Indemnités forfaitaires (D441-5)"}


@dataclass
class Anchor(Flowable):  # type: ignore[misc]
    """An invisible mark that records the page it lands on (for the outline)."""

    title: str
    found: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Flowable.__init__(self)
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Note the page number (0-based)."""
        self.found[self.title] = self.canv.getPageNumber() - 1


def _party(title: str, lines: list[str]) -> list[Flowable]:
    st = styles()
    return [para(title, st.heading), *[para(x, st.body_left) for x in lines if x]]


def cover(claim: ClaimFile) -> list[Flowable]:
    """Creditor, debtor with SIREN, the claim in one line, the prescription date."""
    st = styles()
    co, cl = claim.company, claim.client
    creditor = [co.name, *co.address_lines, legal_identity(co)]
    debtor = list(
        postal_lines(
            f"{cl.name} {cl.legal_form}".strip(),
            cl.attention,
            cl.building,
            cl.street,
            cl.locality,
            cl.postal_code,
            cl.city,
            cl.country,
        )
    )
    ident = cl.siren or cl.siret[:9]
    debtor.append(f"SIREN {ident}" if ident else ("Particulier" if claim.b2c else "SIREN inconnu"))
    out: list[Flowable] = [
        Spacer(1, 25 * mm),
        para("DOSSIER DE RECOUVREMENT", st.title),
        para(f"établi le {long_date_fr(claim.as_of)}", st.title),
        Spacer(1, 10 * mm),
        *_party("Créancier", creditor),
        Spacer(1, 4 * mm),
        *_party("Débiteur", debtor),
        Spacer(1, 6 * mm),
        para("Créance", st.heading),
        para(claim.claim_line, st.body),
    ]
    if claim.notice is not None:
        n = claim.notice
        sent = f"Mise en demeure envoyée le {short_date_fr(n.date)}"
        if n.registered_number:
            sent += f" par lettre recommandée n° {n.registered_number}"
        if n.acknowledged_on:
            sent += f", reçue le {short_date_fr(n.acknowledged_on)}"
        out.append(para(sent + ".", st.body))
    if claim.prescription_text:
        out += [para("Prescription", st.heading), para(claim.prescription_text + ".", st.body)]
    barred = [n for n, p in claim.prescriptions if p.time_barred]
    if barred:
        out.append(para("Factures prescrites : " + ", ".join(barred) + ".", st.body))
    return out


def _invoice_rows(
    claim: ClaimFile, line: StatementLine, facts: InvoiceFacts | None, word: str
) -> list[list[Any]]:
    """One invoice of the décompte: amount, deposit and payments, balance, periods, indemnity."""
    st = styles()

    def row(label: str, amount: str, days: str = "", base: str = "", rate: str = "") -> list[Any]:
        return ["", para(label, st.cell), days, base, rate, amount]

    head = f"Montant TTC (émise le {short_date_fr(line.issue_date)}, échéance "
    rows: list[list[Any]] = [
        [f"Facture {line.number}", "Détail", "Jours", "Base", "Taux", "Montant"],
        row(head + f"{short_date_fr(line.due_date)})", format_eur(line.amount)),
    ]
    if facts is not None:
        if facts.deposit_cents:
            rows.append(row("Acompte", format_eur(-facts.deposit_cents, cents=True)))
        for d, cents in facts.payments:
            if d <= claim.as_of:
                rows.append(
                    row(f"Paiement reçu le {short_date_fr(d)}", format_eur(-cents, cents=True))
                )
    rows.append(row("Principal restant dû", format_eur(line.balance)))
    for p in line.periods:
        rows.append(
            row(
                f"{word} du {short_date_fr(p.start)} au {short_date_fr(p.end)}",
                format_eur(p.amount),
                days=str(p.days),
                base=format_eur(p.base),
                rate=format_rate(p.rate),
            )
        )
    if line.indemnity > 0:
        rows.append(row("Indemnité forfaitaire (C. com. D441-5)", format_eur(line.indemnity)))
    rows.append(
        row("Total réclamé pour cette facture", format_eur(claim.statement.line_total(line)))
    )
    return rows


def decompte(claim: ClaimFile) -> list[Flowable]:
    """Per invoice: principal, payments, penalty periods (rate, days), indemnity; the total."""
    st = styles()
    s = claim.statement
    word = "Intérêts au taux légal" if claim.b2c else "Pénalités de retard"
    out: list[Flowable] = [
        para(f"Décompte au {long_date_fr(claim.as_of)}", st.title),
        para(
            "Montants TTC. "
            + (
                "Intérêts au taux légal à compter de la mise en demeure (C. civ. 1231-6, "
                "1344-1), jours/365, arrondis au centime par période."
                if claim.b2c
                else "Pénalités dues dès le lendemain de l'échéance (C. com. L441-10 II), "
                "montant dû × taux × jours / 365, arrondies au centime par semestre ; "
                "indemnité forfaitaire de 40 € par facture (C. com. D441-5)."
            ),
            st.small,
        ),
    ]
    facts = {f.number: f for f in claim.facts}
    for line in s.lines:
        table = Table(
            _invoice_rows(claim, line, facts.get(line.number), word),
            colWidths=[22 * mm, 70 * mm, 14 * mm, 26 * mm, 16 * mm, 22 * mm],
            repeatRows=1,
        )
        commands = grid_style(right_from=2, zebra=False) + total_row_style()
        table.setStyle(table_style([*commands, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out += [KeepTogether([table]), Spacer(1, 3 * mm)]
    totals = [[ROW_LABELS.get(code, word), format_eur(amount)] for code, amount in s.claimed_rows()]
    totals.append([f"Total réclamé au {short_date_fr(claim.as_of)}", format_eur(s.total)])
    table = Table(totals, colWidths=[WIDTH - 40 * mm, 40 * mm])
    table.setStyle(table_style(grid_style(header_rows=0, zebra=False) + total_row_style()))
    out += [CondPageBreak(40 * mm), table]
    if s.rate_text:
        out.append(para(f"Taux appliqué : {s.rate_text}.", st.small))
    out += [para(w, st.small) for w in s.warnings]
    return out


def chronology(claim: ClaimFile) -> list[Flowable]:
    """Every action of the history: date, action, channel, invoices, details, who noted it."""
    st = styles()
    rows = [["Date", "Action", "Canal", "Factures", "Détail", "Par"]]
    for e in claim.chronology:
        rows.append(
            [
                short_date_fr(e.date),
                para(e.what, st.cell),
                para(e.channel, st.cell),
                para(", ".join(e.invoices), st.cell),
                para(e.detail, st.cell),
                para(e.by, st.cell),
            ]
        )
    out: list[Flowable] = [para("Chronologie des démarches", st.title)]
    if len(rows) == 1:
        return [*out, para("Aucune démarche enregistrée.", st.body)]
    widths = [18 * mm, 27 * mm, 25 * mm, 20 * mm, 54 * mm, 26 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style([*grid_style(right_from=99), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [*out, table]


def bordereau(pieces: list[PieceRow]) -> list[Flowable]:
    """The numbered list of pieces: n°, title, date (the stamps carry the same numbers)."""
    st = styles()
    rows = [["N°", "Pièce", "Date", "Factures"]]
    for number, p in enumerate(pieces, start=1):
        title = f"{p.title} ({p.kind})" if p.kind not in p.title.lower() else p.title
        rows.append(
            [
                str(number),
                para(title + (f" — {p.note}" if p.note else ""), st.cell),
                short_date_fr(p.date) if p.date else "non datée",
                para(", ".join(p.invoices), st.cell),
            ]
        )
    out: list[Flowable] = [para("Bordereau de pièces communiquées", st.title)]
    if len(rows) == 1:
        return [*out, para("Aucune pièce.", st.body)]
    table = Table(rows, colWidths=[12 * mm, 108 * mm, 22 * mm, 28 * mm], repeatRows=1)
    table.setStyle(table_style([*grid_style(right_from=99), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [*out, table]


def render_front(claim: ClaimFile, pieces: list[PieceRow]) -> tuple[bytes, dict[str, int]]:
    """The generated pages as PDF bytes, and the first page (0-based) of each section."""
    register_fonts()
    out = io.BytesIO()
    found: dict[str, int] = {}
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Dossier de recouvrement — {claim.client.name}",
        author=claim.company.name,
        creator="Relance",
        lang="fr-FR",
        initialFontName=FONT,
    )
    parts = (cover(claim), decompte(claim), chronology(claim), bordereau(pieces))
    story: list[Flowable] = []
    for title, flowables in zip(SECTIONS, parts, strict=True):
        if story:
            story.append(PageBreak())
        story += [Anchor(title, found), *flowables]

    def footer(canv: NumberedCanvas, _doc: object) -> None:
        canv.page_number_at = (A4[0] - MARGIN, 10 * mm)
        canv.setFont(FONT, 7.5)
        canv.drawString(MARGIN, 10 * mm, f"{claim.company.name} c/ {claim.client.name}")

    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
    return out.getvalue(), found
