"""Ctrl+P prints the view in front: a list as a table (title, date, totals), a PDF as itself.

Print and export are two things (issue 14): Ctrl+E writes the CSV/XLSX (ui/csv_export.py);
here the QPrintPreviewDialog shows what the printer will get, with its own Imprimer button.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from ui.ops import tr
from ui.pdf_preview import HAS_QTPDF, LoadedPdf, poppler_images

PRINT_DPI = 200  # a PDF page drawn on the printer: sharp enough for text, quick to render


@dataclass
class PrintTable:
    """A list as printed: its title, the day it is as of, its columns, rows and totals."""

    title: str
    as_of: dt.date
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    totals: Sequence[str] = field(default_factory=list)  # lines under the table
    right: frozenset[int] = frozenset()  # columns aligned right (amounts, days)


def model_table(model: QAbstractItemModel) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a flat Qt model as shown (filtered and sorted)."""
    display = Qt.ItemDataRole.DisplayRole
    columns = range(model.columnCount())
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal, display) or "") for c in columns]
    rows = [
        [str(model.index(r, c, QModelIndex()).data(display) or "") for c in columns]
        for r in range(model.rowCount())
    ]
    return headers, rows


def table_html(table: PrintTable) -> str:
    """The table as HTML for a QTextDocument (escaped: names come from the user)."""

    def cell(tag: str, text: str, col: int) -> str:
        align = ' align="right"' if col in table.right else ""
        return f"<{tag}{align}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", h, c) for c, h in enumerate(table.headers))
    body = "".join(
        "<tr>" + "".join(cell("td", t, c) for c, t in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    totals = "".join(f"<p><b>{html.escape(line)}</b></p>" for line in table.totals)
    when = tr("au {d}").format(d=f"{table.as_of:%d/%m/%Y}")
    return (
        f"<h2>{html.escape(table.title)}</h2><p>{html.escape(when)}</p>"
        '<table border="1" cellspacing="0" cellpadding="3" width="100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{totals}"
    )


def table_document(table: PrintTable) -> QTextDocument:
    """A QTextDocument holding the table, ready for a printer."""
    doc = QTextDocument()
    doc.setDefaultStyleSheet("th { background: #e8e8e8; } td, th { font-size: 9pt; }")
    doc.setHtml(table_html(table))
    return doc


def a4_printer(landscape: bool = False) -> QPrinter:
    """An A4 printer (French paper), portrait or landscape."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    layout = QPageLayout.Orientation
    printer.setPageOrientation(layout.Landscape if landscape else layout.Portrait)
    return printer


def paint_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Draw a PDF's pages on the printer, one per sheet; the number of pages drawn."""
    images = []
    if HAS_QTPDF:
        loaded = LoadedPdf(pdf)
        images = [loaded.page_image(p, PRINT_DPI) for p in range(loaded.page_count())]
        loaded.close()
    if not images:
        images = poppler_images(pdf, PRINT_DPI)
    painter = QPainter()
    if not images or not painter.begin(printer):
        return 0
    for n, image in enumerate(images):
        if n:
            printer.newPage()
        page = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
        page.moveTo(0, 0)
        scaled = image.size().scaled(page.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawImage(QRectF(page.topLeft(), scaled.toSizeF()), image)
    painter.end()
    return len(images)


def preview_table(parent: QWidget | None, table: PrintTable) -> QPrintPreviewDialog:
    """A print preview of the table (landscape when it is wide), opened window-modal."""
    doc = table_document(table)
    printer = a4_printer(landscape=len(table.headers) > 5)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimer : {t}").format(t=table.title))
    dialog.paintRequested.connect(doc.print_)
    # The dialog does not own them: kept alive as long as it is (else Qt reads freed memory).
    dialog.kept = (printer, doc)  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def preview_pdf(parent: QWidget | None, title: str, pdf: bytes) -> QPrintPreviewDialog:
    """A print preview of a PDF made by reports/ (the aged balance prints as its PDF)."""
    printer = a4_printer(landscape=True)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimer : {t}").format(t=title))
    dialog.paintRequested.connect(lambda target: paint_pdf(target, pdf))
    dialog.kept = printer  # type: ignore[attr-defined]  # the dialog does not own it
    dialog.open()
    return dialog
