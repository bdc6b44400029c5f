"""Court-route rules (issue 16, LEGAL.md "After the notice"): one test per route and threshold."""

import datetime as dt
from decimal import Decimal

import pytest

from models.litigation.routes import (
    INJUNCTION,
    MERITS,
    NOTICE_FIRST,
    REFERE,
    SMALL_CLAIMS,
    RouteCase,
    advise,
)

AS_OF = dt.date(2026, 3, 1)


def case(total="3000.00", **kw):
    """A B2B claim whose formal notice (LRAR, acknowledged) expired, with a signed order."""
    values = {
        "as_of": AS_OF,
        "b2c": False,
        "principal": Decimal(total),
        "total": Decimal(total),
        "notice_on": dt.date(2026, 1, 10),
        "notice_deadline": dt.date(2026, 1, 20),
        "notice_registered": True,
        "notice_acknowledged": True,
        "has_contract_piece": True,
        "debtor_siren": "732829320",
        "debtor_place": "75011 PARIS",
        "disputed": False,
        "open_invoices": ("F-1",),
    }
    values.update(kw)
    return RouteCase(**values)


def route(advice, code):
    return next(r for r in advice.routes if r.code == code)


def test_b2b_3000_undisputed_gives_injunction_at_commerce_and_small_claims():
    """B2B 3,000 € undisputed: injonction before the tribunal de commerce (Cerfa 12946), and
    the simplified procedure (CPCE L125-1) offered."""
    advice = advise(case())
    inj = route(advice, INJUNCTION)
    assert inj.applies
    assert (
        inj.court
        == "président du tribunal de commerce du lieu où demeure le débiteur (75011 PARIS)"
    )
    assert "Cerfa n° 12946" in inj.form
    assert route(advice, SMALL_CLAIMS).applies
    assert [r.code for r in advice.applicable] == [INJUNCTION, SMALL_CLAIMS, REFERE, MERITS]
    assert advice.blockers == ()
    assert advice.missing == ()


def test_b2c_12000_goes_to_tribunal_judiciaire_with_consumer_rules():
    """B2C 12,000 €: tribunal judiciaire (Cerfa 12948), no small claims (> 5,000 €), lawyer
    required (> 10,000 €), consumer rules: legal interest, no 40 €."""
    advice = advise(case("12000.00", b2c=True, debtor_siren=""))
    inj = route(advice, INJUNCTION)
    assert inj.court.startswith("président du tribunal judiciaire")
    assert "Cerfa n° 12948" in inj.form
    assert not route(advice, SMALL_CLAIMS).applies
    assert "dépasse 5 000 €" in route(advice, SMALL_CLAIMS).reason
    assert route(advice, MERITS).lawyer.startswith("avocat obligatoire")
    rules = " | ".join(advice.consumer_rules)
    assert "taux légal à compter de la mise en demeure" in rules
    assert "pas d'indemnité forfaitaire de 40 €" in rules
    assert advice.missing == ()  # no SIREN asked of a consumer


def test_disputed_debt_gives_no_injunction_and_the_summons():
    """A disputed debt: no injunction, no référé, no small claims; assignation au fond."""
    advice = advise(case(disputed=True))
    assert [r.code for r in advice.applicable] == [MERITS]
    assert "contestée" in route(advice, INJUNCTION).reason
    assert "jugement au fond" in route(advice, MERITS).reason


def test_notice_not_sent_says_send_it_first():
    """No formal notice sent: 'envoyez d'abord la mise en demeure', no route offered."""
    advice = advise(case(notice_on=None, notice_deadline=None, notice_registered=False))
    assert advice.blockers == (NOTICE_FIRST,)
    assert NOTICE_FIRST.startswith("Envoyez d'abord la mise en demeure")
    assert advice.routes == ()


def test_notice_deadline_still_running_is_a_warning():
    """The formal notice's delay not over: wait before going to court."""
    advice = advise(case(notice_deadline=dt.date(2026, 3, 5)))
    assert any("court jusqu'au 05/03/2026" in w for w in advice.warnings)


@pytest.mark.parametrize(
    ("total", "applies"), [("5000.00", True), ("5000.01", False), ("4999.99", True)]
)
def test_small_claims_threshold_5000_interest_included(total, applies):
    """CPCE R125-1: the simplified procedure up to 5,000 € interest included, not a cent more."""
    assert route(advise(case(total)), SMALL_CLAIMS).applies is applies


def test_small_claims_needs_the_debtors_agreement():
    """CPCE L125-1: a debtor who refuses closes the simplified procedure; unknown: to propose."""
    assert not route(advise(case(debtor_agrees=False)), SMALL_CLAIMS).applies
    asked = route(advise(case(debtor_agrees=None)), SMALL_CLAIMS)
    assert asked.applies
    assert "à lui proposer" in asked.reason
    assert "commissaire de justice" in asked.court


@pytest.mark.parametrize(
    ("total", "lawyer"),
    [("10000.00", "avocat facultatif"), ("10000.01", "avocat obligatoire")],
)
def test_lawyer_threshold_10000(total, lawyer):
    """CPC 761 / 853: lawyer optional up to 10,000 €, required above."""
    advice = advise(case(total))
    assert route(advice, MERITS).lawyer.startswith(lawyer)
    assert route(advice, REFERE).lawyer.startswith(lawyer)


@pytest.mark.parametrize(
    ("b2c", "total", "required"),
    [(True, "5000.00", True), (True, "5000.01", False), (False, "3000.00", False)],
)
def test_prior_amicable_attempt_up_to_5000_before_tribunal_judiciaire(b2c, total, required):
    """CPC 750-1: before the tribunal judiciaire, up to 5,000 €, an amicable attempt first;
    not before the tribunal de commerce."""
    merits = route(advise(case(total, b2c=b2c)), MERITS)
    assert any("CPC 750-1" in c for c in merits.conditions) is required


def test_refere_provision_not_seriously_contestable():
    """Référé-provision (CPC 873 at commerce, 835 at judiciaire) for an undisputed debt."""
    assert "CPC 873" in route(advise(case(urgent=True)), REFERE).reason
    assert "urgence" in route(advise(case(urgent=True)), REFERE).reason
    assert "CPC 835" in route(advise(case(b2c=True)), REFERE).reason


def test_missing_pieces_are_listed():
    """What the file lacks: no signed order or quote, no acknowledgement, no SIREN, address."""
    advice = advise(
        case(
            has_contract_piece=False,
            notice_acknowledged=False,
            debtor_siren="",
            address_gaps=("ville",),
        )
    )
    assert advice.missing == (
        "pas de devis signé ni de bon de commande parmi les pièces",
        "pas d'accusé de réception de la mise en demeure (date à enregistrer)",
        "SIREN du débiteur manquant (à indiquer sur la requête)",
        "adresse du débiteur incomplète : ville",
    )


def test_unregistered_notice_is_flagged():
    """A notice sent without LRAR: no proof of sending."""
    advice = advise(case(notice_registered=False, notice_acknowledged=False))
    assert "sans recommandé" in advice.missing[0]


def test_time_barred_claim_is_said_plainly():
    """C. civ. 2219: a claim wholly time-barred gets no route and says so."""
    text = "Prescrite depuis le 21/12/2025 (5 ans, C. com. L110-4, depuis l'échéance du 20/12/2020)"
    advice = advise(case(time_barred=("F-1",), prescription_text=text))
    assert advice.time_barred
    assert advice.routes == ()
    assert advice.blockers[0].startswith("La créance est prescrite")
    assert text in advice.blockers[0]


def test_partly_time_barred_names_the_barred_invoices():
    """Some invoices barred: the routes stay, the barred ones are named."""
    advice = advise(case(time_barred=("F-0",), open_invoices=("F-0", "F-1")))
    assert advice.routes
    assert any("F-0" in w and "prescrites" in w for w in advice.warnings)


def test_questions_only_what_it_cannot_know():
    """Issue 16: the assistant asks dispute, agreement (≤ 5,000 €) and urgency when unknown."""
    assert len(advise(case(disputed=None, urgent=None)).questions) == 3
    assert len(advise(case("6000.00", disputed=None, urgent=None)).questions) == 2
    assert advise(case(disputed=False, debtor_agrees=True, urgent=False)).questions == ()
