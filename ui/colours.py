"""Stage colours as Qt brushes, readable text on them, and the aged-balance bucket colours."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QBrush, QColor

from models.law.stages import STAGES

DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"
# Perceived brightness (ITU-R BT.601 weights, 0-255) under which white text reads better.
DARK_THRESHOLD = 140
# Aged-balance buckets, from "not due" (neutral) to the oldest (red); interpolated if more.
BUCKET_STOPS = ("#9aa5b1", "#f2c94c", "#f2994a", "#e0603a", "#b3261e")


def is_dark(colour: QColor) -> bool:
    """True when white text is more readable than black on this background."""
    brightness = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return brightness < DARK_THRESHOLD


def text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads best on `background`."""
    return QColor(LIGHT_TEXT if is_dark(background) else DARK_TEXT)


def stage_colour(code: str) -> QColor | None:
    """The background colour of a stage (DESIGN.md table), None for an unknown code."""
    info = STAGES.get(code)
    return QColor(info.colour) if info else None


@cache
def stage_background(code: str) -> QBrush | None:
    """The stage's background brush (cached: the table asks for it on every painted cell)."""
    colour = stage_colour(code)
    return QBrush(colour) if colour is not None else None


@cache
def stage_foreground(code: str) -> QBrush | None:
    """A text brush readable on the stage's background."""
    colour = stage_colour(code)
    return QBrush(text_colour(colour)) if colour is not None else None


def bucket_colours(count: int) -> list[QColor]:
    """`count` colours going from neutral (not due) to red (oldest bucket)."""
    stops = [QColor(c) for c in BUCKET_STOPS]
    if count <= len(stops):
        # Keep both ends (neutral and red), drop stops from the middle.
        if count <= 1:
            return stops[:count]
        step = (len(stops) - 1) / (count - 1)
        return [stops[round(i * step)] for i in range(count)]
    out = []
    for i in range(count):
        pos = i * (len(stops) - 1) / (count - 1)
        low = int(pos)
        high = min(low + 1, len(stops) - 1)
        t = pos - low
        a, b = stops[low], stops[high]
        out.append(
            QColor(
                round(a.red() + (b.red() - a.red()) * t),
                round(a.green() + (b.green() - a.green()) * t),
                round(a.blue() + (b.blue() - a.blue()) * t),
            )
        )
    return out
