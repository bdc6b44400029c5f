"""CellText: table cells written with each distinct text encoded once, as reportlab writes them.

The byte comparison pins reportlab's own output for `beginText` + `setTextOrigin` + `textOut`:
if a reportlab release writes text differently, it fails here first, loudly.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from reports.cell_text import CellText, CellTexts
from reports.fonts import FONT, FONT_BOLD, register_fonts

SIZE, LEADING = 7.5, 9.5
Cells = list[tuple[float, float, str]]  # (x, anchor, text)


def _exotic(count: int) -> list[str]:
    """`count` distinct characters DejaVu Sans draws, none of them ASCII or Latin-1."""
    register_fonts()
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    chars = [chr(c) for c in range(0x100, 0x2000) if c in glyphs and chr(c).isalpha()]
    assert len(chars) >= count
    return chars[:count]


def _rows() -> list[tuple[float, Cells]]:
    """Rows of cells: accents, repeats, escapes, spaces, an empty cell and 600 rare glyphs."""
    exotic = _exotic(600)  # more than two 256-glyph subsets: three subsets of the font
    words = ["".join(exotic[i : i + 12]) for i in range(0, 600, 12)]
    rows: list[tuple[float, Cells]] = [
        (500.0, [(40.0, 0, "Hôtel du Lac d'Annecy"), (300.0, 1, "12 345,67"), (380.0, 1, "–")]),
        (488.0, [(40.0, 0, ""), (300.0, 1, "–"), (380.0, 1, "–")]),
        (476.0, [(40.0, 0, "Dupont (SARL) \\ fils"), (300.0, 1, "1\xa0234,00"), (380.0, 1, "")]),
        (464.0, [(40.0, 0, "Crème brûlée — œuvre"), (300.0, 1, "1\u202f234,00"), (380.0, 1, "7")]),
    ]
    y = 452.0
    for k, word in enumerate(words):
        rows.append((y, [(40.0, 0, word), (300.0, 1, "12 345,67"), (380.0, 1, words[k // 2])]))
        y -= 8.0
    # Texts met again once the current subset is another one, and texts mixing subsets.
    rows.append((30.0, [(40.0, 0, "12 345,67"), (300.0, 1, words[0] + "é" + words[-1])]))
    rows.append((18.0, [(40.0, 0, words[-1]), (300.0, 1, "Hôtel du Lac d'Annecy")]))
    return rows


def _with_text_objects(canv: Canvas, font: str, rows: list[tuple[float, Cells]]) -> None:
    """The reference: one reportlab text object per row, `setTextOrigin` then `textOut`."""
    canv.setFont(font, SIZE, LEADING)
    for y, cells in rows:
        lefts = [x - canv.stringWidth(v, font, SIZE) if a else x for x, a, v in cells]
        text = canv.beginText(lefts[0], y)
        for n, (left, (_x, _anchor, value)) in enumerate(zip(lefts, cells, strict=True)):
            if n:
                text.setTextOrigin(left, y)
            text.textOut(value)
        canv.drawText(text)


def _with_cell_text(canv: Canvas, font: str, rows: list[tuple[float, Cells]]) -> None:
    writer = CellText(canv, font, SIZE, LEADING)
    for y, cells in rows:
        writer.draw(y, cells)


def _pdf(draw: Callable[[Canvas, str, list[tuple[float, Cells]]], None]) -> bytes:
    """Two pages (regular, then bold) drawn by `draw`, reproducible byte for byte."""
    register_fonts()
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    for font in (FONT, FONT_BOLD):
        draw(canv, font, _rows())
        canv.showPage()
    canv.save()
    return out.getvalue()


def test_same_bytes_as_reportlab_text_objects():
    """Same operators, same subsets, same fonts: the two PDFs are identical byte for byte."""
    assert _pdf(_with_cell_text) == _pdf(_with_text_objects)


def test_every_text_reads_back_and_the_font_spans_three_subsets():
    pdf = _pdf(_with_cell_text)
    pages = PdfReader(io.BytesIO(pdf)).pages
    subsets = Counter(name.split("+")[0] for name in pages[0]["/Resources"]["/Font"])
    assert max(subsets.values()) >= 3  # the 600 rare glyphs need 3 subsets of one font
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = {w["text"] for w in page.extract_words(keep_blank_chars=True)}
            lines = page.extract_text()
            for _y, cells in _rows():
                for _x, _anchor, text in cells:
                    assert text.replace("\xa0", " ") in lines or text in words


def test_width_is_reportlabs_and_an_empty_text_is_nothing():
    register_fonts()
    canv = Canvas(io.BytesIO())
    writer = CellText(canv, FONT_BOLD, SIZE, LEADING)
    for text in ("", "–", "Hôtel du Lac", "1\xa0234,00", "".join(_exotic(300))):
        expected = pdfmetrics.stringWidth(text, FONT_BOLD, SIZE)
        assert writer.width(text) == expected
        assert writer.width(text) == expected  # from the memo, the same
    assert writer.width("") == 0


def test_a_new_canvas_gets_its_own_codes():
    """Codes are given per document: a second document never reuses the first one's."""
    register_fonts()
    texts = CellTexts(SIZE, LEADING)
    first, second = io.BytesIO(), io.BytesIO()
    canv1, canv2 = Canvas(first), Canvas(second)
    rare = "".join(_exotic(40)[20:])
    texts.get(canv1, FONT).draw(700, [(40.0, 0, "".join(_exotic(20))), (40.0, 0, "")])
    texts.get(canv1, FONT).draw(680, [(40.0, 0, rare)])
    assert texts.get(canv1, FONT) is texts.get(canv1, FONT)
    writer2 = texts.get(canv2, FONT)
    assert writer2 is not texts.get(canv1, FONT)
    assert writer2.doc is not canv1._doc
    writer2.draw(700, [(40.0, 0, rare)])  # first text of document 2: its first codes
    for canv, out in ((canv1, first), (canv2, second)):
        canv.showPage()
        canv.save()
        with pdfplumber.open(io.BytesIO(out.getvalue())) as doc:
            assert rare in doc.pages[0].extract_text()


def test_only_truetype_fonts():
    canv = Canvas(io.BytesIO())
    with pytest.raises(ValueError, match="TrueType"):
        CellText(canv, "Helvetica", SIZE, LEADING)
