"""E-invoices into the ledger: clients by SIREN then name, all or nothing, duplicates known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, select

from models.einvoice.record import import_invoices
from models.litigation.pieces import piece_path, pieces_for
from models.store.ledger import Ledger
from models.store.tables import Client, Invoice, Piece
from tests.models.einvoice.samples import Sample, cii_xml, facturx_pdf, plain_pdf, ubl_xml, write

AS_OF = dt.date(2025, 12, 1)


def three_files(folder: Path) -> list[Path]:
    """A Factur-X PDF, a UBL and a CII file: three invoices for three buyers."""
    return [
        write(folder, "FX-1.pdf", facturx_pdf(Sample(number="FX-1"))),
        write(
            folder,
            "UBL-2.xml",
            ubl_xml(
                Sample(
                    number="UBL-2",
                    buyer="Boulangerie Martin",
                    siren="443061841",
                    siret="44306184100013",
                    street="1 place du Marché",
                    line_two="",
                    postal_code="59000",
                    city="Lille",
                    email="martin@exemple.fr",
                    ht=Decimal("100.00"),
                    vat=Decimal("5.50"),
                    ttc=Decimal("105.50"),
                    order="",
                    terms="À réception",
                    due="2025-11-30",
                )
            ),
        ),
        write(
            folder,
            "CII-3.xml",
            cii_xml(
                Sample(
                    number="CII-3",
                    ht=Decimal("0.01"),
                    vat=Decimal("0.00"),
                    ttc=Decimal("0.01"),
                    issue="2025-11-20",
                    due="2025-12-20",
                )
            ),
        ),
    ]


def stored(ledger: Ledger) -> dict[str, tuple[object, ...]]:
    """Each invoice as stored: client, dates, cents, PO, terms."""
    with Session(ledger.engine) as s:
        names = {c.id: c.name for c in s.exec(select(Client))}
        return {
            i.number: (
                names[i.client_id],
                i.issue_date,
                i.due_date,
                i.amount_ht_cents,
                i.vat_cents,
                i.amount_ttc_cents,
                i.deposit_cents,
                i.order_number,
                i.payment_terms,
            )
            for i in s.exec(select(Invoice))
        }


def test_three_syntaxes_import_invoices_clients_and_amounts_to_the_cent(
    ledger: Ledger, tmp_path: Path
) -> None:
    report = import_invoices(ledger, three_files(tmp_path), AS_OF)
    assert report.refusals == []
    assert [a.number for a in report.added] == ["FX-1", "UBL-2", "CII-3"]
    assert report.clients_created == ["Durand Bâtiment SAS", "Boulangerie Martin"]
    terms = "Paiement à 30 jours par virement"
    assert stored(ledger) == {
        "FX-1": (
            "Durand Bâtiment SAS",
            dt.date(2025, 11, 14),
            dt.date(2025, 12, 14),
            123456,
            24691,
            148147,
            0,
            "BC-7781",
            terms,
        ),
        "UBL-2": (
            "Boulangerie Martin",
            dt.date(2025, 11, 14),
            dt.date(2025, 11, 30),
            10000,
            550,
            10550,
            0,
            "",
            "À réception",
        ),
        "CII-3": (
            "Durand Bâtiment SAS",
            dt.date(2025, 11, 20),
            dt.date(2025, 12, 20),
            1,
            0,
            1,
            0,
            "BC-7781",
            terms,
        ),
    }
    with Session(ledger.engine) as s:
        durand = s.exec(select(Client).where(Client.name == "Durand Bâtiment SAS")).one()
    assert (durand.siren, durand.siret, durand.kind) == ("552100554", "55210055400013", "b2b")
    assert (durand.street, durand.locality, durand.postal_code, durand.city) == (
        "3 rue des Lilas",
        "ZI des Forges",
        "69003",
        "Lyon",
    )
    assert durand.email == "compta@durand-batiment.fr"
    # The Factur-X PDF is the invoice's document, a piece of the dossier, byte for byte.
    rows = pieces_for(ledger, durand.id)
    assert [(r.title, r.kind, r.invoices, r.date) for r in rows] == [
        ("FX-1.pdf", "facture", ("FX-1",), dt.date(2025, 11, 14))
    ]
    assert rows[0].path.read_bytes() == (tmp_path / "FX-1.pdf").read_bytes()


def test_the_same_files_twice_add_nothing(ledger: Ledger, tmp_path: Path) -> None:
    files = three_files(tmp_path)
    import_invoices(ledger, files, AS_OF)
    before = (stored(ledger), ledger.counts())
    again = import_invoices(ledger, files, AS_OF)
    assert (again.added, again.clients_created, again.pieces_added) == ([], [], 0)
    assert again.known == ["FX-1 (FX-1.pdf)", "UBL-2 (UBL-2.xml)", "CII-3 (CII-3.xml)"]
    assert (stored(ledger), ledger.counts()) == before


def test_a_refused_file_means_nothing_is_written(ledger: Ledger, tmp_path: Path) -> None:
    files = [*three_files(tmp_path), write(tmp_path, "scan.pdf", plain_pdf())]
    report = import_invoices(ledger, files, AS_OF)
    assert [str(r) for r in report.refusals] == [
        "scan.pdf : PDF sans facture électronique : aucune facture XML jointe (ce n'est pas une "
        "facture Factur-X ou ZUGFeRD)"
    ]
    assert report.added == []
    assert ledger.counts()["invoices"] == 0
    with Session(ledger.engine) as s:
        assert s.exec(select(Piece)).all() == []


def test_an_invoice_issued_after_the_import_date_is_refused(ledger: Ledger, tmp_path) -> None:
    path = write(tmp_path, "futur.xml", cii_xml(Sample(issue="2025-12-02", due="2026-01-01")))
    report = import_invoices(ledger, [path], AS_OF)
    assert [str(r) for r in report.refusals] == [
        "futur.xml : date de facture : 02/12/2025 postérieure à la date d'import (01/12/2025)"
    ]
    assert ledger.counts()["invoices"] == 0


def test_clients_matched_by_siren_first_then_by_name(ledger: Ledger, tmp_path: Path) -> None:
    by_siren = ledger.add_client("DURAND BAT. (Lyon)", siren="552100554")
    by_name = ledger.add_client("boulangerie  MARTIN")
    other = ledger.add_client("Durand Bâtiment SAS", siren="732829320")  # same name, not them
    report = import_invoices(ledger, three_files(tmp_path), AS_OF)
    assert report.clients_created == []
    with Session(ledger.engine) as s:
        owners = {i.number: i.client_id for i in s.exec(select(Invoice))}
    assert owners == {"FX-1": by_siren, "UBL-2": by_name, "CII-3": by_siren}
    assert other not in owners.values()


def test_same_number_other_amount_is_a_conflict_kept_as_stored(
    ledger: Ledger, tmp_path: Path
) -> None:
    client = ledger.add_client("Durand Bâtiment SAS")
    ledger.add_invoice(client, "FX-1", dt.date(2025, 11, 14), Decimal("1000.00"))
    report = import_invoices(
        ledger, [write(tmp_path, "FX-1.pdf", facturx_pdf(Sample("FX-1")))], AS_OF
    )
    assert report.refusals == []
    assert report.added == []
    assert report.conflicts == [
        "FX-1.pdf : la facture FX-1 est déjà enregistrée pour 1\u00a0000,00\u00a0€, le fichier "
        "dit 1\u00a0481,47\u00a0€ : gardée telle qu'enregistrée"
    ]
    assert ledger.find_invoice("FX-1").amount_ttc_cents == 100000
    assert report.pieces_added == 0


def test_an_invoice_known_from_the_spreadsheet_gets_its_pdf(ledger: Ledger, tmp_path) -> None:
    client = ledger.add_client("Durand Bâtiment SAS")
    ledger.add_invoice(client, "fx-1 ", dt.date(2025, 11, 14), Decimal("1481.47"))
    path = write(tmp_path, "FX-1.pdf", facturx_pdf(Sample("FX-1")))
    report = import_invoices(ledger, [path], AS_OF)
    assert (report.known, report.pieces_added) == (["FX-1 (FX-1.pdf)"], 1)
    again = import_invoices(ledger, [path], AS_OF)
    assert again.pieces_added == 0
    with Session(ledger.engine) as s:
        piece = s.exec(select(Piece)).one()
    assert piece_path(ledger, piece).read_bytes() == path.read_bytes()


def test_two_files_of_one_run_with_one_number(ledger: Ledger, tmp_path: Path) -> None:
    a = write(tmp_path, "a.xml", cii_xml(Sample("N-1")))
    b = write(tmp_path, "b.xml", ubl_xml(Sample("N-1")))
    c = write(
        tmp_path, "c.xml", ubl_xml(Sample("N-1", ht=Decimal(1), vat=Decimal(0), ttc=Decimal(1)))
    )
    report = import_invoices(ledger, [a, b, c], AS_OF)
    assert [x.number for x in report.added] == ["N-1"]
    assert report.known == ["N-1 (b.xml)"]
    assert report.conflicts[0].startswith("c.xml : la facture N-1 est déjà lue dans a.xml pour")


def test_dry_run_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    report = import_invoices(ledger, three_files(tmp_path), AS_OF, dry_run=True)
    assert len(report.added) == 3
    assert ledger.counts()["invoices"] == 0
    assert report.as_dict()["added"][0] == {
        "invoice": "FX-1",
        "client": "Durand Bâtiment SAS",
        "amount_ttc": "1481.47",
        "file": "FX-1.pdf",
        "new_client": True,
    }
