"""The dossier PDF (issue 16): sections, stamped pieces, bordereau, décompte, outline, refusals."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from models.errors import InputError
from models.litigation.case import claim_file
from models.litigation.pieces import attach
from reports.dossier_pieces import build_dossier
from tests.models.litigation.conftest import AS_OF, make_claim
from tests.reports.conftest import pages_text

EML = (
    "From: compta@durand.fr\nTo: contact@atelier.fr\nSubject: Re: facture F-1\n"
    "Date: Mon, 5 Jan 2026 10:00:00 +0100\nContent-Type: text/plain; charset=utf-8\n\n"
    "Bonjour,\nNous réglerons la facture F-1 à la fin du mois.\n"
)


def two_page_pdf(path):
    cv = canvas.Canvas(str(path))
    cv.drawString(100, 700, "BON DE COMMANDE signé")
    cv.showPage()
    cv.drawString(100, 700, "Conditions page deux")
    cv.save()
    return path


@pytest.fixture
def dossier(tmp_path):
    """A claim with 4 pieces: a 2-page PDF, a PNG, a JPEG and an .eml (no notice letter)."""
    led, c = make_claim(tmp_path, notice=False)
    f1 = led.find_invoice("F-1")
    Image.new("RGB", (800, 600), (200, 220, 255)).save(tmp_path / "pv.png")
    Image.new("RGB", (600, 900), (255, 220, 200)).save(tmp_path / "bl.jpg")
    (tmp_path / "mail.eml").write_text(EML, encoding="utf-8")
    attach(
        led,
        two_page_pdf(tmp_path / "bc.pdf"),
        "bon de commande",
        AS_OF,
        invoice_id=f1.id,
        on=dt.date(2025, 9, 20),
    )
    attach(
        led,
        tmp_path / "pv.png",
        "PV de réception",
        AS_OF,
        invoice_id=f1.id,
        on=dt.date(2025, 10, 1),
    )
    attach(
        led, tmp_path / "bl.jpg", "bon de livraison", AS_OF, client_id=c, on=dt.date(2025, 10, 2)
    )
    attach(led, tmp_path / "mail.eml", "e-mail", AS_OF, client_id=c, on=dt.date(2026, 1, 5))
    out = tmp_path / "dossier.pdf"
    claim = claim_file(led, c, AS_OF)
    made = build_dossier(claim, out)
    yield led, claim, made, out.read_bytes()
    led.close()


def test_page_count_is_four_sections_plus_the_pieces_pages(dossier):
    """Cover + décompte + chronology + bordereau, then 2 + 1 + 1 + 1 piece pages."""
    _, _, made, pdf = dossier
    assert len(PdfReader(made.path).pages) == made.pages == 4 + 2 + 1 + 1 + 1
    assert made.piece_starts == (4, 6, 7, 8)
    texts = pages_text(pdf)
    assert texts[0].startswith("DOSSIER DE RECOUVREMENT")
    assert texts[1].startswith("Décompte au 1er mars 2026")
    assert texts[2].startswith("Chronologie des démarches")
    assert texts[3].startswith("Bordereau de pièces communiquées")


def test_every_piece_page_carries_its_stamp(dossier):
    """Issue 16: 'Pièce n° X' on each page of piece X (text extraction)."""
    _, _, _, pdf = dossier
    texts = pages_text(pdf)
    expected = {4: 1, 5: 1, 6: 2, 7: 3, 8: 4}
    for page, number in expected.items():
        assert re.findall(r"Pièce n° \d+", texts[page]) == [f"Pièce n° {number}"]
    assert all("Pièce n°" not in t for t in texts[:4])
    assert "BON DE COMMANDE signé" in texts[4]
    assert "Conditions page deux" in texts[5]
    assert "Nous réglerons la facture F-1" in texts[8]
    assert "Objet : Re: facture F-1" in texts[8]


def test_bordereau_numbers_match_the_stamps(dossier):
    """The bordereau's n° of each piece is the number stamped on that piece's pages."""
    _, claim, made, pdf = dossier
    texts = pages_text(pdf)
    listed = dict(re.findall(r"^(\d+) (\S+\.\w+)", texts[3], flags=re.MULTILINE))
    assert listed == {"1": "bc.pdf", "2": "pv.png", "3": "bl.jpg", "4": "mail.eml"}
    for number, start in enumerate(made.piece_starts, start=1):
        assert f"Pièce n° {number}" in texts[start]
        assert claim.pieces[number - 1].title == listed[str(number)]


def test_decompte_total_is_interest_plus_principal_to_the_cent(dossier):
    """The décompte's total = Σ ledger.interest(...).total_due (principal, penalties, 40 €)."""
    led, _, _, pdf = dossier
    text = pages_text(pdf)[1]
    found = re.search(r"Total réclamé au 01/03/2026 ([\d ]+,\d{2}) €", text)
    printed = Decimal(found.group(1).replace(" ", "").replace(",", "."))
    expected = sum(led.interest(n, AS_OF).total_due for n in ("F-1", "F-2"))
    assert printed == expected == Decimal("2780.66")
    # C. com. L441-10 II: each half-year segment with its days and rate.
    assert "Pénalités de retard du 01/11/2025 au" in text
    assert "19 2 400,00 € 12,15 % 15,18 €" in text  # 2,400 x 12.15 % x 19 / 365 = 15.18


def test_outline_has_one_entry_per_piece(dossier):
    """Bookmarks: the four sections, then 'Pièces' with one child per piece at its page."""
    _, _, made, _ = dossier
    reader = PdfReader(made.path)
    outline = reader.outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert titles == ["Page de garde", "Décompte", "Chronologie", "Bordereau de pièces", "Pièces"]
    children = outline[-1]
    assert [c.title for c in children] == [
        "Pièce n° 1 — bc.pdf",
        "Pièce n° 2 — pv.png",
        "Pièce n° 3 — bl.jpg",
        "Pièce n° 4 — mail.eml",
    ]
    assert [reader.get_destination_page_number(c) for c in children] == list(made.piece_starts)


def test_cover_shows_creditor_debtor_siren_claim_and_prescription(dossier):
    """Issue 16 §3, §6: the cover names both parties, the SIREN, the claim, the prescription."""
    _, _, _, pdf = dossier
    cover = pages_text(pdf)[0]
    assert "Atelier Exemple SARL" in cover
    assert "Durand Bâtiment SAS" in cover
    assert "SIREN 552100554" in cover
    assert "Créance de 2 780,66 € au 01/03/2026" in cover
    assert "Prescription le 19/11/2030" in cover


def _failing_dossier(tmp_path, make_bad):
    led, c = make_claim(tmp_path, notice=False)
    bad = make_bad(tmp_path / "contrat.pdf")
    attach(led, bad, "devis signé", AS_OF, client_id=c)
    out = tmp_path / "out" / "dossier.pdf"
    out.parent.mkdir()
    with pytest.raises(InputError) as err:
        build_dossier(claim_file(led, c, AS_OF), out)
    led.close()
    assert list(out.parent.iterdir()) == []  # nothing written, no temporary file left
    return str(err.value)


def test_corrupt_pdf_piece_is_named_and_nothing_written(tmp_path):
    """A damaged PDF: a French message naming the piece; no dossier, not even half."""

    def corrupt(path):
        path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer garbage")
        return path

    message = _failing_dossier(tmp_path, corrupt)
    assert message.startswith("pièce n° 1 « contrat.pdf »")
    assert "PDF illisible ou endommagé" in message
    assert message.endswith("dossier non créé")


def test_encrypted_pdf_piece_is_named_and_nothing_written(tmp_path):
    """A password-protected PDF: said so, by name; no dossier."""

    def encrypted(path):
        w = PdfWriter(clone_from=two_page_pdf(tmp_path / "clair.pdf"))
        w.encrypt("secret", algorithm="AES-128")
        w.write(path)
        return path

    message = _failing_dossier(tmp_path, encrypted)
    assert "« contrat.pdf »" in message
    assert "protégé par un mot de passe" in message


def test_a_rotated_page_gets_its_stamp_upright(tmp_path):
    """A scan saved with /Rotate 90: the content is turned, the stamp stays at the top."""
    led, c = make_claim(tmp_path, notice=False)
    w = PdfWriter(clone_from=two_page_pdf(tmp_path / "scan.pdf"))
    w.pages[0].rotate(90)
    w.write(tmp_path / "tourne.pdf")
    attach(led, tmp_path / "tourne.pdf", "bon de livraison", AS_OF, client_id=c)
    made = build_dossier(claim_file(led, c, AS_OF), tmp_path / "d.pdf")
    led.close()
    page = PdfReader(made.path).pages[made.piece_starts[0]]
    assert page.rotation == 0
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape as it is read
    assert "Pièce n° 1" in page.extract_text()


def test_an_office_document_gets_a_page_saying_it_is_handed_over_as_a_file(tmp_path):
    """A .docx cannot be reproduced: one stamped page names it and points to the ZIP."""
    led, c = make_claim(tmp_path, notice=False)
    (tmp_path / "devis.docx").write_bytes(b"PK\x03\x04 pas un vrai docx")
    attach(led, tmp_path / "devis.docx", "devis signé", AS_OF, client_id=c)
    made = build_dossier(claim_file(led, c, AS_OF), tmp_path / "d.pdf")
    led.close()
    text = " ".join(pages_text(made.path.read_bytes())[-1].split())
    assert made.pages == 5
    assert "Pièce n° 1" in text
    assert "devis.docx" in text
    assert "remis tel quel avec le dossier (archive ZIP)" in text


def test_chronology_says_who_recorded_each_step(tmp_path, monkeypatch):
    """Issue 18: on a ledger several people use, the chronology names who noted each step."""
    monkeypatch.setenv("RELANCE_USER", "Hélène Testard")
    led, c = make_claim(tmp_path)
    claim = claim_file(led, c, AS_OF)
    assert {e.by for e in claim.chronology} == {"Hélène Testard"}
    out = tmp_path / "dossier.pdf"
    build_dossier(claim, out)
    page = next(t for t in pages_text(out.read_bytes()) if "Chronologie des démarches" in t)
    assert "Détail Par" in page
    assert page.count("Hélène") == len(claim.chronology)  # the name wraps in its cell
    led.close()
