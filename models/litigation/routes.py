"""The court-route assistant: which procedures apply after the formal notice, and why.

Pure rules on a `RouteCase` (built from the ledger by models/litigation/case.py): no storage,
no date.today(). The routes, courts and forms are those of LEGAL.md "After the notice":
injonction de payer (CPC 1405 to 1425), the simplified small-claims procedure (CPCE L125-1),
référé-provision (CPC 873 before the tribunal de commerce, 835 before the tribunal judiciaire)
and the summons on the merits (assignation au fond).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

from models.money import format_eur

# CPCE L125-1, R125-1: the simplified procedure is open up to 5,000 EUR, interest included.
SMALL_CLAIM_MAX = Decimal("5000.00")
# CPC 750-1: below this amount a claim before the tribunal judiciaire needs a prior amicable
# attempt (conciliator, mediation or participatory procedure).
AMICABLE_MAX = Decimal("5000.00")
# CPC 761 (tribunal judiciaire) and 853 (tribunal de commerce): no lawyer needed up to 10,000 EUR.
LAWYER_FREE_MAX = Decimal("10000.00")

INJUNCTION, SMALL_CLAIMS, REFERE, MERITS = "injonction", "petites_creances", "refere", "fond"
COMMERCE, JUDICIAIRE = "tribunal de commerce", "tribunal judiciaire"
NOTICE_FIRST = "Envoyez d'abord la mise en demeure (lettre recommandée avec accusé de réception)."


@dataclass(frozen=True)
class RouteCase:
    """What the rules need to know of a claim; the three questions may be unanswered (None).

    `total` is what the formal notice claims as of `as_of` (principal, penalties or interest,
    indemnities), `principal` the balance of the invoices. `notice_on` is the day the formal
    notice was sent (None: never sent), `notice_deadline` the last day it gave.
    """

    as_of: dt.date
    b2c: bool
    principal: Decimal
    total: Decimal
    notice_on: dt.date | None = None
    notice_deadline: dt.date | None = None
    notice_registered: bool = False
    notice_acknowledged: bool = False
    has_contract_piece: bool = False  # a signed quote or an order among the pieces
    debtor_siren: str = ""
    debtor_place: str = ""  # "75011 PARIS": where the debtor has its seat or lives
    address_gaps: tuple[str, ...] = ()
    disputed: bool | None = None  # is the debt seriously disputed?
    debtor_agrees: bool | None = None  # does the debtor accept the simplified procedure?
    urgent: bool | None = None
    prescription_text: str = ""  # the earliest expiry among the invoices, in one sentence
    time_barred: tuple[str, ...] = ()  # the invoices whose claim is barred
    open_invoices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """One procedure: whether it applies, why, where, with which form and at what cost."""

    code: str
    name: str
    applies: bool
    reason: str
    court: str = ""
    form: str = ""
    costs: str = ""
    lawyer: str = ""
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteAdvice:
    """The assistant's answer: what blocks, the routes, what the file lacks, the rules that hold."""

    routes: tuple[Route, ...] = ()
    blockers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    consumer_rules: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    court: str = ""
    prescription: str = ""
    time_barred: bool = False
    amount: Decimal = Decimal("0.00")

    @property
    def applicable(self) -> tuple[Route, ...]:
        """The routes that apply, in the order the guides suggest trying them."""
        return tuple(r for r in self.routes if r.applies)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (`main.py route --format json`); amounts as '1234.56'."""
        data = asdict(self)
        data["amount"] = f"{self.amount:.2f}"
        return data


def court_for(case: RouteCase) -> str:
    """The competent court (LEGAL.md): commerce for a debt between traders, else judiciaire.

    A B2B debt is taken as one between traders; an artisan, a liberal profession or an
    association as debtor goes before the tribunal judiciaire (said in the route's reason).
    """
    kind = JUDICIAIRE if case.b2c else COMMERCE
    place = f" du lieu où demeure le débiteur ({case.debtor_place})" if case.debtor_place else ""
    if not place:
        place = " du lieu où demeure le débiteur"
    return kind + place


def lawyer_rule(amount: Decimal) -> str:
    """CPC 761 and 853: representation by a lawyer is optional up to 10,000 EUR, then required."""
    if amount <= LAWYER_FREE_MAX:
        return "avocat facultatif (demande jusqu'à 10 000 €, CPC 761 et 853)"
    return "avocat obligatoire (demande de plus de 10 000 €, CPC 761 et 853)"


def _missing(case: RouteCase) -> list[str]:
    """What the file lacks for a court or a commissaire de justice."""
    missing = []
    if not case.has_contract_piece:
        missing.append("pas de devis signé ni de bon de commande parmi les pièces")
    if case.notice_on is None:
        missing.append("pas de mise en demeure envoyée")
    elif not case.notice_registered:
        missing.append("mise en demeure envoyée sans recommandé : pas de preuve de l'envoi")
    elif not case.notice_acknowledged:
        missing.append("pas d'accusé de réception de la mise en demeure (date à enregistrer)")
    if not case.b2c and not case.debtor_siren:
        missing.append("SIREN du débiteur manquant (à indiquer sur la requête)")
    if case.address_gaps:
        missing.append("adresse du débiteur incomplète : " + ", ".join(case.address_gaps))
    return missing


def _consumer_rules(case: RouteCase) -> list[str]:
    """The rules that protect a consumer debtor (LEGAL.md, Consumers)."""
    if not case.b2c:
        return []
    return [
        "intérêts au taux légal à compter de la mise en demeure (C. civ. 1231-6, 1344-1)",
        "pas d'indemnité forfaitaire de 40 € ni de frais de recouvrement (CPCE L111-8)",
        "prescription de 2 ans (C. conso. L218-2)",
        "tribunal judiciaire du domicile du débiteur (CPC 1406 pour l'injonction de payer)",
    ]


def _injunction(case: RouteCase, court: str) -> Route:
    """Injonction de payer, CPC 1405: a contractual sum, not seriously disputed."""
    judiciaire = court.startswith(JUDICIAIRE)
    form = "Cerfa n° 12948 (tribunal judiciaire)" if judiciaire else "Cerfa n° 12946"
    form += " ou requête libre (CPC 1407)"
    if case.disputed:
        return Route(
            INJUNCTION,
            "Injonction de payer",
            False,
            "la créance est contestée : le juge rejetterait la requête ou le débiteur ferait "
            "opposition (CPC 1405 : créance de cause contractuelle, non sérieusement contestée)",
            court="président du " + court,
            form=form,
        )
    conditions = [
        "l'ordonnance doit être signifiée par un commissaire de justice (CPC 1411) ; "
        "les ordonnances rendues à partir du 01/09/2026 dans les 3 mois",
        "le débiteur peut faire opposition dans le mois de la signification (CPC 1416)",
    ]
    return Route(
        INJUNCTION,
        "Injonction de payer",
        True,
        "somme d'origine contractuelle, déterminée, non contestée (CPC 1405) : procédure sur "
        "requête, sans audience, la plus rapide et la moins chère",
        court="président du " + court,
        form=form,
        costs=(
            "frais de greffe au tribunal de commerce (quelques dizaines d'euros) ; "
            if not judiciaire
            else "pas de frais de greffe au tribunal judiciaire ; "
        )
        + "signification par commissaire de justice avancée par vous, "
        "mise à la charge du débiteur",
        lawyer="pas d'avocat nécessaire pour la requête (CPC 1407)",
        conditions=tuple(conditions),
    )


def _small_claims(case: RouteCase) -> Route:
    """Procédure simplifiée de recouvrement des petites créances, CPCE L125-1 (<= 5,000 EUR)."""
    name = "Procédure simplifiée de recouvrement des petites créances"
    costs = "frais du commissaire de justice à votre charge (CPCE L125-1, R125-1 et s.)"
    if case.total > SMALL_CLAIM_MAX:
        why = (
            f"la créance ({format_eur(case.total)} intérêts compris) dépasse 5 000 € (CPCE R125-1)"
        )
        return Route(SMALL_CLAIMS, name, False, why, costs=costs)
    if case.disputed:
        return Route(SMALL_CLAIMS, name, False, "la créance est contestée", costs=costs)
    if case.debtor_agrees is False:
        return Route(
            SMALL_CLAIMS, name, False, "le débiteur refuse la procédure simplifiée", costs=costs
        )
    asked = " (à lui proposer : il a un mois pour répondre)" if case.debtor_agrees is None else ""
    return Route(
        SMALL_CLAIMS,
        name,
        True,
        f"créance de {format_eur(case.total)} intérêts compris, jusqu'à 5 000 € : un commissaire "
        f"de justice invite le débiteur à un accord qui vaut titre exécutoire{asked}",
        court="un commissaire de justice (du ressort du domicile du débiteur)",
        form="lettre de demande au commissaire de justice avec les pièces",
        costs=costs,
        lawyer="pas d'avocat",
        conditions=("le débiteur doit accepter la procédure et le montant",),
    )


def _refere(case: RouteCase, court: str) -> Route:
    """Référé-provision (CPC 873 / 835): an obligation not seriously contestable."""
    article = "CPC 835" if court.startswith(JUDICIAIRE) else "CPC 873"
    name = "Référé-provision"
    if case.disputed:
        return Route(
            REFERE,
            name,
            False,
            f"la créance est contestée : le juge des référés ne peut l'accorder ({article})",
        )
    reason = f"obligation non sérieusement contestable ({article}) : audience rapide"
    if case.urgent:
        reason += ", adaptée à l'urgence"
    return Route(
        REFERE,
        name,
        True,
        reason,
        court="juge des référés du " + court,
        form="assignation en référé délivrée par commissaire de justice",
        costs="coût de l'assignation (commissaire de justice), honoraires d'avocat s'il y en a",
        lawyer=lawyer_rule(case.total),
        conditions=_amicable(case, court),
    )


def _merits(case: RouteCase, court: str) -> Route:
    """Assignation au fond: always open; the route for a disputed or large claim."""
    if case.disputed:
        reason = "la créance est contestée : seul un jugement au fond tranchera le litige"
    else:
        reason = "toujours possible ; la plus longue, à garder si les autres échouent"
    return Route(
        MERITS,
        "Assignation au fond",
        True,
        reason,
        court=court,
        form="assignation délivrée par commissaire de justice",
        costs="coût de l'assignation, honoraires d'avocat s'il y en a ; frais recouvrables "
        "sur le débiteur s'il perd (CPC 700)",
        lawyer=lawyer_rule(case.total),
        conditions=_amicable(case, court),
    )


def _amicable(case: RouteCase, court: str) -> tuple[str, ...]:
    """CPC 750-1: up to 5,000 EUR before the tribunal judiciaire, an amicable attempt first."""
    if not court.startswith(JUDICIAIRE) or case.total > AMICABLE_MAX:
        return ()
    return (
        "tentative de règlement amiable préalable obligatoire jusqu'à 5 000 € (CPC 750-1 : "
        "conciliateur de justice, médiation ou procédure participative) ; l'historique des "
        "relances montre vos démarches",
    )


def advise(case: RouteCase) -> RouteAdvice:
    """The routes open for this claim, what blocks, and what the file still lacks."""
    court = court_for(case)
    questions = []
    if case.disputed is None:
        questions.append("La dette est-elle contestée par le débiteur ?")
    if case.debtor_agrees is None and case.total <= SMALL_CLAIM_MAX:
        questions.append("Le débiteur accepterait-il la procédure simplifiée ?")
    if case.urgent is None:
        questions.append("Y a-t-il urgence (risque de défaillance du débiteur) ?")
    base = RouteAdvice(
        missing=tuple(_missing(case)),
        consumer_rules=tuple(_consumer_rules(case)),
        court=court,
        prescription=case.prescription_text,
        amount=case.total,
        questions=tuple(questions),
    )
    if case.open_invoices and len(case.time_barred) == len(case.open_invoices):
        return replace(
            base,
            blockers=(
                "La créance est prescrite : une action en justice serait rejetée dès que le "
                f"débiteur invoquerait la prescription (C. civ. 2219). {case.prescription_text}",
            ),
            time_barred=True,
        )
    if case.notice_on is None:
        return replace(base, blockers=(NOTICE_FIRST,))
    warnings = []
    if case.notice_deadline is not None and case.as_of <= case.notice_deadline:
        warnings.append(
            f"Le délai de la mise en demeure court jusqu'au {case.notice_deadline:%d/%m/%Y} : "
            "attendez son expiration avant de saisir le tribunal."
        )
    if case.time_barred:
        warnings.append(
            "Factures prescrites, à ne pas réclamer en justice (C. civ. 2219) : "
            + ", ".join(case.time_barred)
        )
    if not case.b2c:
        warnings.append(
            "Si le débiteur n'est pas commerçant (artisan, profession libérale, association), "
            "le tribunal compétent est le tribunal judiciaire."
        )
    routes = (
        _injunction(case, court),
        _small_claims(case),
        _refere(case, court),
        _merits(case, court),
    )
    return replace(base, routes=routes, warnings=tuple(warnings))
