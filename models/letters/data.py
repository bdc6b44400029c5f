"""Build the data of one letter: which invoices, what is owed, the deadline, the filled text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from models.address import postal_lines
from models.company import require_mediator
from models.errors import InputError
from models.law.deadlines import deadline, french_date
from models.law.interest import InterestResult, compute_interest, contract_rate_phrase
from models.law.policy import ESCALATION_LEVELS, Policy
from models.law.rates import RateTable
from models.law.stages import CLOSED, InvoiceFacts, next_step, stage_of
from models.letters.documents import (
    Company,
    InstalmentLine,
    InvoiceLine,
    LetterData,
    PenaltyLine,
)
from models.letters.templates import (
    CIVILITE_DEFAULT,
    fields_in,
    format_invoice_list,
    format_invoices_phrase,
    render,
)
from models.money import format_eur, format_rate, from_cents
from models.store.tables import Client

ZERO = Decimal("0.00")
# Letters that claim penalties and the indemnity in their total (B2B); B2C totals stay principal.
CLAIMS_PENALTIES = {"reminder_3", "formal_notice", "payment_plan", "penalty_statement"}


def invoices_for_letter(
    facts: Sequence[InvoiceFacts], kind: str, as_of: dt.date, chosen: Sequence[int] = ()
) -> list[InvoiceFacts]:
    """The client's invoices a letter covers: those chosen, else every open one it concerns.

    One letter per client: a reminder covers all the client's overdue invoices still in the
    amicable process; a preventive letter those falling due soon.
    """
    if chosen:
        picked = [f for f in facts if f.id in set(chosen)]
        if len(picked) != len(set(chosen)):
            raise InputError("facture introuvable ou archivée dans la sélection")
        return picked
    out = []
    for f in facts:
        stage = stage_of(f, as_of)
        if f.balance_cents(as_of) <= 0 or stage in CLOSED or stage == "payment_plan":
            continue
        if (f.due_date >= as_of) == (kind == "preventive"):
            out.append(f)
    return out


def propose_step(facts: Sequence[InvoiceFacts], as_of: dt.date, policy: Policy) -> str:
    """The highest letter step due among these invoices (what the wizard proposes)."""
    best, best_level = "reminder_1", 0
    for f in facts:
        nxt = next_step(f, as_of, policy)
        if nxt is None or not nxt.step.template:
            continue
        level = ESCALATION_LEVELS.get(nxt.step.code, 0)
        if level >= best_level:
            best, best_level = nxt.step.template, level
    return best


def rate_phrase(
    results: Sequence[InterestResult],
    rates: RateTable,
    as_of: dt.date,
    b2c: bool,
    contractual: Decimal | None,
) -> str:
    """'12,15 % l'an (taux BCE + 10 points)': the rate now applied, read after 'au taux de'."""
    periods = [p for r in results for p in r.periods]
    row = rates.lookup(as_of).row
    if b2c:
        rate = periods[-1].rate if periods else row.legal_other
        return f"{format_rate(rate)} l'an (taux de l'intérêt légal)"
    if contractual is not None:
        return contract_rate_phrase(periods, contractual, row.legal_other)
    rate = periods[-1].rate if periods else row.default_penalty
    return f"{format_rate(rate)} l'an (taux de refinancement de la BCE majoré de 10 points)"


def build_letter(
    *,
    kind: str,
    company: Company,
    client: Client,
    facts: Sequence[InvoiceFacts],
    as_of: dt.date,
    template: str,
    rates: RateTable,
    contractual: Decimal | None = None,
    deadline_days: int = 8,
    registered_number: str = "",
    instalments: Sequence[tuple[dt.date, int]] = (),
) -> LetterData:
    """Everything one letter prints, amounts to the cent as of the letter's date."""
    if not facts:
        raise InputError(
            f"aucune facture concernée pour {client.name} au "
            f"{as_of:%d/%m/%Y} : choisissez les factures"
        )
    b2c = client.kind == "b2c"
    require_mediator(company, b2c)  # C. conso. L612-1, L616-1: refused without a mediator
    results = [compute_interest(f, as_of, rates, contractual) for f in facts]
    principal = sum((r.principal for r in results), ZERO)
    penalties = sum((r.penalties for r in results), ZERO)
    indemnity = ZERO if b2c else sum((r.indemnity for r in results), ZERO)
    if kind == "penalty_statement":
        total = penalties + indemnity
    elif kind in CLAIMS_PENALTIES and not b2c:
        total = principal + penalties + indemnity
    else:
        total = principal
    # A deadline exists when the text gives one: counted from the letter's date, pushed past
    # a Saturday, Sunday or public holiday (CPC 642).
    due_by = deadline(as_of, deadline_days) if "date_limite" in fields_in(template, b2c) else None
    numbers = [f.number for f in facts]
    oldest = min(facts, key=lambda f: f.due_date)
    plan = [InstalmentLine(i, d, from_cents(c)) for i, (d, c) in enumerate(instalments, start=1)]
    reference = " ".join(numbers)[:60]
    values = {
        "client": client.name,
        "civilite": CIVILITE_DEFAULT,
        "entreprise": company.name,
        "signataire": company.signatory or company.name,
        "telephone": company.phone,
        "email": company.email,
        "date_lettre": french_date(as_of),
        "nb_factures": str(len(facts)),
        "liste_factures": format_invoice_list(numbers),
        "factures": format_invoices_phrase(numbers),
        "date_facture": french_date(min(f.issue_date for f in facts)),
        "date_echeance": french_date(oldest.due_date),
        "jours_retard": str(max(0, (as_of - oldest.due_date).days)),
        "montant_principal": format_eur(principal),
        "penalites": format_eur(penalties),
        "taux_penalites": rate_phrase(results, rates, as_of, b2c, contractual),
        "indemnite": format_eur(indemnity),
        "total_du": format_eur(total),
        "delai_jours": str(deadline_days),
        "date_limite": french_date(due_by) if due_by else "",
        "iban": company.iban,
        "bic": company.bic,
        "reference_paiement": reference,
        "nb_echeances": str(len(plan)),
        "montant_echeance": format_eur(plan[0].amount) if plan else "",
        "premiere_echeance": french_date(plan[0].due_date) if plan else "",
        "derniere_echeance": french_date(plan[-1].due_date) if plan else "",
    }
    try:
        text = render(template, values, b2c)
    except InputError as exc:
        raise InputError(_explain_missing(exc)) from exc
    return LetterData(
        kind=kind,
        company=company,
        recipient=postal_lines(
            client.name,
            client.attention,
            client.building,
            client.street,
            client.locality,
            client.postal_code,
            client.city,
            client.country,
        ),
        client_name=client.name,
        b2c=b2c,
        place=company.city,
        date=as_of,
        title=text.title,
        paragraphs=text.paragraphs,
        closing=text.closing,
        subject=text.subject,
        invoices=tuple(
            InvoiceLine(
                f.number,
                f.issue_date,
                f.due_date,
                from_cents(f.total_cents),
                from_cents(f.paid_cents(as_of)),
                from_cents(max(0, f.balance_cents(as_of))),
                max(0, (as_of - f.due_date).days),
            )
            for f in facts
        ),
        our_ref=f"REL-{client.id}-{as_of:%Y%m%d}",
        your_ref="",
        principal=principal,
        penalties=penalties,
        indemnity=indemnity,
        total=total,
        penalty_rate_text=values["taux_penalites"] if penalties or not b2c else "",
        penalty_lines=tuple(
            PenaltyLine(r.invoice, f.due_date, r.periods, r.penalties, ZERO if b2c else r.indemnity)
            for r, f in zip(results, facts, strict=True)
        ),
        deadline=due_by,
        registered=kind == "formal_notice",
        registered_number=registered_number,
        payment_reference=reference,
        instalments=tuple(plan),
        signature_block=tuple(x for x in (company.signatory, company.name) if x),
    )


def _explain_missing(exc: InputError) -> str:
    """Turn 'field {iban} has no value' into what the user must do."""
    text = str(exc)
    hints = {
        "{iban}": "l'IBAN",
        "{bic}": "le BIC",
        "{entreprise}": "le nom de l'entreprise",
        "{telephone}": "le téléphone",
        "{email}": "l'e-mail",
        "{signataire}": "le signataire",
    }
    for field, what in hints.items():
        if field in text:
            return f"renseignez {what} dans Paramètres > Entreprise avant d'imprimer ce courrier"
    if "{premiere_echeance}" in text or "{nb_echeances}" in text:
        return "ce courrier demande un échéancier : indiquez les échéances"
    return text
