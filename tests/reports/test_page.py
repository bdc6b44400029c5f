"""A4 letter template: dates, window-envelope address block, fold marks, footer, fonts."""

import dataclasses
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from reports.letters import render_letter
from reports.page import (
    FOLD_MARKS_MM,
    WINDOW,
    Window,
    legal_identity,
    long_date_fr,
    place_date_line,
)
from tests.reports.conftest import COMPANY, INVOICE, MM, RECIPIENT

ROOT = Path(__file__).resolve().parents[2]


def first_page(pdf: bytes) -> pdfplumber.page.Page:
    return pdfplumber.open(io.BytesIO(pdf)).pages[0]


def test_long_date_fr():
    assert long_date_fr(dt.date(2026, 11, 23)) == "23 novembre 2026"
    assert long_date_fr(dt.date(2026, 12, 1)) == "1er décembre 2026"
    assert long_date_fr(dt.date(2025, 8, 15)) == "15 août 2025"
    assert long_date_fr(dt.date(2025, 2, 2)) == "2 février 2025"


def test_place_date_line():
    assert place_date_line("Paris", dt.date(2026, 11, 23)) == "Paris, le 23 novembre 2026"
    assert place_date_line("", dt.date(2026, 11, 23)) == "Le 23 novembre 2026"


def test_window_zone_is_la_poste_dl_zone():
    assert Window(left=110, top=54, right=190, bottom=84) == WINDOW
    assert FOLD_MARKS_MM == (99, 198)


def test_legal_identity():
    assert legal_identity(COMPANY) == (
        "Atelier Exemple SARL · SARL au capital de 8 000 € · SIRET 812 345 678 00021 · "
        "RCS Paris 812 345 678 · TVA intracommunautaire FR45 812345678"
    )


def assert_inside(match: dict, window: Window) -> None:
    assert match["x0"] >= window.left * MM, match["text"]
    assert match["x1"] <= window.right * MM, match["text"]
    assert match["top"] >= window.top * MM, match["text"]
    assert match["bottom"] <= window.bottom * MM, match["text"]


WIDE = (
    "SOCIETE WAGNER MAINTENANCE MECANIQUE W",
    "MME WILHELMINE MWANGI DIRECTION ACHATS",
    "BATIMENT W2 PARC D ACTIVITES DU MOULIN",
    "1234 BOULEVARD DU MARECHAL MAC MAHON W",
    "ZONE INDUSTRIELLE DE MONTMORENCY WEST",
    "95000 MONTMORENCY WILLEMS MAUBEUGE WW",
)


@pytest.mark.parametrize("recipient", [RECIPIENT, WIDE, ("Boulangerie Martin", "69002 LYON")])
def test_every_line_of_the_address_lies_inside_the_window(make_letter, recipient):
    assert all(len(line) <= 38 for line in recipient)
    page = first_page(render_letter(make_letter(recipient=recipient)))
    for line in recipient:
        matches = page.search(line, regex=False)
        assert len(matches) == 1, line
        assert_inside(matches[0], WINDOW)
    sizes = {
        round(c["size"], 1)
        for c in page.chars
        if c["text"] in "".join(recipient)
        and c["top"] >= WINDOW.top * MM
        and c["bottom"] <= WINDOW.bottom * MM
    }
    assert min(sizes) >= 9  # La Poste: 9 to 12 pt


def test_nothing_but_the_address_shows_in_the_window(make_letter):
    page = first_page(render_letter(make_letter()))
    box = (WINDOW.left * MM, WINDOW.top * MM, WINDOW.right * MM, WINDOW.bottom * MM)
    inside = [w["text"] for w in page.crop(box).extract_words()]
    assert " ".join(inside) == " ".join(RECIPIENT)


def test_window_is_configurable(make_letter):
    window = Window(left=20, top=50, right=100, bottom=85)
    page = first_page(render_letter(make_letter(registered=False), window=window))
    for line in RECIPIENT:
        assert_inside(page.search(line, regex=False)[0], window)


def test_registered_mention_sits_above_the_window(make_letter):
    page = first_page(render_letter(make_letter()))
    title = page.search("Lettre recommandée avec accusé de réception", regex=False)[0]
    number = page.search("N° : 1A 198 765 4321 0", regex=False)[0]
    for found in (title, number):
        assert found["bottom"] < WINDOW.top * MM
        assert found["x0"] >= WINDOW.left * MM - 0.5


def test_registered_without_number_prints_a_blank_field(make_letter):
    text = first_page(render_letter(make_letter(registered_number=""))).extract_text()
    assert "N° : ____" in text


def test_ordinary_letter_has_no_registered_mention(make_letter):
    text = first_page(
        render_letter(make_letter(kind="reminder_1", registered=False))
    ).extract_text()
    assert "recommandée" not in text


def test_fold_marks_on_the_left_edge(make_letter):
    page = first_page(render_letter(make_letter()))
    marks = [e for e in page.lines if e["x1"] <= 12 * MM and abs(e["top"] - e["bottom"]) < 1]
    assert sorted(round(m["top"] / MM) for m in marks) == [99, 198]


def test_letterhead_top_left(make_letter):
    page = first_page(render_letter(make_letter()))
    for text in (
        "Atelier Exemple SARL",
        "SARL au capital de 8 000 €",
        "75011 PARIS",
        "Tél. 01 43 55 12 34",
        "compta@atelier-exemple.fr",
    ):
        found = page.search(text, regex=False)
        assert found, text
        assert found[0]["x1"] < WINDOW.left * MM
        assert found[0]["bottom"] < WINDOW.bottom * MM


def test_footer_and_page_numbers_on_every_page(make_letter, pdf_pages):
    invoices = tuple(dataclasses.replace(INVOICE, number=f"F2025-{n:04d}") for n in range(1, 81))
    pages = pdf_pages(render_letter(make_letter(lines=invoices)))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number}/{len(pages)}" in text
        assert "SIRET 812 345 678 00021" in text
        assert "RCS Paris 812 345 678" in text
        assert "N° facture" in text  # the invoice table's header row repeats
    assert "(suite)" in pages[1]


def test_logo_is_drawn_and_a_broken_logo_is_ignored(make_letter, tmp_path):
    from PIL import Image as PILImage

    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (300, 100), (30, 60, 120)).save(logo)
    company = dataclasses.replace(COMPANY, logo_path=str(logo))
    page = first_page(render_letter(make_letter(company=company)))
    assert len(page.images) == 1
    image = page.images[0]
    assert image["x0"] < 30 * MM
    assert image["top"] < 40 * MM
    broken = tmp_path / "broken.png"
    broken.write_text("pas une image")
    company = dataclasses.replace(COMPANY, logo_path=str(broken))
    assert (
        "Atelier Exemple SARL"
        in first_page(render_letter(make_letter(company=company))).extract_text()
    )


def test_only_embedded_dejavu_fonts(make_letter):
    page = first_page(render_letter(make_letter()))
    assert {c["fontname"].split("+")[-1] for c in page.chars} <= {
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSans-Oblique",
    }


def test_reports_import_no_pyside6():
    code = (
        "import reports.letters, reports.aged_balance, reports.samples, models.address\n"
        "import sys\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
