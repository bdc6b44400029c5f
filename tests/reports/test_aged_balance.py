"""Aged balance PDF: landscape table per client, repeated header, totals, chart, page numbers."""

import datetime as dt
import io
from decimal import Decimal

import pdfplumber
from reportlab.pdfbase import pdfmetrics

from models.law.aging import AgedBalance, AgedRow, Buckets
from reports.aged_balance import MARGIN, ROWS_PER_PAGE, column_widths, render_aged_balance
from reports.fonts import FONT, register_fonts

D = Decimal
AS_OF = dt.date(2025, 6, 30)


DSO = D("52")


def balance(rows: list[AgedRow], dso: Decimal | None = DSO) -> AgedBalance:
    totals = tuple(sum((r.amounts[i] for r in rows), D("0.00")) for i in range(5))
    return AgedBalance(
        AS_OF,
        Buckets(),
        tuple(rows),
        totals,
        sum(totals, D("0.00")),
        sum(totals[1:], D("0.00")),
        dso,
    )


def row(client_id: int, name: str, amounts: tuple[str, ...], dso: str | None = "30") -> AgedRow:
    cents = tuple(int(D(a) * 100) for a in amounts)
    return AgedRow(
        client_id,
        name,
        cents,
        None,
        None if dso is None else D(dso),
        sum(1 for c in cents if c),
    )


SMALL = balance(
    [
        row(1, "Boulangerie Martin", ("120.00", "0", "0", "0", "0"), "18"),
        row(2, "Dupont & Fils <SARL>", ("0", "950.00", "0", "0", "3120.00"), "88.5"),
        row(3, "Hôtel du Lac d'Annecy", ("15600.00", "0", "7200.00", "0", "0"), None),
        row(4, "Menuiserie Durand & Fils", ("0", "0", "1460.00", "10000.00", "0"), "62"),
    ]
)


def test_small_balance_shows_every_figure(pdf_text):
    pdf = render_aged_balance(SMALL, "Atelier Exemple SARL")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        assert page.width > page.height  # landscape
    text = pdf_text(pdf)
    assert "Balance âgée au 30 juin 2025" in text
    assert "Atelier Exemple SARL" in text
    assert "Client Non échu 1-30 j 31-60 j 61-90 j > 90 j Total Échu DSO (j)" in text
    assert "Boulangerie Martin 120,00 – – – – 120,00 – 18" in text
    assert "Dupont & Fils <SARL> – 950,00 – – 3 120,00 4 070,00 4 070,00 89" in text
    assert "Hôtel du Lac d'Annecy 15 600,00 – 7 200,00 – – 22 800,00 7 200,00 –" in text
    assert (
        "Total (4 clients) 15 720,00 950,00 8 660,00 10 000,00 3 120,00 38 450,00 22 730,00 52"
        in text
    )
    assert "Montants dus par ancienneté" in text
    for label in ("15 720,00 €", "950,00 €", "8 660,00 €", "10 000,00 €", "3 120,00 €"):
        assert label in text  # bars labelled with their amounts
    assert "Total dû : 38 450,00 €" in text
    assert "Page 1/1" in text


def test_header_repeats_and_every_client_appears_once(pdf_pages):
    rows = [row(i, f"Client {i:04d}", ("100.00", "0", "0", "0", "25.50")) for i in range(250)]
    pages = pdf_pages(render_aged_balance(balance(rows), "Atelier Exemple SARL"))
    assert len(pages) >= 250 // ROWS_PER_PAGE
    for number, text in enumerate(pages, start=1):
        assert "Balance âgée au 30 juin 2025" in text
        assert f"Page {number}/{len(pages)}" in text
        if "Client 0" in text:
            assert "Client Non échu 1-30 j" in text
    everything = "\n".join(pages)
    assert all(everything.count(f"Client {i:04d} ") == 1 for i in range(250))
    assert "Total (250 clients) 25 000,00 – – – 6 375,00 31 375,00 6 375,00 52" in everything


def test_empty_balance_still_renders(pdf_text):
    text = pdf_text(render_aged_balance(balance([], dso=None), "Atelier Exemple SARL"))
    assert "Total (0 client)" in text
    assert "DSO : – j" in text


def test_long_client_names_are_cut_to_their_column():
    name = "Société Coopérative Ouvrière de Production des Artisans du Bâtiment de Bourgogne"
    pdf = render_aged_balance(balance([row(1, name, ("1.00", "0", "0", "0", "0"))]), "Atelier")
    client_column_end = MARGIN + column_widths(5)[0]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        (cut,) = page.search("Société Coopérative", regex=False)
        line = sorted(
            (c for c in page.chars if abs(c["top"] - cut["top"]) < 1), key=lambda c: c["x0"]
        )
    assert name not in text
    assert "Société Coopérative Ouvrière de Produc" in text
    ellipsis = next(i for i, c in enumerate(line) if c["text"] == "…")
    assert line[ellipsis]["x1"] < client_column_end <= line[ellipsis + 1]["x0"]


def test_only_embedded_dejavu_fonts():
    pdf = render_aged_balance(SMALL, "Atelier Exemple SARL")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        fonts = {c["fontname"].split("+")[-1] for p in doc.pages for c in p.chars}
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}


def test_names_beyond_one_font_subset_read_back_and_amounts_stay_right_aligned(pdf_pages):
    """400 distinct rare letters (a TrueType subset holds 256) over pages sharing their codes."""
    register_fonts()
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    letters = [chr(c) for c in range(0x100, 0x2000) if c in glyphs and chr(c).isalpha()][:400]
    names = ["".join(letters[i : i + 8]) for i in range(0, 400, 8)]
    rows = [row(i, n, ("0", "1234.50", "0", "0", "7.00")) for i, n in enumerate(names)]
    pdf = render_aged_balance(balance(rows), "Atelier Exemple SARL")
    pages = pdf_pages(pdf)
    assert len(pages) >= 2  # the second page reuses codes the first one gave
    everything = "\n".join(pages)
    for name in names:
        assert everything.count(f"{name} – 1 234,50 – – 7,00 1 241,50 1 241,50 30") == 1
    widths = column_widths(5)
    rights = [MARGIN + sum(widths[: k + 1]) - 3 for k in range(1, len(widths))]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = [w for p in doc.pages for w in p.extract_words() if w["text"] == "241,50"]
    assert len(words) == 2 * len(names)  # Total and Échu of every client
    assert all(min(abs(w["x1"] - r) for r in rights) < 0.01 for w in words)
