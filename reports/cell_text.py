"""Table cells written as PDF text with each distinct text encoded once per document.

reportlab encodes every `textOut` for the TrueType subset anew (`TTFont.splitString`, then the
escaping), and measures it again to move its cursor: over the 85,000 cells of a 10,000-client
aged balance, where a few thousand texts repeat ("–", common amounts), that was half the drawing
time. `CellText` keeps, per text, its width and its encoded `Tj` operators, and writes a line
of cells as the very operators a reportlab text object writes for `setTextOrigin` + `textOut`
(tests/reports/test_cell_text.py compares the bytes), through the public `Canvas.addLiteral`.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

Encoded = tuple[float, tuple[tuple[int, str], ...]]  # width, (subset, "(bytes) Tj") pieces


class CellText:
    """Short texts in one TrueType font, size and leading on one canvas (one document)."""

    def __init__(self, canv: Canvas, font_name: str, size: float, leading: float) -> None:
        font = pdfmetrics.getFont(font_name)
        if not getattr(font, "_dynamicFont", False):
            raise ValueError(f"{font_name} : police TrueType attendue")  # subsets are TrueType's
        self.canv = canv
        self.font = font
        self.font_name = font_name
        self.size = size
        # The document whose subsets the codes belong to: the canvas's own (no public accessor).
        self.doc = canv._doc
        self._select_tail = f" {fp_str(size)} Tf {fp_str(leading)} TL"
        self._selects: dict[int, str] = {}
        self._memo: dict[str, Encoded] = {}
        self._origins: dict[float, str] = {}  # "1 0 0 1 x": a number takes a microsecond to write

    def _encode(self, text: str) -> Encoded:
        """Width and operators of a text never seen before in this document."""
        pieces = tuple(
            (subset, f"({escapePDF(codes)}) Tj")
            for subset, codes in self.font.splitString(text, self.doc)
        )
        width = float(pdfmetrics.stringWidth(text, self.font_name, self.size))
        encoded = self._memo[text] = (width, pieces)
        return encoded

    def _select(self, subset: int) -> str:
        """The operator choosing a subset of the font (naming it registers it with the document)."""
        op = self._selects.get(subset)
        if op is None:
            name = self.font.getSubsetInternalName(subset, self.doc)
            op = self._selects[subset] = name + self._select_tail
        return op

    def width(self, text: str) -> float:
        """Width of `text` in points, as `stringWidth` gives it."""
        return (self._memo.get(text) or self._encode(text))[0]

    def draw(self, y: float, cells: Iterable[tuple[float, float, str]]) -> None:
        """Draw `(x, anchor, text)` cells on the baseline `y` as one text object (BT..ET).

        The text starts at `x - anchor * width`: anchor 0 left-aligns at x, 1 right-aligns.
        """
        memo, origins = self._memo, self._origins
        tail = f" {fp_str(y)} Tm"  # fp_str(x, y) is fp_str(x), a space, fp_str(y)
        code = ["BT"]
        add = code.append
        current = -1
        for x, anchor, text in cells:
            width, pieces = memo.get(text) or self._encode(text)
            left = x - anchor * width if anchor else x
            origin = origins.get(left)
            if origin is None:
                origin = origins[left] = f"1 0 0 1 {fp_str(left)}"
            add(origin + tail)
            if not pieces:  # what textOut writes for an empty text: an empty operator
                add("")
            elif len(pieces) == 1 and pieces[0][0] == current:
                add(pieces[0][1])
            else:
                ops = []
                for subset, op in pieces:
                    if subset != current:
                        ops.append(self._select(subset))
                        current = subset
                    ops.append(op)
                add(" ".join(ops))
        add("ET")
        self.canv.addLiteral(" ".join(code))


class CellTexts:
    """The `CellText` of each font for the canvas being drawn on, shared by a document's pages."""

    def __init__(self, size: float, leading: float) -> None:
        self.size = size
        self.leading = leading
        self._canvas: Canvas | None = None
        self._by_font: dict[str, CellText] = {}

    def get(self, canv: Canvas, font_name: str) -> CellText:
        """The writer for `font_name` on `canv`; a new canvas (a new document) starts afresh."""
        if canv is not self._canvas:
            self._canvas = canv
            self._by_font = {}
        writer = self._by_font.get(font_name)
        if writer is None:
            writer = self._by_font[font_name] = CellText(canv, font_name, self.size, self.leading)
        return writer
