"""The injunction-to-pay request (issue 16 §4, CPC 1405 et s.): art. 1407 mentions, Cerfa values."""

import datetime as dt
from decimal import Decimal

import main
from models.litigation.case import claim_file
from models.litigation.request import injunction_request, small_claims_letter
from models.store.ledger import Ledger
from reports.injunction import render_injunction, render_small_claims
from tests.models.litigation.conftest import AS_OF, COMPANY, make_claim
from tests.reports.conftest import pages_text


def test_request_has_the_mentions_of_article_1407(tmp_path):
    """Identities, amount with its breakdown and basis, the list of pieces, date, signature."""
    led, c = make_claim(tmp_path)
    pages = pages_text(render_injunction(injunction_request(claim_file(led, c, AS_OF))))
    led.close()
    text = "\n".join(pages)
    assert "REQUÊTE EN INJONCTION DE PAYER" in text
    assert "Président du tribunal de commerce" in text
    assert "Atelier Exemple SARL" in text  # the creditor (CPC 57)
    assert "représentée par Claire Exemple, gérante" in text
    assert "Durand Bâtiment SAS" in text  # the debtor
    assert "SIREN 552100554" in text
    assert "Principal (factures TTC restant dues) 2 600,00 €" in text
    assert "Pénalités de retard arrêtés au 01/03/2026 100,66 €" in text
    assert "Indemnités forfaitaires pour frais de recouvrement 80,00 €" in text
    assert "Total au 01/03/2026 2 780,66 €" in text
    assert "C. com. L441-10 II" in text  # the basis
    assert "Bordereau des pièces produites" in text
    assert "1. Mise en demeure (LRAR n° 1A12345678901) du 12/01/2026" in text
    assert "Fait à Paris, le 1er mars 2026" in text
    assert pages[-1].startswith("Valeurs pour le formulaire Cerfa n° 12946 (tribunal de commerce)")
    assert "Montant en principal 2 600,00 €" in pages[-1]


def test_consumer_request_goes_to_tribunal_judiciaire_without_40_euros(tmp_path):
    """B2C: Cerfa 12948, tribunal judiciaire, legal interest from the notice, no indemnity."""
    led = Ledger.open(str(tmp_path / "r.sqlite"))
    led.set_company(COMPANY)
    c = led.add_client(
        "M. Paul Petit", kind="b2c", street="8 allée des Pins", postal_code="33000", city="Bordeaux"
    )
    inv = led.add_invoice(c, "P-1", dt.date(2025, 9, 1), Decimal("1200.00"), dt.date(2025, 10, 1))
    led.record_letter_sent(
        c, "formal_notice", [inv], dt.date(2025, 12, 1), registered_number="1A000"
    )
    request = injunction_request(claim_file(led, c, AS_OF))
    led.close()
    assert request.cerfa == "Cerfa n° 12948 (tribunal judiciaire)"
    assert request.court.startswith("Monsieur ou Madame le Président du tribunal judiciaire")
    labels = [label for label, _ in request.amounts]
    assert not any("Indemnités" in x for x in labels)  # CPCE L111-8
    assert labels[1] == "Intérêts au taux légal arrêtés au 01/03/2026"  # C. civ. 1231-6
    assert request.debtor[1] == "demeurant 8 allée des Pins, 33000 Bordeaux"


def test_cli_requete_writes_the_pdf(tmp_path, capsys):
    """`main.py requete INVOICE -o FILE`."""
    led, _ = make_claim(tmp_path)
    db = led.url.removeprefix("sqlite:///")
    led.close()
    out = tmp_path / "requete.pdf"
    assert main.run(["--db", db, "requete", "F-2", "-o", str(out)], today=AS_OF) == 0
    assert "REQUÊTE EN INJONCTION DE PAYER" in pages_text(out.read_bytes())[0]
    assert "Requête enregistrée" in capsys.readouterr().err


def test_small_claims_letter_to_the_commissaire_de_justice(tmp_path):
    """CPCE L125-1: the letter names the procedure, the amount interest included, the pieces."""
    led, c = make_claim(tmp_path)
    letter = small_claims_letter(claim_file(led, c, AS_OF))
    text = "\n".join(pages_text(render_small_claims(letter)))
    led.close()
    flat = " ".join(text.split())
    assert "Objet : Procédure simplifiée de recouvrement des petites créances (CPCE L125-1)" in flat
    assert "articles L125-1 et R125-1" in flat
    assert "2 780,66 € intérêts compris" in flat
    assert "Nous avons fourni au débiteur" in flat
    assert "Total au 01/03/2026 2 780,66 €" in text
    assert "1. Mise en demeure (LRAR n° 1A12345678901) du 12/01/2026" in text
