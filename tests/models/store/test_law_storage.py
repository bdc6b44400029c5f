"""What issue 11 stores and checks through the Ledger: migration 0002, the count from the legal
maximum term, import flags past that maximum, the consumer mediator before a B2C letter."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal

import pdfplumber
import pytest

from models.errors import InputError
from models.importing.read import parse_csv_text
from models.store import db
from models.store.ledger import Ledger
from reports.letters import render_letter

D = dt.date
COMPANY = {
    "name": "Atelier Exemple",
    "street": "8 rue des Artisans",
    "postal_code": "69003",
    "city": "Lyon",
    "siret": "73282932000074",
    "iban": "FR7630006000011234567890189",
}


def test_migration_0002_adds_the_columns_to_an_existing_database(tmp_path):
    # A database made at revision 0001 with one invoice, then opened by this version.
    from alembic import command

    path = tmp_path / "old.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    cfg = db._alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO client (id, name, legal_form, kind, siren, siret, attention,"
        " building, street, locality, postal_code, city, country, email, phone,"
        " payment_notes, is_new, late_payer, pause_reason, archived)"
        " VALUES (1, 'Kasba', '', 'b2b', '', '', '', '', '', '', '', '', '', '', '',"
        " '', 0, 0, '', 0)"
    )
    con.execute(
        "INSERT INTO invoice (id, number, client_id, order_number, subject, issue_date,"
        " due_date, due_date_given, amount_ht_cents, vat_cents, amount_ttc_cents,"
        " deposit_cents, disputed, dispute_reason, written_off, written_off_reason,"
        " pause_reason, archived) VALUES (1, 'F-1', 1, '', '', '2026-01-05',"
        " '2026-05-30', 1, 0, 0, 10000, 0, 0, '', 0, '', '', 0)"
    )
    # A payment and a history line point at the invoice: rebuilding the invoice table to add
    # its columns must not trip their foreign keys (a real database always has such rows).
    con.execute(
        "INSERT INTO payment (id, invoice_id, date, amount_cents, method, reference)"
        " VALUES (1, 1, '2026-02-01', 2500, 'transfer', '')"
    )
    con.commit()
    con.close()
    ledger = Ledger.open(str(path))
    assert db.current_revision(ledger.engine) == db.head_revision()
    inv = ledger.find_invoice("F-1")
    assert (inv.completed_on, inv.penalties_from_max_term) == (None, False)
    assert ledger.counts()["payments"] == 1
    assert [p.amount_cents for p in ledger.payments(inv.id)] == [2500]
    ledger.close()


def test_count_from_the_legal_maximum_only_when_chosen(ledger):
    # C. com. L441-10 I: issued 2026-01-05, due 2026-05-30 stated; the legal maximum is
    # 2026-03-17 (end of January + 45 days). Warn only by default: penalties from 2026-05-31.
    c = ledger.add_client("Studio Kasba")
    inv = ledger.add_invoice(c, "F-1", D(2026, 1, 5), Decimal("1000.00"), D(2026, 5, 30))
    assert ledger.interest("F-1", D(2026, 4, 30)).penalties == Decimal("0.00")
    ledger.update_invoice(inv, penalties_from_max_term=True)
    # From 2026-03-18 to 2026-04-30: 44 days at 12,15 % (2026-H1) on 1 000,00:
    # 1 000 x 12,15 % x 44 / 365 = 5 346 / 365 = 14,6466 -> 14,65; and the 40 EUR (D441-5).
    r = ledger.interest("F-1", D(2026, 4, 30))
    assert (r.periods[0].start, r.periods[0].days) == (D(2026, 3, 18), 44)
    assert (r.penalties, r.indemnity) == (Decimal("14.65"), Decimal("40.00"))
    facts = ledger.facts(invoice_ids=[inv])[0]
    assert (facts.due_date, facts.stated_due) == (D(2026, 3, 17), D(2026, 5, 30))


def test_import_flags_a_term_past_the_legal_maximum_with_row_and_limit(ledger):
    text = (
        "Client;Date facture;N° facture;Date règlement prévu;Montant dû TTC;Payé oui ou non\n"
        "Studio Kasba;05/01/2026;FA-1;04/02/2026;100,00;non\n"
        "Agence Lumen;05/01/2026;FA-2;30/05/2026;200,00;non\n"
    )
    report = ledger.import_parsed(parse_csv_text(text), dt.date(2026, 3, 1))
    assert report.invoices_created == 2  # flagged, not refused: the term is the contract's
    assert report.warnings == [
        "ligne 3 : échéance au 30/05/2026 au-delà du délai de paiement maximal légal "
        "(limite : 17/03/2026, C. com. L441-10 I)"
    ]


def b2c_letter(ledger: Ledger):
    ledger.set_company(COMPANY)
    c = ledger.add_client(
        "Mme Jeanne Petit", "b2c", street="3 rue Basse", postal_code="44000", city="Nantes"
    )
    ledger.add_invoice(c, "F-9", D(2026, 1, 5), Decimal("300.00"), D(2026, 2, 4))
    return lambda: ledger.letter_for_invoice("F-9", "reminder_1", D(2026, 3, 1))


def test_b2c_letter_refused_without_a_mediator_and_says_why(ledger):
    make = b2c_letter(ledger)
    with pytest.raises(InputError) as err:
        make()
    message = str(err.value)
    assert "médiateur de la consommation" in message
    assert "L612-1" in message
    assert "L616-1" in message
    assert "Paramètres > Entreprise" in message
    assert "médiateur de la consommation" in ledger.company_missing("reminder_1", b2c=True)
    assert ledger.company_missing("reminder_1", b2c=False) == []


def test_b2c_letter_prints_the_mediator_and_b2b_does_not(ledger, tmp_path):
    make = b2c_letter(ledger)
    ledger.set_company({"mediator_name": "Médiation Exemple", "mediator_url": "www.med.fr"})
    pdf = tmp_path / "b2c.pdf"
    pdf.write_bytes(render_letter(make()))
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text().replace("\u00a0", " ")
    assert "médiateur de la consommation : Médiation Exemple — www.med.fr" in text
    b = ledger.add_client("Studio Kasba", street="1 rue A", postal_code="13001", city="Marseille")
    ledger.add_invoice(b, "F-10", D(2026, 1, 5), Decimal("300.00"), D(2026, 2, 4))
    pdf_b2b = tmp_path / "b2b.pdf"
    pdf_b2b.write_bytes(
        render_letter(ledger.letter_for_invoice("F-10", "reminder_1", D(2026, 3, 1)))
    )
    with pdfplumber.open(pdf_b2b) as doc:
        assert "médiateur" not in doc.pages[0].extract_text()


def test_mediator_website_checked(ledger):
    with pytest.raises(InputError, match="site du médiateur"):
        ledger.set_company({"mediator_url": "pas un site"})


def test_formal_notice_states_the_floor_not_the_lower_clause(ledger):
    # C. com. L441-10 II, 2025-H2: a 5 % clause gives way to 3 x 2,76 % = 8,28 %; 10 000,00 due
    # 2025-06-30, notice on 2025-12-31: 10 000 x 8,28 % x 184 / 365 = 417,3999 -> 417,40.
    ledger.set_company(COMPANY)
    ledger.set_setting("contractual_penalty_rate", "5")
    c = ledger.add_client("Menuiserie Floor", street="2 rue B", postal_code="69003", city="Lyon")
    ledger.add_invoice(c, "F-1", D(2025, 5, 31), Decimal("10000.00"), D(2025, 6, 30))
    letter = ledger.letter_for_invoice("F-1", "formal_notice", D(2025, 12, 31))
    text = " ".join(letter.paragraphs).replace("\u00a0", " ")
    assert letter.penalties == Decimal("417.40")
    assert "8,28 % l'an (minimum légal de 3 fois le taux de l'intérêt légal" in text
    assert "5,00 % l'an" not in text
