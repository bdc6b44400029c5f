"""Ctrl+P prints the view in front, Ctrl+E exports it (issue 14): two things."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from models.money import format_eur
from tests.ui.conftest import TODAY
from ui.printing import a4_printer, paint_pdf, table_document
from ui.window.main import TAB_AGED, TAB_CLIENTS, MainWindow


@pytest.fixture
def window(qtbot, ops, data, tmp_path) -> MainWindow:
    win = MainWindow(ops, QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitUntil(lambda: win.invoices.has_data)
    return win


def pdf_text(printer_to_file) -> str:
    """Run `printer_to_file(printer)` on a PDF printer and read the text back."""
    printer = a4_printer(landscape=True)  # as the preview prints a wide list
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    buffer = io.BytesIO()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.pdf"
        printer.setOutputFileName(str(path))
        printer_to_file(printer)
        buffer.write(path.read_bytes())
    with pdfplumber.open(buffer) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_ctrl_p_previews_the_invoice_list_with_its_total(qtbot, window, ledger):
    """Rule: Ctrl+P prints (a preview of) the list: title, date and the total it owes."""
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert window.act_export.shortcut() == QKeySequence("Ctrl+E")
    window.act_print.trigger()
    assert isinstance(window.dialog, QPrintPreviewDialog)
    table = window.invoices.print_table()
    owed = format_eur(window.invoices.model.owed_cents(), cents=True)
    text = pdf_text(table_document(table).print_)
    assert "Factures" in text
    assert f"au {TODAY:%d/%m/%Y}" in text
    assert owed.replace("\u00a0", " ") in text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Boulangerie F-002" in text  # a row: the name (wrapped in its cell), the number


def test_ctrl_p_on_clients_prints_their_outstanding_total(qtbot, window, ledger):
    """Rule: the clients list prints with its count and total outstanding."""
    window.show_tab(TAB_CLIENTS)
    qtbot.waitUntil(lambda: window.clients_view.proxy.rowCount() > 0)
    table = window.clients_view.print_table()
    total = ledger.aged_balance(TODAY).total
    assert table.totals == [f"4 clients — encours : {format_eur(total)}"]
    window.print_view()
    assert isinstance(window.dialog, QPrintPreviewDialog)


def test_ctrl_p_on_the_aged_balance_prints_its_pdf(qtbot, window, ledger):
    """Rule: the aged balance prints as its PDF (reports/aged_balance), page by page."""
    from reports.aged_balance import render_aged_balance

    window.show_tab(TAB_AGED)
    window.print_view()
    assert isinstance(window.dialog, QPrintPreviewDialog)
    pdf = render_aged_balance(ledger.aged_balance(TODAY), "Test")
    printer = a4_printer(landscape=True)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(window.settings.fileName()) + ".pdf")
    assert paint_pdf(printer, pdf) >= 1
