"""Matching a credit to open invoices: pure functions over entries and an invoice book."""

import datetime as dt

from models.bank.entries import StatementEntry
from models.bank.matching import (
    CERTAIN,
    LIKELY,
    POSSIBLE,
    Book,
    OpenInvoice,
    allocate,
    letter_references,
    match_entry,
)
from models.bank.names import closeness, name_tokens

d = dt.date
CLIENTS = {1: "SARL Boulangerie Dupont", 2: "Studio Kasba SAS", 3: "Agence Lumen"}


def book(**kw) -> Book:
    invoices = [
        OpenInvoice(10, "F-1", 1, d(2026, 1, 1), 10000),
        OpenInvoice(11, "F-10", 1, d(2026, 2, 1), 20000),
        OpenInvoice(12, "F-100", 1, d(2026, 3, 1), 5000),
        OpenInvoice(20, "2025/117", 2, d(2026, 1, 10), 7000),
        OpenInvoice(21, "K-2", 2, d(2026, 1, 20), 3000),
        OpenInvoice(22, "K-3", 2, d(2026, 1, 30), 4500),
        OpenInvoice(30, "117", 3, d(2026, 1, 5), 8000),
    ]
    return Book(invoices, CLIENTS, **kw)


def credit(cents: int, text: str = "", debtor: str = "", e2e: str = "") -> StatementEntry:
    return StatementEntry("FR76", d(2026, 3, 10), cents, True, debtor, text, e2e)


def test_an_invoice_number_is_found_whole_never_as_a_prefix():
    for text, numbers in [
        ("Facture F-10", ["F-10"]),
        ("FACT F 10 ET F-100", ["F-10", "F-100"]),
        ("F-1000", []),
        ("REF XF-1", []),
        ("f-1", ["F-1"]),
    ]:
        match = match_entry(credit(25000 if len(numbers) > 1 else 100, text), book())
        found = [n for p in match.proposals if p.confidence == CERTAIN for n in p.numbers]
        assert found == numbers, text


def test_a_number_in_the_end_to_end_id_is_certain_and_a_partial_payment_too():
    match = match_entry(credit(4000, "VIREMENT", e2e="F-10"), book())
    assert match.certain is not None
    assert match.certain.reason == "n° de facture F-10 dans le libellé (paiement partiel)"
    assert [(a.number, a.cents) for a in match.certain.allocations] == [("F-10", 4000)]


def test_several_numbers_are_paid_oldest_first():
    match = match_entry(credit(12000, "F-10 F-1"), book())
    assert [(a.number, a.cents) for a in match.certain.allocations] == [
        ("F-1", 10000),
        ("F-10", 2000),
    ]


def test_more_than_the_balance_is_never_certain():
    match = match_entry(credit(15000, "Facture F-1"), book())
    assert match.certain is None
    (p,) = match.proposals
    assert (p.confidence, p.excess_cents) == (LIKELY, 5000)
    assert "dépasse leur solde" in p.reason


def test_a_short_number_needs_a_word_announcing_it():
    assert match_entry(credit(8000, "117 BOITES"), book()).certain is None
    found = match_entry(credit(8000, "FACTURE 117"), book()).certain
    assert found is not None
    assert found.numbers == ["117"]
    # "2025/117" is found as a whole, and 117 alone is not taken from it.
    assert match_entry(credit(7000, "FACT 2025/117"), book()).certain.numbers == ["2025/117"]


def test_a_settled_invoice_named_is_told_not_matched():
    match = match_entry(credit(500, "Facture F-9"), book(settled={"f9": "F-9"}))
    assert match.proposals == ()
    assert match.notes == ("la facture F-9 citée dans le libellé est déjà soldée",)


def test_our_letter_reference_pays_the_invoices_of_that_letter():
    refs = {(2, d(2026, 2, 15)): [21, 22]}
    match = match_entry(credit(7500, "REL-2-20260215"), book(letters=refs))
    assert match.certain is not None
    assert match.certain.numbers == ["K-2", "K-3"]
    assert "de notre courrier du 15/02/2026" in match.certain.reason
    assert letter_references("ref rel 2 20260215 / REL-9-20261399") == [(2, d(2026, 2, 15))]


def test_exact_balance_of_one_invoice_with_the_payer_named_like_the_client():
    match = match_entry(credit(20000, "VIREMENT", "BOULANGERIE DUPONT"), book())
    (p,) = match.proposals
    assert (p.confidence, p.numbers) == (LIKELY, ["F-10"])
    assert "montant exact du solde de la facture F-10" in p.reason


def test_exact_balance_of_a_set_of_invoices_and_of_all_of_them():
    match = match_entry(credit(7500, "", "STUDIO KASBA"), book())
    assert [(p.confidence, p.numbers) for p in match.proposals] == [(LIKELY, ["K-2", "K-3"])]
    every = match_entry(credit(14500, "", "Kasba Studio"), book())
    assert every.proposals[0].numbers == ["2025/117", "K-2", "K-3"]
    assert "ses 3 factures ouvertes" in every.proposals[0].reason


def test_a_partial_amount_goes_on_the_oldest_invoices_as_possible():
    match = match_entry(credit(12000, "acompte", "BOULANGERIE DUPONT SARL"), book())
    (p,) = match.proposals
    assert p.confidence == POSSIBLE
    assert [(a.number, a.cents) for a in p.allocations] == [("F-1", 10000), ("F-10", 2000)]


def test_no_close_name_no_proposal():
    match = match_entry(credit(20000, "VIREMENT", "PIERRE DURAND"), book())
    assert match.proposals == ()
    assert match.notes == ("aucun client au nom proche de « PIERRE DURAND »",)


def test_names_ignore_accents_case_legal_forms_and_bank_words():
    assert name_tokens("SARL Boulangerie Dupont & Fils") == ("boulangerie", "dupont", "fils")
    assert name_tokens("VIR SEPA M. Élodie Crémieux") == ("elodie", "cremieux")
    assert closeness(name_tokens("ELODIE CREMIEUX"), name_tokens("Mme Élodie Crémieux")) == 1.0
    assert closeness(name_tokens("DUPONT"), name_tokens("Boulangerie Dupont")) == 0.9
    assert closeness(name_tokens("BOULANGERIEDUPONT"), name_tokens("Boulangerie Dupont")) > 0.85
    assert closeness(name_tokens("DUPOND"), name_tokens("Dupont")) < 0.85 + 0.1
    assert closeness(name_tokens("MARTIN"), name_tokens("Dupont")) < 0.5
    # Numbers in names tell clients apart; a bank that drops them still finds the client.
    assert closeness(name_tokens("GARAGE 2000"), name_tokens("Garage 3000")) == 0.0
    assert closeness(name_tokens("PRESSING CENTRE"), name_tokens("Pressing du Centre (4)")) == 0.9


def test_allocate_fills_oldest_first_and_returns_the_excess():
    invoices = [
        OpenInvoice(2, "B", 1, d(2026, 2, 1), 300),
        OpenInvoice(1, "A", 1, d(2026, 1, 1), 200),
    ]
    allocations, excess = allocate(600, invoices)
    assert [(a.number, a.cents) for a in allocations] == [("A", 200), ("B", 300)]
    assert excess == 100


def test_identities_tell_apart_identical_entries_and_repeated_references():
    from models.bank.entries import identities

    a = credit(100, "loyer", "X")
    ids = identities([a, a, credit(100, "loyer", "Y")])
    assert len(set(ids)) == 3
    assert all(i.startswith("sha256:") for i in ids)
    assert identities([a, a]) == ids[:2]  # the same file again: the same identities
    with_ref = StatementEntry("FR76", d(2026, 3, 10), 100, True, "X", "t", "", "REF1")
    assert identities([with_ref, with_ref]) == ["ref:REF1", "ref:REF1#2"]
