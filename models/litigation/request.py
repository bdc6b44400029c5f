"""The injunction-to-pay request (requête en injonction de payer, CPC 1405 et s.) as data.

CPC 1407: besides the mentions of CPC 57 (identities: for a company its form, name, seat and
the body representing it; the debtor's name and address; the object of the claim; date and
signature), the request states the precise amount claimed with the breakdown of its elements
and the basis of the claim, and comes with the list (bordereau) of the documents produced.
CPC 1406: the president of the court of the place where the debtor lives. The values to copy
into the official form are listed (Cerfa 12946 or 12948); the form itself is not reproduced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.litigation.case import ClaimFile, route_case
from models.litigation.routes import JUDICIAIRE, court_for
from models.money import format_eur, format_rate


@dataclass(frozen=True)
class InjunctionRequest:
    """What the request prints: addressee, parties, exposé, amounts, basis, pieces, Cerfa values."""

    court: str
    cerfa: str
    creditor: tuple[str, ...]
    debtor: tuple[str, ...]
    facts: tuple[str, ...]
    amounts: tuple[tuple[str, str], ...]  # (label, '1 234,56 €'), the last one the total
    basis: tuple[str, ...]
    asks: tuple[str, ...]
    pieces: tuple[str, ...]
    cerfa_fields: tuple[tuple[str, str], ...]
    place: str
    signatory: str
    as_of: dt.date


def _creditor(claim: ClaimFile) -> tuple[str, ...]:
    co = claim.company
    lines = [f"{co.name}{', ' + co.legal_form if co.legal_form else ''}"]
    if co.capital:
        lines.append(f"au capital de {co.capital}")
    lines.append("dont le siège social est " + ", ".join(co.address_lines))
    if co.siren or co.siret:
        rcs = f"immatriculée au RCS de {co.rcs_city} sous le n° " if co.rcs_city else "SIREN "
        lines.append(rcs + (co.siren or co.siret[:9]))
    lines.append("représentée par " + (co.signatory or "son représentant légal en exercice"))
    return tuple(lines)


def debtor_address(claim: ClaimFile) -> str:
    """'3 rue des Lilas, 69003 Lyon': the debtor's address on one line."""
    cl = claim.client
    town = f"{cl.postal_code} {cl.city}".strip()
    parts = (cl.building, cl.street, cl.locality, town, cl.country)
    return ", ".join(x.strip() for x in parts if x.strip())


def _debtor(claim: ClaimFile) -> tuple[str, ...]:
    cl = claim.client
    lines = [f"{cl.name}{', ' + cl.legal_form if cl.legal_form else ''}"]
    where = "demeurant" if claim.b2c else "dont le siège social est"
    lines.append(f"{where} {debtor_address(claim)}")
    ident = cl.siren or cl.siret[:9]
    if ident and not claim.b2c:
        lines.append(f"SIREN {ident}")
    return tuple(lines)


def injunction_request(claim: ClaimFile) -> InjunctionRequest:
    """The request for this claim, with amounts from its statement (the formal notice's)."""
    s = claim.statement
    court = court_for(route_case(claim))
    judiciaire = court.startswith(JUDICIAIRE)
    cerfa = (
        "Cerfa n° 12948 (tribunal judiciaire)"
        if judiciaire
        else "Cerfa n° 12946 (tribunal de commerce)"
    )
    numbers = ", ".join(
        f"n° {x.number} du {x.issue_date:%d/%m/%Y} échue le {x.due_date:%d/%m/%Y}"
        for x in s.claimed_lines
    )
    facts = [
        "Le requérant a fourni au débiteur des biens ou services facturés par les factures "
        f"{numbers}, restées impayées à hauteur de {format_eur(s.principal)}.",
    ]
    n = claim.notice
    if n is not None:
        sent = f"Par lettre du {n.date:%d/%m/%Y}"
        if n.registered_number:
            sent += f" (recommandé avec accusé de réception n° {n.registered_number}"
            sent += f", reçu le {n.acknowledged_on:%d/%m/%Y})" if n.acknowledged_on else ")"
        facts.append(sent + ", le débiteur a été mis en demeure de payer, sans effet.")
    amounts = [("Principal (factures TTC restant dues)", format_eur(s.principal))]
    if s.penalties > 0:
        word = "Intérêts au taux légal" if claim.b2c else "Pénalités de retard"
        amounts.append((f"{word} arrêtés au {claim.as_of:%d/%m/%Y}", format_eur(s.penalties)))
    if s.indemnity > 0:
        amounts.append(
            ("Indemnités forfaitaires pour frais de recouvrement", format_eur(s.indemnity))
        )
    amounts.append((f"Total au {claim.as_of:%d/%m/%Y}", format_eur(s.total)))
    if claim.b2c:
        basis = [
            "C. civ. 1103 et 1231-6 : obligation contractuelle de payer le prix ; intérêts au "
            "taux légal à compter de la mise en demeure (C. civ. 1344-1).",
        ]
    else:
        basis = [
            "C. civ. 1103 : obligation contractuelle de payer le prix des factures.",
            "C. com. L441-10 II : pénalités de retard dues de plein droit dès le lendemain de "
            f"l'échéance, au taux de {s.rate_text}.",
            "C. com. D441-5 : indemnité forfaitaire de 40 € par facture payée en retard.",
        ]
    rate = f" au taux de {format_rate(s.rate)} l'an" if s.rate is not None else ""
    asks = [
        f"Enjoindre à {claim.client.name} de payer au requérant la somme de "
        f"{format_eur(s.total)} arrêtée au {claim.as_of:%d/%m/%Y}, comprenant le principal de "
        f"{format_eur(s.principal)}, avec les "
        f"{'intérêts postérieurs' if claim.b2c else 'pénalités postérieures'}{rate} "
        "jusqu'au parfait paiement.",
        "Condamner le débiteur aux dépens.",
    ]
    pieces = tuple(
        f"{i}. {p.title}"
        + (f" ({p.date:%d/%m/%Y})" if p.date and f"{p.date:%d/%m/%Y}" not in p.title else "")
        for i, p in enumerate(claim.pieces, start=1)
    )
    creditor, debtor = _creditor(claim), _debtor(claim)
    fields = [
        ("Tribunal", court),
        ("Demandeur : dénomination et forme", creditor[0]),
        ("Demandeur : siège social", ", ".join(claim.company.address_lines)),
        ("Demandeur : SIREN", claim.company.siren or claim.company.siret[:9]),
        ("Demandeur : représentant", claim.company.signatory),
        ("Débiteur : nom ou dénomination", debtor[0]),
        ("Débiteur : adresse", debtor_address(claim)),
        ("Débiteur : SIREN", "" if claim.b2c else (claim.client.siren or claim.client.siret[:9])),
        ("Montant en principal", format_eur(s.principal)),
        (
            "Intérêts ou pénalités (taux, point de départ)",
            f"{format_eur(s.penalties)} au {claim.as_of:%d/%m/%Y} ; {s.rate_text}",
        ),
        ("Indemnités / frais", format_eur(s.indemnity)),
        ("Total", format_eur(s.total)),
        ("Fondement de la créance", "factures " + ", ".join(x.number for x in s.claimed_lines)),
        ("Pièces jointes", f"{len(pieces)} pièce(s), voir le bordereau"),
    ]
    return InjunctionRequest(
        court="Monsieur ou Madame le Président du " + court,
        cerfa=cerfa,
        creditor=creditor,
        debtor=debtor,
        facts=tuple(facts),
        amounts=tuple(amounts),
        basis=tuple(basis),
        asks=tuple(asks),
        pieces=pieces,
        cerfa_fields=tuple((k, v) for k, v in fields if v),
        place=claim.company.city,
        signatory=claim.company.signatory,
        as_of=claim.as_of,
    )


@dataclass(frozen=True)
class SmallClaimsLetter:
    """The letter asking a commissaire de justice for the simplified procedure (CPCE L125-1)."""

    sender: tuple[str, ...]
    debtor: tuple[str, ...]
    subject: str
    paragraphs: tuple[str, ...]
    amounts: tuple[tuple[str, str], ...]
    pieces: tuple[str, ...]
    place: str
    signatory: str
    as_of: dt.date


def small_claims_letter(claim: ClaimFile) -> SmallClaimsLetter:
    """The request to a commissaire de justice, amounts from the claim's statement.

    CPCE L125-1, R125-1 et s.: up to 5,000 EUR (interest included), a contractual claim; the
    commissaire de justice invites the debtor to agree on the amount and terms within a month;
    the agreement he certifies is enforceable. His fees are the creditor's.
    """
    s = claim.statement
    request = injunction_request(claim)
    paragraphs = [
        "Maître,",
        "Je vous prie de bien vouloir mettre en œuvre la procédure simplifiée de recouvrement "
        "des petites créances (articles L125-1 et R125-1 et suivants du code des procédures "
        f"civiles d'exécution) à l'encontre du débiteur ci-dessous, pour une créance de "
        f"{format_eur(s.total)} intérêts compris, de nature contractuelle.",
        *(f.replace("Le requérant a fourni", "Nous avons fourni") for f in request.facts),
        "Vous trouverez ci-joint le décompte de la créance et les pièces qui la justifient. "
        "Je vous remercie d'inviter le débiteur à participer à la procédure et de me faire "
        "connaître sa réponse ; je reste à votre disposition pour tout complément.",
        "Je vous prie d'agréer, Maître, l'expression de mes salutations distinguées.",
    ]
    return SmallClaimsLetter(
        sender=request.creditor,
        debtor=request.debtor,
        subject="Procédure simplifiée de recouvrement des petites créances (CPCE L125-1)",
        paragraphs=tuple(paragraphs),
        amounts=request.amounts,
        pieces=request.pieces,
        place=request.place,
        signatory=request.signatory,
        as_of=claim.as_of,
    )
