"""Build the data of one letter: which invoices, what is owed, the deadline, the filled text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from models.address import postal_lines
from models.company import require_mediator
from models.errors import InputError
from models.law.deadlines import deadline, french_date
from models.law.policy import ESCALATION_LEVELS, Policy
from models.law.rates import RateTable
from models.law.stages import CLOSED, InvoiceFacts, next_step, stage_of
from models.letters.documents import Company, InstalmentLine, LetterData
from models.letters.epc import TransferRequest, payment_reference
from models.letters.statement import Statement, statement_of_account
from models.letters.templates import (
    CIVILITE_DEFAULT,
    fields_in,
    format_invoice_list,
    format_invoices_phrase,
    render,
)
from models.letters.wording import (
    earlier_letters,
    enclosures,
    first_notice,
    legal_interest_phrase,
    previous_steps_phrase,
)
from models.money import format_eur, from_cents
from models.store.tables import Client

ZERO = Decimal("0.00")
UPCOMING_NOTE = (
    "Les factures marquées « à échoir » ne sont pas encore dues : elles figurent pour mémoire "
    "et ne sont pas comprises dans la somme demandée."
)
# Issue of method the penalty statement states (simple interest, days/365: LEGAL.md, practice).
DAY_COUNT_NOTE = (
    "Calcul jour par jour, en intérêts simples, sur la base de 365 jours ; chaque période au "
    "taux de son semestre, arrondie au centime."
)


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


def due_phrase(statement: Statement) -> str:
    """'attendu pour le 15 octobre 2026', or for several invoices a pointer to the table."""
    due_dates = {line.due_date for line in statement.claimed_lines}
    if len(due_dates) == 1:
        return f"attendu pour le {french_date(next(iter(due_dates)))}"
    return "attendu aux échéances rappelées dans le tableau ci-dessous"


def delay_phrase(statement: Statement) -> str:
    """'un retard de 39 jours' or, for several invoices, 'des retards de 12 à 418 jours'."""
    delays = sorted({line.days_late for line in statement.claimed_lines})
    if len(delays) == 1:
        return f"un retard de {delays[0]} jour{'s' if delays[0] > 1 else ''}"
    return f"des retards de {delays[0]} à {delays[-1]} jours selon les factures"


def plan_cover_phrase(statement: Statement) -> str:
    """What the plan's amount covers, or that penalties are waived while it is honoured."""
    principal = format_eur(statement.principal)
    if statement.penalties_waived:
        return (
            f"Cette somme correspond au principal restant dû ({principal}). Tant que "
            "l'échéancier est respecté, nous renonçons aux pénalités de retard"
            + ("" if statement.b2c else " et à l'indemnité forfaitaire pour frais de recouvrement")
            + "."
        )
    rows = dict(statement.claimed_rows())
    extras = []
    if "penalties" in rows:
        what = "d'intérêts au taux légal" if statement.b2c else "de pénalités de retard"
        extras.append(f"{format_eur(rows['penalties'])} {what}")
    if "indemnity" in rows:
        extras.append(
            f"{format_eur(rows['indemnity'])} d'indemnité forfaitaire pour frais de recouvrement"
        )
    if not extras:
        return f"Cette somme correspond au principal restant dû ({principal})."
    parts = [f"{principal} en principal", *extras]
    return "Cette somme comprend " + ", ".join(parts[:-1]) + " et " + parts[-1] + "."


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
    waive_penalties: bool = False,
) -> LetterData:
    """Everything one letter prints, amounts to the cent as of the letter's date.

    Every amount comes from one `Statement` (models/letters/statement.py): the text's fields,
    the tables, the total and the QR code. A plan's instalments must add up to its total.
    """
    if not facts:
        raise InputError(
            f"aucune facture concernée pour {client.name} au "
            f"{as_of:%d/%m/%Y} : choisissez les factures"
        )
    b2c = client.kind == "b2c"
    require_mediator(company, b2c)  # C. conso. L612-1, L616-1: refused without a mediator
    statement = statement_of_account(
        facts, kind, as_of, rates, contractual, b2c=b2c, waive_penalties=waive_penalties
    )
    total = statement.total
    if kind == "penalty_statement" and total <= 0:
        raise InputError(
            "rien à réclamer dans un relevé de pénalités : aucune pénalité ni indemnité n'est "
            "due sur ces factures à cette date"
            + (
                " (pour un particulier, les intérêts courent à partir de la mise en demeure)"
                if b2c
                else ""
            )
        )
    notice = first_notice(facts, as_of)
    letters = earlier_letters(facts, as_of)
    plan = [InstalmentLine(i, d, from_cents(c)) for i, (d, c) in enumerate(instalments, start=1)]
    if plan and sum(c for _, c in instalments) != statement.total_cents:
        raise InputError(
            f"les échéances totalisent {format_eur(sum((x.amount for x in plan), ZERO))}, "
            f"l'accord porte sur {format_eur(total)} : recalculez l'échéancier"
        )
    # A deadline exists when the text gives one: counted from the letter's date, pushed past
    # a Saturday, Sunday or public holiday (CPC 642).
    due_by = deadline(as_of, deadline_days) if "date_limite" in fields_in(template, b2c) else None
    numbers = [x.number for x in statement.claimed_lines]  # what the text says is owed
    oldest = min(facts, key=lambda f: f.due_date)
    our_ref = f"REL-{client.id}-{as_of:%Y%m%d}"
    reference = payment_reference(numbers, our_ref)
    values = {
        "client": client.name,
        "civilite": CIVILITE_DEFAULT,
        "entreprise": company.name,
        "signataire": company.signatory or company.name,
        "telephone": company.phone,
        "email": company.email,
        "date_lettre": french_date(as_of),
        "nb_factures": str(len(numbers)),
        "liste_factures": format_invoice_list(numbers),
        "factures": format_invoices_phrase(numbers),
        "date_facture": french_date(min(f.issue_date for f in facts)),
        "date_echeance": french_date(oldest.due_date),
        "jours_retard": str(max(0, (as_of - oldest.due_date).days)),
        "echeances": due_phrase(statement),
        "retard": delay_phrase(statement),
        "montant_principal": format_eur(statement.principal),
        "penalites": format_eur(statement.penalties),
        "taux_penalites": statement.rate_text,
        "indemnite": format_eur(statement.indemnity),
        "total_du": format_eur(total),
        "couverture_echeancier": plan_cover_phrase(statement),
        "relances_precedentes": previous_steps_phrase(letters, notice),
        "interets_legaux": legal_interest_phrase(kind, notice),
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
    # The QR code asks for what the letter asks: its total, or a plan's first instalment.
    asked = plan[0].amount if plan else total
    transfer = (
        TransferRequest(company.name, company.iban, company.bic, asked, reference)
        if company.iban and asked > 0
        else None
    )
    caption = (
        f"QR code : 1re échéance, {format_eur(asked)} le {plan[0].due_date:%d/%m/%Y}"
        if plan
        else ""
    )
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
        statement=statement,
        our_ref=our_ref,
        your_ref="",
        deadline=due_by,
        registered=kind == "formal_notice",
        registered_number=registered_number,
        payment_reference=reference,
        transfer=transfer,
        transfer_caption=caption,
        instalments=tuple(plan),
        enclosures=enclosures(facts, letters) if kind == "formal_notice" else (),
        notes=(
            *((DAY_COUNT_NOTE,) if kind == "penalty_statement" else ()),
            *((UPCOMING_NOTE,) if len(statement.claimed_lines) < len(statement.lines) else ()),
        ),
        signature_block=tuple(x for x in (company.signatory, company.name) if x),
        values=tuple(values.items()),
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
