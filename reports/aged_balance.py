"""The aged balance report (balance âgée): one row per client, totals and a bar chart."""

from __future__ import annotations

import io
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
)

from models.law.aging import AgedBalance, AgedRow
from models.money import format_eur
from reports.base import (
    HEADER_BG,
    INK,
    MUTED,
    RULE,
    TOTAL_BG,
    ZEBRA,
    NumberedCanvas,
    long_date_fr,
)
from reports.cell_text import CellTexts
from reports.fonts import FONT, FONT_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15 * mm
TABLE_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_TOP = 31 * mm  # below the page header, from the page top
FRAME_BOTTOM = 18 * mm
FRAME_HEIGHT = PAGE_HEIGHT - FRAME_TOP - FRAME_BOTTOM
HEADER_ROW = 15.0  # points
ROW = 11.0  # points; fixed so no cell is measured: 10,000 rows lay out in a few seconds
FONT_SIZE = 7.5
CELL_PADDING = 3.0
ROWS_PER_PAGE = int((FRAME_HEIGHT - HEADER_ROW) // ROW)
NIL = "–"
PAD_V = 1.0  # top and bottom padding of a cell

# From not due to long overdue: neutral, then yellow to red (DESIGN.md stage colours).
BUCKET_COLOURS = ("#9fb3c8", "#f2d16b", "#f0a04b", "#e0703a", "#c0392b")


def render_aged_balance(ab: AgedBalance, company_name: str) -> bytes:
    """The aged balance as a landscape A4 PDF; the header row repeats on every page."""
    register_fonts()
    out = io.BytesIO()
    title = f"Balance âgée au {long_date_fr(ab.as_of)}"
    doc = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=FRAME_TOP,
        bottomMargin=FRAME_BOTTOM,
        title=title,
        author=company_name,
        creator="Relance",
        lang="fr-FR",
        initialFontName=FONT,
    )
    frame = Frame(
        MARGIN,
        FRAME_BOTTOM,
        TABLE_WIDTH,
        FRAME_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def decorate(canv: Canvas, _doc: Any) -> None:
        _draw_header(canv, ab, title, company_name)
        _draw_footer(canv, title, company_name)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    story: list[Flowable] = [*_tables(ab), Spacer(1, 8 * mm), bucket_chart(ab)]
    doc.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


def column_widths(bucket_count: int) -> list[float]:
    """Client, one column per bucket, Total, Échu, DSO: the client gets what is left."""
    dso = 16 * mm
    amounts = bucket_count + 2
    amount = min(27 * mm, (TABLE_WIDTH - dso - 55 * mm) / amounts)
    client = TABLE_WIDTH - dso - amounts * amount
    return [client, *([amount] * amounts), dso]


def _money(amount: Decimal) -> str:
    return format_eur(amount, symbol="") if amount else NIL


def _clients(count: int) -> str:
    return f"{count} client" if count < 2 else f"{count} clients"  # French: 0 and 1 singular


def _days(dso: Decimal | None) -> str:
    return NIL if dso is None else str(dso.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _fit(text: str, width: float) -> str:
    """Cut a client name with an ellipsis so that it fits its cell."""
    room = width - 2 * CELL_PADDING
    if stringWidth(text, FONT, FONT_SIZE) <= room:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", FONT, FONT_SIZE) <= room:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


class _Amounts(dict[int, str]):
    """Cell text of an amount in cents, made once per distinct amount ("–" repeats most)."""

    def __missing__(self, cents: int) -> str:
        text = self[cents] = format_eur(cents, cents=True, symbol="") if cents else NIL
        return text


def _row(row: AgedRow, client_width: float, amounts: _Amounts) -> list[str]:
    """A client's cells, from its integer cents: buckets, total, overdue (all but "not due")."""
    return [
        _fit(row.client, client_width),
        *[amounts[c] for c in row.cents],
        amounts[row.total_cents],
        amounts[row.overdue_cents],
        _days(row.dso),
    ]


def _tables(ab: AgedBalance) -> list[Flowable]:
    """One table per page, each with its header row; sized so no table ever needs splitting."""
    widths = column_widths(len(ab.buckets.labels()))
    header = ["Client", *ab.buckets.labels(), "Total", "Échu", "DSO (j)"]
    amounts = _Amounts()
    body = [_row(r, widths[0], amounts) for r in ab.rows]
    totals = [
        f"Total ({_clients(len(ab.rows))})",
        *(_money(t) for t in ab.totals),
        _money(ab.total),
        _money(ab.overdue),
        _days(ab.dso),
    ]
    body.append(totals)
    chunks = math.ceil(len(body) / ROWS_PER_PAGE)
    texts = CellTexts(FONT_SIZE, FONT_SIZE + 2)
    story: list[Flowable] = []
    for i in range(chunks):
        rows = body[i * ROWS_PER_PAGE : (i + 1) * ROWS_PER_PAGE]
        if i:
            story.append(PageBreak())
        story.append(PageTable(header, rows, widths, total_row=i == chunks - 1, texts=texts))
    return story


class PageTable(Flowable):  # type: ignore[misc]
    """One page of the aged balance drawn with plain canvas calls.

    It looks exactly like a Platypus Table styled with `grid_style` (bold shaded header, zebra
    rows, thin rules, amounts right-aligned, Total column set apart, bold totals row), in the
    same drawing order; the Table object applied its style cell by cell (800,000 style calls
    for 10,000 clients), which was most of the report's time.
    """

    def __init__(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float],
        total_row: bool,
        texts: CellTexts | None = None,
    ) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.total_row = total_row
        # The pages of one document share their encoded texts (reports/cell_text.py).
        self.texts = texts or CellTexts(FONT_SIZE, FONT_SIZE + 2)
        self.xs = [sum(widths[:i]) for i in range(len(widths) + 1)]
        # Where each cell's text is anchored: the client at its left, the amounts at their right.
        self.cell_xs = [self.xs[0] + CELL_PADDING, *(x - CELL_PADDING for x in self.xs[2:])]
        self.anchors = [0.0, *([1.0] * (len(widths) - 1))]
        self.width = self.xs[-1]
        self.height = HEADER_ROW + ROW * len(rows)
        self.hAlign = "LEFT"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Fixed size: column widths and row heights are given."""
        return self.width, self.height

    def draw(self) -> None:
        """Backgrounds, then the cells row by row, then the rules (the Table's order)."""
        canv = self.canv
        width, top = self.width, self.height
        last = len(self.rows) - 1
        canv.saveState()
        canv.setFillColor(HEADER_BG)
        canv.rect(0, top, width, -HEADER_ROW, stroke=0, fill=1)
        y = top - HEADER_ROW
        for i in range(len(self.rows)):
            canv.setFillColor(ZEBRA if i % 2 else colors.white)
            canv.rect(0, y, width, -ROW, stroke=0, fill=1)
            y -= ROW
        if self.total_row:
            canv.setFillColor(TOTAL_BG)
            canv.rect(0, ROW, width, -ROW, stroke=0, fill=1)
        canv.setFillColor(INK)
        self._cells(self.header, top - HEADER_ROW, HEADER_ROW, FONT_BOLD)
        y = top - HEADER_ROW
        for i, row in enumerate(self.rows):
            y -= ROW
            self._cells(row, y, ROW, FONT_BOLD if self.total_row and i == last else FONT)
        canv.saveState()
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(0, 0, width, 0)  # below the last row
        canv.line(0, top - HEADER_ROW, width, top - HEADER_ROW)  # below the header
        canv.setLineWidth(0.4)
        x = self.xs[-4]  # after the Total column
        canv.line(x, 0, x, top)
        if self.total_row:
            canv.setLineWidth(0.6)
            canv.line(0, ROW, width, ROW)
        canv.restoreState()
        canv.restoreState()

    def _cells(self, values: list[str], bottom: float, height: float, font: str) -> None:
        """One row's texts: vertically centred like the Table's MIDDLE; amounts right-aligned."""
        y = bottom + (PAD_V + height - PAD_V + FONT_SIZE + 2) / 2.0 - FONT_SIZE
        # One text object for the row, each distinct text encoded once per document
        # (reports/cell_text.py): 85,000 cells over 10,000 clients.
        self.texts.get(self.canv, font).draw(
            y, zip(self.cell_xs, self.anchors, values, strict=True)
        )


def _draw_header(canv: Canvas, ab: AgedBalance, title: str, company_name: str) -> None:
    top = PAGE_HEIGHT - 14 * mm
    right = PAGE_WIDTH - MARGIN
    canv.saveState()
    canv.setFillColor(INK)
    canv.setFont(FONT_BOLD, 14)
    canv.drawString(MARGIN, top, title)
    canv.setFont(FONT_BOLD, 10)
    canv.drawRightString(right, top, company_name)
    canv.setFont(FONT, 8)
    canv.setFillColor(MUTED)
    summary = [
        "Montants TTC en euros",
        _clients(len(ab.rows)),
        f"Total dû : {format_eur(ab.total)}",
        f"dont échu : {format_eur(ab.overdue)}",
        f"DSO : {_days(ab.dso)} j",
    ]
    canv.drawString(MARGIN, top - 5.5 * mm, "  ·  ".join(summary))
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(MARGIN, top - 8.5 * mm, right, top - 8.5 * mm)
    canv.restoreState()


def _draw_footer(canv: Canvas, title: str, company_name: str) -> None:
    y = 10 * mm
    canv.saveState()
    canv.setFont(FONT, 7.5)
    canv.setFillColor(MUTED)
    canv.drawString(MARGIN, y, f"{company_name} · {title}")
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.line(MARGIN, y + 3.5 * mm, PAGE_WIDTH - MARGIN, y + 3.5 * mm)
    canv.restoreState()
    canv.page_group = 0
    canv.page_number_at = (PAGE_WIDTH - MARGIN, y)


def _axis_label(value: float) -> str:
    """Value-axis tick: whole euros grouped the French way ('12 000')."""
    return format_eur(Decimal(round(value)), symbol="").removesuffix(",00")


def bucket_chart(ab: AgedBalance) -> Drawing:
    """Bar chart of the totals per bucket, each bar labelled with its amount."""
    width, height = 200 * mm, 80 * mm
    drawing = Drawing(width, height)
    drawing.add(
        String(
            0,
            height - 12,
            "Montants dus par ancienneté",
            fontName=FONT_BOLD,
            fontSize=10,
            fillColor=INK,
        )
    )
    chart = VerticalBarChart()
    chart.x, chart.y = 25 * mm, 10 * mm
    chart.width, chart.height = width - 30 * mm, height - 28 * mm
    # reportlab draws with floats: the Decimals become floats here, at the drawing boundary.
    values = [float(t) for t in ab.totals]
    chart.data = [values]
    chart.valueAxis.valueMin = 0
    if max(values, default=0) < 10:  # whole-euro ticks need some height to be distinct
        chart.valueAxis.valueMax = 10
        chart.valueAxis.valueStep = 2
    chart.valueAxis.labelTextFormat = _axis_label
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.categoryAxis.categoryNames = list(ab.buckets.labels())
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.strokeColor = RULE
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[format_eur(t) for t in ab.totals]]
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.nudge = 7
    chart.bars.strokeColor = None
    for i in range(len(values)):
        colour = BUCKET_COLOURS[min(i, len(BUCKET_COLOURS) - 1)]
        chart.bars[(0, i)].fillColor = colors.HexColor(colour)
    drawing.add(chart)
    return drawing
