"""Reading e-invoice files: Factur-X PDF, UBL and CII XML to the cent; refusals name the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from models.einvoice.invoice import CII, FACTURX, UBL, Buyer, RefusedError
from models.einvoice.read import read_invoice, read_invoices
from tests.models.einvoice.samples import (
    Sample,
    cii_xml,
    facturx_pdf,
    plain_pdf,
    ubl_xml,
    write,
)

BUYER = Buyer(
    name="Durand Bâtiment SAS",
    siren="552100554",
    siret="55210055400013",
    street="3 rue des Lilas",
    locality="ZI des Forges",
    postal_code="69003",
    city="Lyon",
    email="compta@durand-batiment.fr",
)


def refusal(path: Path) -> str:
    """The French sentence(s) a file is refused with."""
    with pytest.raises(RefusedError) as caught:
        read_invoice(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "make", "fmt"),
    [("f.pdf", facturx_pdf, FACTURX), ("f.xml", ubl_xml, UBL), ("c.xml", cii_xml, CII)],
)
def test_each_syntax_reads_the_same_invoice_to_the_cent(tmp_path, name, make, fmt) -> None:
    inv = read_invoice(write(tmp_path, name, make(Sample())))
    assert inv.format == fmt
    assert (inv.number, inv.issue_date, inv.due_date) == (
        "FX-2025-0042",
        dt.date(2025, 11, 14),
        dt.date(2025, 12, 14),
    )
    assert inv.buyer == BUYER
    assert (inv.amount_ht, inv.vat, inv.amount_ttc, inv.prepaid) == (
        Decimal("1234.56"),
        Decimal("246.91"),
        Decimal("1481.47"),
        Decimal("0.00"),
    )
    assert (inv.payment_terms, inv.order_reference) == (
        "Paiement à 30 jours par virement",
        "BC-7781",
    )


def test_the_pdf_really_is_a_pdf_carrying_the_xml(tmp_path) -> None:
    from pypdf import PdfReader

    path = write(tmp_path, "facture.pdf", facturx_pdf())
    reader = PdfReader(path)
    assert "Facture FX-2025-0042" in reader.pages[0].extract_text()
    assert [a.name for a in reader.attachment_list] == ["factur-x.xml"]


def test_no_due_date_and_a_deposit(tmp_path) -> None:
    sample = Sample(due="", prepaid=Decimal("400.00"))
    inv = read_invoice(write(tmp_path, "acompte.xml", cii_xml(sample)))
    assert (inv.due_date, inv.prepaid) == (None, Decimal("400.00"))


def test_a_plain_pdf_is_refused_naming_the_file(tmp_path) -> None:
    path = write(tmp_path, "scan-facture.pdf", plain_pdf())
    assert refusal(path) == (
        "scan-facture.pdf : PDF sans facture électronique : aucune facture XML jointe "
        "(ce n'est pas une facture Factur-X ou ZUGFeRD)"
    )


def test_malformed_xml_is_refused_naming_the_file(tmp_path) -> None:
    path = write(tmp_path, "coupée.xml", cii_xml()[:900])
    assert refusal(path).startswith("coupée.xml : XML mal formé (ligne ")


def test_entities_are_never_expanded(tmp_path) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Invoice>&lol2;</Invoice>'
    )
    assert "déclaration DOCTYPE ou ENTITY refusée" in refusal(write(tmp_path, "b.xml", bomb))
    outside = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert "refusée" in refusal(write(tmp_path, "x.xml", outside))


def test_each_bad_field_is_named(tmp_path) -> None:
    bad = Sample(ttc=Decimal("1500.00"), due="2025-10-01", siren="552100555")
    message = refusal(write(tmp_path, "fausse.xml", ubl_xml(bad)))
    assert "fausse.xml : SIREN de l'acheteur : « 552100555 » n'est pas un SIREN valide" in message
    total = "fausse.xml : total TTC : 1 500,00 € ≠ total HT 1 234,56 € + TVA 246,91 €"
    assert total.replace(" €", "\u00a0€").replace("1 ", "1\u00a0") in message
    assert (
        "fausse.xml : date d'échéance : 01/10/2025 antérieure à la date de facture (14/11/2025)"
        in message
    )


def test_a_credit_note_or_another_currency_is_not_a_debt(tmp_path) -> None:
    assert "avoir (code 381)" in refusal(
        write(tmp_path, "avoir.xml", cii_xml(Sample(type_code="381")))
    )
    assert "avoir UBL (CreditNote)" in refusal(
        write(tmp_path, "avoir-ubl.xml", ubl_xml(Sample(type_code="381"), root="CreditNote"))
    )
    assert "devise : USD : Relance ne suit que des factures en euros" in refusal(
        write(tmp_path, "usd.xml", ubl_xml(Sample(currency="USD")))
    )


def test_other_files_are_named(tmp_path) -> None:
    assert refusal(write(tmp_path, "x.xml", b"<note><to>Tove</to></note>")) == (
        "x.xml : ce XML n'est pas une facture UBL ou CII (élément racine « note »)"
    )
    assert refusal(write(tmp_path, "f.csv", b"Client;Montant\n")) == (
        "f.csv : ni un PDF Factur-X ni un fichier XML (UBL ou CII) : format inconnu"
    )
    assert refusal(write(tmp_path, "vide.xml", b"")) == "vide.xml : fichier vide"
    assert refusal(tmp_path / "absent.pdf").startswith("absent.pdf : fichier introuvable")


def test_read_invoices_keeps_each_file_apart(tmp_path) -> None:
    good = write(tmp_path, "a.xml", cii_xml())
    bad = write(tmp_path, "b.pdf", plain_pdf())
    invoices, refusals = read_invoices([good, bad])
    assert [i.name for i in invoices] == ["a.xml"]
    assert [r.file for r in refusals] == ["b.pdf"]


def test_a_pdf_carrying_a_doctype_is_refused_before_any_parser(tmp_path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(plain_pdf())))
    writer.add_attachment(
        "factur-x.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    )
    out = io.BytesIO()
    writer.write(out)
    path = write(tmp_path, "piégé.pdf", out.getvalue())
    assert refusal(path) == (
        "piégé.pdf : XML joint refusé : déclaration DOCTYPE ou ENTITY (jamais utile)"
    )


def test_zugferd_1_is_named(tmp_path) -> None:
    old = (
        b'<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0">'
        b"</rsm:CrossIndustryDocument>"
    )
    assert refusal(write(tmp_path, "z1.xml", old)) == (
        "z1.xml : ZUGFeRD 1.0 n'est pas pris en charge : exportez la facture en Factur-X"
    )
