"""A4 letter template: letterhead, window-envelope address block, fold marks, legal footer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from models.letters.documents import Company, LetterData
from reports.base import INK, MUTED, RULE, long_date_fr
from reports.fonts import FONT, FONT_BOLD, register_fonts, text_width

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FIRST_FRAME_TOP = 87 * mm  # below the letterhead and the window zone, from the page top
LATER_FRAME_TOP = 22 * mm
FRAME_BOTTOM = 24 * mm  # above the footer's rule (20 mm), from the page bottom
FOLD_MARKS_MM = (99.0, 198.0)  # an A4 sheet folded in three panels of 99 mm

ADDRESS_SIZE = 10.0  # La Poste: 9 to 12 pt
ADDRESS_MIN_SIZE = 9.0
ADDRESS_PADDING = 3 * mm  # kept clear inside the window on every side
LETTERHEAD_WIDTH = 85 * mm
LOGO_MAX = (45 * mm, 18 * mm)


@dataclass(frozen=True)
class Window:
    """The envelope window zone, in millimetres from the page's left and top edges."""

    left: float
    top: float
    right: float
    bottom: float

    def box(self) -> tuple[float, float, float, float]:
        """The zone as reportlab points (x0, y0, x1, y1), y measured up from the page bottom."""
        return (
            self.left * mm,
            PAGE_HEIGHT - self.bottom * mm,
            self.right * mm,
            PAGE_HEIGHT - self.top * mm,
        )


# DL or C5/6 envelope with a 45x100 mm window 20 mm from the right and 15 mm from the bottom:
# the zone that shows whichever way an A4 folded in three slides (LEGAL.md, NF Z 10-011).
WINDOW = Window(left=110.0, top=54.0, right=190.0, bottom=84.0)


def place_date_line(place: str, d: dt.date) -> str:
    """'Paris, le 23 novembre 2026' (or 'Le 23 novembre 2026' without a place)."""
    return f"{place}, le {long_date_fr(d)}" if place.strip() else f"Le {long_date_fr(d)}"


def legal_identity(company: Company) -> str:
    """The creditor's legal mentions for the footer: name, form, capital, SIRET, RCS, VAT."""
    parts = [company.name]
    if company.legal_form and company.capital:
        parts.append(f"{company.legal_form} au capital de {_capital(company.capital)}")
    elif company.legal_form:
        parts.append(company.legal_form)
    elif company.capital:
        parts.append(f"Capital : {_capital(company.capital)}")
    if company.siret:
        parts.append(f"SIRET {company.siret}")
    if company.rcs_city:
        parts.append(f"RCS {company.rcs_city} {company.siren}".strip())
    elif company.siren:
        parts.append(f"SIREN {company.siren}")
    if company.vat_number:
        parts.append(f"TVA intracommunautaire {company.vat_number}")
    return " · ".join(p for p in parts if p)


def _capital(capital: str) -> str:
    """The share capital as typed, with a euro sign when it has none."""
    text = capital.strip()
    return text if "€" in text or "eur" in text.lower() else f"{text}\u00a0€"


def draw_footer(canv: Canvas, company: Company, page_width: float = PAGE_WIDTH) -> None:
    """Footer rule, legal identity and the place where 'Page X/Y' is printed later."""
    right = page_width - MARGIN_RIGHT
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.line(MARGIN_LEFT, 20 * mm, right, 20 * mm)
    canv.setFont(FONT, 7)
    canv.setFillColor(MUTED)
    width = right - MARGIN_LEFT - 25 * mm  # room for "Page 12/12" on the right
    y = 16.5 * mm
    for line in simpleSplit(legal_identity(company), FONT, 7, width)[:3]:
        canv.drawString(MARGIN_LEFT, y, line)
        y -= 3.2 * mm
    canv.restoreState()
    canv.page_number_at = (right, 16.5 * mm)


def draw_fold_marks(canv: Canvas) -> None:
    """Short rules on the left edge at 99 and 198 mm from the top, to fold in three."""
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    for at in FOLD_MARKS_MM:
        y = PAGE_HEIGHT - at * mm
        canv.line(4 * mm, y, 9 * mm, y)
    canv.restoreState()


def draw_letterhead(canv: Canvas, company: Company) -> None:
    """Top-left letterhead: logo if any, name, legal form and capital, address, phone, e-mail."""
    x = MARGIN_LEFT
    y = PAGE_HEIGHT - 15 * mm
    logo = Path(company.logo_path) if company.logo_path else None
    if logo is not None and logo.is_file():
        try:
            image = ImageReader(str(logo))
            width, height = image.getSize()
            scale = min(LOGO_MAX[0] / width, LOGO_MAX[1] / height)
            canv.drawImage(image, x, y - height * scale, width * scale, height * scale, mask="auto")
            y -= height * scale + 4 * mm
        except (OSError, ValueError):
            pass  # an unreadable logo must not stop a letter; the name is printed anyway
    canv.saveState()
    canv.setFillColor(INK)
    canv.setFont(FONT_BOLD, 13)
    for line in simpleSplit(company.name, FONT_BOLD, 13, LETTERHEAD_WIDTH)[:2]:
        y -= 13
        canv.drawString(x, y, line)
    y -= 3
    canv.setFont(FONT, 8.5)
    canv.setFillColor(MUTED)
    details: list[str] = []
    if company.legal_form:
        capital = f" au capital de {_capital(company.capital)}" if company.capital else ""
        details.append(company.legal_form + capital)
    details.extend(company.address_lines)
    contact = [f"Tél. {company.phone}" if company.phone else "", company.email]
    details.append("  ·  ".join(c for c in contact if c))
    for detail in details:
        for line in simpleSplit(detail, FONT, 8.5, LETTERHEAD_WIDTH):
            y -= 11
            canv.drawString(x, y, line)
    canv.restoreState()


def address_metrics(lines: Sequence[str], window: Window) -> tuple[float, float, float]:
    """Font size, horizontal scale (percent) and leading that fit the lines inside the window."""
    avail_w = (window.right - window.left) * mm - 2 * ADDRESS_PADDING
    avail_h = (window.bottom - window.top) * mm - 2 * ADDRESS_PADDING
    widest = max((text_width(line, FONT, ADDRESS_SIZE) for line in lines), default=0.0)
    size = ADDRESS_SIZE
    if widest > avail_w:
        size = max(ADDRESS_MIN_SIZE, ADDRESS_SIZE * avail_w / widest)
    scaled = widest * size / ADDRESS_SIZE
    # Below 9 pt La Poste's readers struggle: squeeze the glyphs' width rather than their size.
    scale = min(100.0, 100.0 * avail_w / scaled) if scaled else 100.0
    leading = size * 1.2
    if len(lines) > 1:
        leading = min(leading, (avail_h - size) / (len(lines) - 1))
    return size, scale, leading


def draw_address(canv: Canvas, lines: Sequence[str], window: Window = WINDOW) -> None:
    """Recipient block, left-aligned, wholly inside the window zone and centred in it."""
    if not lines:
        return
    register_fonts()
    size, scale, leading = address_metrics(lines, window)
    face = pdfmetrics.getFont(FONT).face
    ascent = face.ascent / 1000 * size
    descent = -face.descent / 1000 * size
    x0, y0, _x1, y1 = window.box()
    block = ascent + leading * (len(lines) - 1) + descent
    first_baseline = (y0 + y1) / 2 + block / 2 - ascent
    text = canv.beginText(x0 + ADDRESS_PADDING, first_baseline)
    text.setFont(FONT, size, leading)
    text.setHorizScale(scale)
    text.setFillColor(INK)
    for line in lines:
        text.textLine(line)
    canv.drawText(text)


def draw_registered(canv: Canvas, number: str, window: Window = WINDOW) -> None:
    """'Lettre recommandée avec accusé de réception' and its number, just above the window."""
    x = window.left * mm
    y = PAGE_HEIGHT - (window.top - 4) * mm
    canv.saveState()
    canv.setFillColor(INK)
    canv.setFont(FONT_BOLD, 8.5)
    canv.drawString(x, y + 4.5 * mm, "Lettre recommandée avec accusé de réception")
    canv.setFont(FONT, 8.5)
    canv.drawString(x, y, f"N° : {number.strip() or '____________________'}")
    canv.restoreState()


def draw_continuation_header(canv: Canvas, letter: LetterData) -> None:
    """Small reminder of sender, recipient and date at the top of pages after the first."""
    canv.saveState()
    canv.setFont(FONT, 7.5)
    canv.setFillColor(MUTED)
    text = f"{letter.company.name} · {letter.client_name} · {long_date_fr(letter.date)} (suite)"
    lines = simpleSplit(text, FONT, 7.5, TEXT_WIDTH)[:2]  # a long name wraps, it is not cut
    y = PAGE_HEIGHT - (14 - 3.2 * (len(lines) - 1)) * mm
    for line in lines:
        canv.drawString(MARGIN_LEFT, y, line)
        y -= 3.2 * mm
    y += 3.2 * mm
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.line(MARGIN_LEFT, y - 2 * mm, PAGE_WIDTH - MARGIN_RIGHT, y - 2 * mm)
    canv.restoreState()


class LetterDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A4 letters: a first-page template with letterhead and address, then continuation pages.

    Several letters can share one document: `start_letter_flowables(i)` switches to letter `i`
    on a new first page, and its pages are numbered on their own.
    """

    def __init__(self, out: BinaryIO, letters: Sequence[LetterData], window: Window) -> None:
        register_fonts()
        first = letters[0]
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=LATER_FRAME_TOP,
            bottomMargin=FRAME_BOTTOM,
            title=first.title or first.subject,
            author=first.company.name,
            creator="Relance",
            lang="fr-FR",
            initialFontName=FONT,
        )
        self.letters = list(letters)
        self.window = window
        self.letter_index = 0

        def frame(top: float) -> Frame:
            return Frame(
                MARGIN_LEFT,
                FRAME_BOTTOM,
                TEXT_WIDTH,
                PAGE_HEIGHT - top - FRAME_BOTTOM,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        self.addPageTemplates(
            [
                PageTemplate(
                    id="first",
                    frames=[frame(FIRST_FRAME_TOP)],
                    onPage=self._first_page,
                    autoNextPageTemplate="later",
                ),
                PageTemplate(id="later", frames=[frame(LATER_FRAME_TOP)], onPage=self._later),
            ]
        )

    @property
    def letter(self) -> LetterData:
        """The letter whose pages are being laid out."""
        return self.letters[self.letter_index]

    def handle_start_letter(self, index: int) -> None:
        """Action flowable hook: the following pages belong to letter `index`."""
        self.letter_index = index

    def _first_page(self, canv: Canvas, _doc: Any) -> None:
        letter = self.letter
        canv.page_group = self.letter_index
        draw_letterhead(canv, letter.company)
        if letter.registered:
            draw_registered(canv, letter.registered_number, self.window)
        draw_address(canv, letter.recipient, self.window)
        draw_fold_marks(canv)
        draw_footer(canv, letter.company)

    def _later(self, canv: Canvas, _doc: Any) -> None:
        canv.page_group = self.letter_index
        draw_continuation_header(canv, self.letter)
        draw_footer(canv, self.letter.company)


def start_letter_flowables(index: int) -> list[Flowable]:
    """Flowables that end the current letter and start letter `index` on a fresh first page."""
    return [NextPageTemplate("first"), ActionFlowable(("start_letter", index)), PageBreak()]
