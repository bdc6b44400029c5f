"""The embedded DejaVu Sans fonts, registered once with reportlab (never the viewer's Helvetica)."""

from __future__ import annotations

import functools

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from models.resources import resource_path

FONTS_DIR = resource_path("fonts")

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) and its family mapping; idempotent."""
    for name, filename in _FILES.items():
        path = FONTS_DIR / filename
        if not path.is_file():
            raise FileNotFoundError(f"police introuvable : {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # No bold-oblique file is shipped: <b><i> falls back to bold.
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)


def text_width(text: str, font: str, size: float) -> float:
    """Width of `text` in points once drawn in `font` at `size` points."""
    register_fonts()
    return float(pdfmetrics.stringWidth(text, font, size))
