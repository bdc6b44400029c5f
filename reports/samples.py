"""Sample PDFs of every letter kind and of the aged balance: `python -m reports.samples DIR`.

The letters come from the real pipeline (an in-memory ledger, the shipped templates, the
statement of account), so a sample shows exactly what a user would print on those facts.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from reportlab import rl_config

from models.ids import ClientId, InvoiceId
from models.law.aging import AgedBalance, AgedRow, Buckets
from models.law.plans import split_instalments
from models.letters.documents import LetterData
from models.store.ledger import Ledger
from reports.aged_balance import render_aged_balance
from reports.letters import render_letter

D = Decimal

COMPANY = {
    "name": "Atelier Exemple SARL",
    "legal_form": "SARL",
    "capital": "8 000 €",
    "street": "14 rue du Faubourg Saint-Antoine",
    "postal_code": "75011",
    "city": "Paris",
    "siren": "732829320",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
    "rcs_city": "Paris",
    "phone": "01 43 55 12 34",
    "email": "compta@atelier-exemple.fr",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP882",
    "signatory": "Claire Exemple, gérante",
    "mediator_name": "Médiation Exemple de la consommation",
    "mediator_url": "www.mediation-exemple.fr",
}
COMPANY_NAME = str(COMPANY["name"])
F142, F158, F163 = "F2025-0142", "F2025-0158", "F2025-0163"


def sample_ledger() -> tuple[Ledger, ClientId, ClientId]:
    """A ledger with one professional client (three invoices) and one consumer (one invoice)."""
    ledger = Ledger.open("sqlite://")
    ledger.set_company(COMPANY)
    pro = ledger.add_client(
        "Menuiserie Durand & Fils",
        attention="Service comptabilité fournisseurs",
        building="Zone artisanale des Grands Champs",
        street="7 allée des Charpentiers",
        postal_code="45160",
        city="Olivet",
    )
    ledger.add_invoice(pro, F142, dt.date(2025, 5, 21), D("10000.00"), dt.date(2025, 6, 20))
    second = ledger.add_invoice(pro, F158, dt.date(2025, 6, 5), D("2460.00"), dt.date(2025, 7, 5))
    ledger.record_payment(second, dt.date(2025, 7, 2), D("1000.00"))
    ledger.add_invoice(pro, F163, dt.date(2025, 6, 12), D("1875.40"), dt.date(2025, 7, 12))
    person = ledger.add_client(
        "Mme Sophie Lambert", "b2c", street="12 rue des Lilas", postal_code="69003", city="Lyon"
    )
    ledger.add_invoice(person, "F2025-0171", dt.date(2025, 6, 2), D("1380.00"), dt.date(2025, 7, 2))
    return ledger, pro, person


def sample_letters() -> dict[str, LetterData]:
    """One realistic letter of each kind, built as the app builds them (same facts, same date)."""
    ledger, pro, person = sample_ledger()
    ids = {inv.number: InvoiceId(inv.id) for inv in ledger.facts(client_id=pro)}
    first = [ids[F142]]
    all_three = [ids[F142], ids[F158], ids[F163]]
    plan_day = dt.date(2025, 8, 1)
    plan_total = ledger.statement(pro, "payment_plan", plan_day, all_three).total_cents
    letters = {
        "preventive": ledger.letter(pro, "preventive", dt.date(2025, 6, 13), first),
        "reminder_1": ledger.letter(pro, "reminder_1", dt.date(2025, 6, 27), first),
        "reminder_2": ledger.letter(pro, "reminder_2", dt.date(2025, 7, 14), first),
        "reminder_3": ledger.letter(pro, "reminder_3", dt.date(2025, 7, 25), all_three),
    }
    # The reminders went out (the notice lists them among its enclosures).
    ledger.record_letter_sent(pro, "reminder_1", first, dt.date(2025, 6, 27))
    ledger.record_letter_sent(pro, "reminder_2", first, dt.date(2025, 7, 14))
    ledger.record_letter_sent(pro, "reminder_3", all_three, dt.date(2025, 7, 25))
    letters |= {
        "formal_notice": ledger.letter(
            pro, "formal_notice", dt.date(2025, 7, 31), all_three, "1A 198 765 4321 0"
        ),
        "payment_plan": ledger.letter(
            pro,
            "payment_plan",
            plan_day,
            all_three,
            instalments=split_instalments(plan_total, 4, dt.date(2025, 8, 15)),
        ),
    }
    ledger.record_payment(ids[F142], dt.date(2025, 7, 10), D("10000.00"))
    letters["penalty_statement"] = ledger.letter(
        pro, "penalty_statement", dt.date(2025, 7, 15), first
    )
    b2c_id = next(iter(ledger.facts(client_id=person))).id
    letters["reminder_3_b2c"] = ledger.letter(person, "reminder_3", dt.date(2025, 7, 28), [b2c_id])
    ledger.close()
    return letters


_CLIENTS = (
    ("Boulangerie Martin", (120, 0, 0, 0, 0), 18),
    ("Menuiserie Durand & Fils", (0, 0, 1460, 10000, 0), 62),
    ("Cabinet Lefèvre Architectes", (4800, 2400, 0, 0, 0), 35),
    ("Garage des Deux Ponts", (0, 950, 0, 0, 3120), 88),
    ("Hôtel du Lac d'Annecy", (15600, 0, 7200, 0, 0), 41),
    ("Imprimerie Rousseau", (2300, 0, 0, 0, 0), 22),
    ("SCI Les Tilleuls", (0, 0, 0, 0, 6540), 140),
    ("Traiteur Saveurs d'Orient", (880, 440, 0, 0, 0), 30),
)


def sample_aged_balance() -> AgedBalance:
    """A small aged balance on 30 June 2025 with realistic client names and amounts."""
    buckets = Buckets()
    rows = []
    for client_id, (name, amounts, dso) in enumerate(sorted(_CLIENTS), start=1):
        cents = tuple(int(a) * 100 for a in amounts)  # whole euros in the sample
        rows.append(AgedRow(client_id, name, cents, None, D(dso), sum(1 for c in cents if c)))
    totals = tuple(sum((r.amounts[i] for r in rows), D("0.00")) for i in range(5))
    return AgedBalance(
        dt.date(2025, 6, 30),
        buckets,
        tuple(rows),
        totals,
        sum(totals, D("0.00")),
        sum(totals[1:], D("0.00")),
        D("52"),
    )


def write_samples(directory: Path) -> list[Path]:
    """Write every sample PDF into `directory` and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    documents = {f"{kind}.pdf": data for kind, data in sample_letters().items()}
    written = []
    previous = rl_config.invariant
    rl_config.invariant = 1  # same bytes on every run: no timestamp, fixed document id
    try:
        for name, data in documents.items():
            written.append(directory / name)
            written[-1].write_bytes(render_letter(data))
        written.append(directory / "aged_balance.pdf")
        written[-1].write_bytes(render_aged_balance(sample_aged_balance(), COMPANY_NAME))
    finally:
        rl_config.invariant = previous
    return written


def main(argv: list[str]) -> int:
    """Command line: write the samples into the directory given (docs/samples by default)."""
    target = Path(argv[0]) if argv else Path("docs/samples")
    for path in write_samples(target):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
