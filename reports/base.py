"""Shared PDF building blocks: paragraph styles, escaping, table styles, numbered canvas."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, TableStyle

from models.law.deadlines import french_date
from reports.fonts import FONT, FONT_BOLD, register_fonts

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
HEADER_BG = colors.HexColor("#e6e9ee")
ZEBRA = colors.HexColor("#f5f6f8")
TOTAL_BG = colors.HexColor("#dde3ea")

PAGE_NUMBER_SIZE = 7.5


long_date_fr = french_date  # "23 novembre 2026", "1er décembre 2026" (models.law.deadlines)


def short_date_fr(d: dt.date) -> str:
    """'23/11/2026', for table cells."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def esc(text: str) -> str:
    """Escape user-typed text for a Paragraph, so it prints literally; newlines become breaks."""
    # &, < and > as xml.sax.saxutils.escape does, whose import (urllib.request) takes 20 ms.
    return "<br/>".join(escape(line, quote=False) for line in text.split("\n"))


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of every Relance document."""

    body: ParagraphStyle
    body_left: ParagraphStyle
    right: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    head_centre: ParagraphStyle
    signature: ParagraphStyle


@functools.cache
def styles() -> Styles:
    """Build the styles once, after the fonts are registered."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=12,
        alignment=TA_JUSTIFY,
        textColor=INK,
        spaceAfter=4,
    )
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, textColor=INK)
    head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
    return Styles(
        body=body,
        body_left=ParagraphStyle("body_left", parent=body, alignment=TA_LEFT),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            alignment=TA_CENTER,
            spaceBefore=0,
            spaceAfter=8,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            alignment=TA_LEFT,
            spaceBefore=6,
            spaceAfter=3,
        ),
        small=ParagraphStyle(
            "small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=2
        ),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        head=head,
        head_right=ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        head_centre=ParagraphStyle("head_centre", parent=head, alignment=TA_CENTER),
        signature=ParagraphStyle("signature", parent=body, alignment=TA_LEFT, spaceAfter=1),
    )


def para(text: str, style: ParagraphStyle, markup: str = "") -> Paragraph:
    """A Paragraph showing `text` literally, after optional trusted `markup` (e.g. '<b>x</b> ')."""
    return Paragraph(markup + esc(text), style)


def grid_style(
    *, header_rows: int = 1, right_from: int = 1, font_size: float = 8, zebra: bool = True
) -> list[tuple[Any, ...]]:
    """Table style commands: bold shaded header, thin rules, numbers right-aligned from a column."""
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("LEADING", (0, 0), (-1, -1), font_size + 2),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
    ]
    if header_rows:
        last = header_rows - 1
        commands += [
            ("FONTNAME", (0, 0), (-1, last), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, last), HEADER_BG),
            ("LINEBELOW", (0, last), (-1, last), 0.6, RULE),
        ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA]))
    return commands


def total_row_style(row: int = -1) -> list[tuple[Any, ...]]:
    """Style commands for a bold, shaded totals row."""
    return [
        ("FONTNAME", (0, row), (-1, row), FONT_BOLD),
        ("BACKGROUND", (0, row), (-1, row), TOTAL_BG),
        ("LINEABOVE", (0, row), (-1, row), 0.6, RULE),
    ]


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """Wrap style commands in a TableStyle."""
    return TableStyle(commands)


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds its pages until saving, to print 'Page X/Y' within each page group.

    Page decorations set `page_group` (one per letter in a batch, so numbering restarts) and
    `page_number_at` (right end of the 'Page X/Y' baseline, in points) on every page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        register_fonts()
        kwargs.setdefault("initialFontName", FONT)
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self.page_group = 0
        self.page_number_at: tuple[float, float] | None = None

    def showPage(self) -> None:
        """Keep the finished page's state instead of writing it now."""
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Write every held page with its 'Page X/Y', then the file."""
        sizes = Counter(page["page_group"] for page in self._held_pages)
        seen: Counter[int] = Counter()
        for page in self._held_pages:
            self.__dict__.update(page)
            seen[self.page_group] += 1
            if self.page_number_at is not None:
                x, y = self.page_number_at
                self.saveState()
                self.setFont(FONT, PAGE_NUMBER_SIZE)
                self.setFillColor(MUTED)
                self.drawRightString(x, y, f"Page {seen[self.page_group]}/{sizes[self.page_group]}")
                self.restoreState()
            Canvas.showPage(self)
        Canvas.save(self)
