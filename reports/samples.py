"""Sample PDFs of every letter kind and of the aged balance: `python -m reports.samples DIR`."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from reportlab import rl_config

from models.address import postal_lines
from models.law.aging import AgedBalance, AgedRow, Buckets
from models.law.interest import PenaltyPeriod
from models.letters.documents import (
    Company,
    InstalmentLine,
    InvoiceLine,
    LetterData,
    PenaltyLine,
)
from reports.aged_balance import render_aged_balance
from reports.letters import render_letter

D = Decimal

COMPANY = Company(
    name="Atelier Exemple SARL",
    legal_form="SARL",
    capital="8 000 €",
    address_lines=("14 rue du Faubourg Saint-Antoine", "75011 PARIS"),
    city="Paris",
    siren="812 345 678",
    siret="812 345 678 00021",
    vat_number="FR45 812345678",
    rcs_city="Paris",
    phone="01 43 55 12 34",
    email="compta@atelier-exemple.fr",
    iban="FR76 3000 6000 0112 3456 7890 189",
    bic="AGRIFRPP882",
    signatory="Claire Exemple, gérante",
)
CLIENT = "Menuiserie Durand & Fils"
RECIPIENT = postal_lines(
    CLIENT,
    "Service comptabilité fournisseurs",
    "Zone artisanale des Grands Champs",
    "7, allée des Charpentiers",
    "",
    "45160",
    "Olivet",
)
F142 = "F2025-0142"
F158 = "F2025-0158"
GREETING = "Madame, Monsieur,"
CLOSING = "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées."
RATE_TEXT = "taux BCE + 10 points : 13,15 % jusqu'au 30 juin 2025, 12,15 % ensuite"


def _invoices(as_of: dt.date, *, second: bool = True) -> tuple[InvoiceLine, ...]:
    """The two sample invoices as they stand on `as_of`."""
    lines = [
        InvoiceLine(
            F142,
            dt.date(2025, 5, 21),
            dt.date(2025, 6, 20),
            D("10000.00"),
            D("0.00"),
            D("10000.00"),
            max(0, (as_of - dt.date(2025, 6, 20)).days),
        )
    ]
    if second:
        lines.append(
            InvoiceLine(
                F158,
                dt.date(2025, 6, 5),
                dt.date(2025, 7, 5),
                D("2460.00"),
                D("1000.00"),
                D("1460.00"),
                max(0, (as_of - dt.date(2025, 7, 5)).days),
            )
        )
    return tuple(lines)


def _letter(kind: str, date: dt.date, title: str, *paragraphs: str, **extra: object) -> LetterData:
    """A sample letter from Atelier Exemple to Menuiserie Durand & Fils."""
    return LetterData(
        kind=kind,
        company=COMPANY,
        recipient=RECIPIENT,
        client_name=CLIENT,
        b2c=False,
        place="Paris",
        date=date,
        title=title,
        paragraphs=(GREETING, *paragraphs),
        our_ref="CLI-0042",
        your_ref="bon de commande BC-2025-114",
        closing=CLOSING,
        signature_block=("Claire Exemple", "Gérante"),
        **extra,  # type: ignore[arg-type]
    )


def sample_letters() -> dict[str, LetterData]:
    """One realistic letter of each kind (amounts as models/law/interest.py computes them)."""
    both = {"principal": D("11460.00"), "payment_reference": "CLI-0042"}
    return {
        "preventive": _letter(
            "preventive",
            dt.date(2025, 6, 13),
            "Rappel d'échéance",
            f"Sauf erreur de notre part, la facture {F142} du 21 mai 2025 arrive à échéance "
            "le 20 juin 2025. Si son règlement est déjà programmé, merci de ne pas tenir compte "
            "de ce courrier.",
            invoices=_invoices(dt.date(2025, 6, 13), second=False),
            subject=f"Facture {F142}",
            principal=D("10000.00"),
            total=D("10000.00"),
            payment_reference=F142,
        ),
        "reminder_1": _letter(
            "reminder_1",
            dt.date(2025, 6, 27),
            "Relance de paiement",
            f"Sauf erreur ou omission de notre part, la facture {F142}, échue le 20 juin 2025, "
            "reste impayée à ce jour. Il s'agit sans doute d'un oubli : nous vous remercions de "
            "bien vouloir procéder à son règlement dans les meilleurs délais.",
            invoices=_invoices(dt.date(2025, 6, 27), second=False),
            subject=f"Facture {F142}",
            principal=D("10000.00"),
            total=D("10000.00"),
            payment_reference=F142,
        ),
        "reminder_2": _letter(
            "reminder_2",
            dt.date(2025, 7, 5),
            "Deuxième relance",
            f"Malgré notre précédent courrier, la facture {F142} reste impayée. Nous vous "
            "rappelons que tout retard de paiement entraîne de plein droit des pénalités de "
            "retard et une indemnité forfaitaire de 40 € pour frais de recouvrement "
            "(C. com. L441-10 et D441-5).",
            invoices=_invoices(dt.date(2025, 7, 5), second=False),
            subject=f"Facture {F142}",
            principal=D("10000.00"),
            penalties=D("52.67"),
            indemnity=D("40.00"),
            total=D("10092.67"),
            penalty_rate_text=RATE_TEXT,
            payment_reference=F142,
        ),
        "reminder_3": _letter(
            "reminder_3",
            dt.date(2025, 7, 15),
            "Dernière relance avant poursuites",
            "Nos relances sont restées sans effet. Sans règlement de votre part sous huit jours, "
            "nous vous adresserons une mise en demeure puis engagerons une procédure de "
            "recouvrement judiciaire, dont les frais resteront à votre charge.",
            invoices=_invoices(dt.date(2025, 7, 15)),
            subject=f"Factures {F142} et {F158}",
            penalties=D("90.82"),
            indemnity=D("80.00"),
            total=D("11630.82"),
            penalty_rate_text=RATE_TEXT,
            **both,
        ),
        "formal_notice": _letter(
            "formal_notice",
            dt.date(2025, 7, 20),
            "Mise en demeure de payer",
            "Malgré nos relances des 27 juin, 5 et 15 juillet 2025, les factures ci-dessous "
            "restent impayées.",
            "Par la présente, nous vous mettons en demeure de nous régler la somme de "
            "11 649,90 €, pénalités et indemnités comprises, au plus tard le 28 juillet 2025.",
            "À défaut, nous saisirons la juridiction compétente sans autre avis, les frais de "
            "procédure restant à votre charge. Ce courrier fait courir les intérêts de retard.",
            invoices=_invoices(dt.date(2025, 7, 20)),
            subject="Mise en demeure de payer",
            penalties=D("109.90"),
            indemnity=D("80.00"),
            total=D("11649.90"),
            penalty_rate_text=RATE_TEXT,
            deadline=dt.date(2025, 7, 28),
            registered=True,
            registered_number="1A 198 765 4321 0",
            **both,
        ),
        "payment_plan": _letter(
            "payment_plan",
            dt.date(2025, 8, 1),
            "Accord d'échéancier de paiement",
            "Suite à notre entretien téléphonique du 30 juillet 2025, nous acceptons que le "
            "solde de vos factures soit réglé en quatre mensualités, selon l'échéancier "
            "ci-dessous.",
            "Tant que l'échéancier est respecté, nous renonçons aux pénalités de retard. Une "
            "échéance impayée rendra immédiatement exigible la totalité des sommes dues.",
            "Merci de nous retourner un exemplaire signé de ce courrier.",
            invoices=_invoices(dt.date(2025, 8, 1)),
            subject="Échéancier de paiement",
            total=D("11460.00"),
            instalments=tuple(
                InstalmentLine(n, dt.date(2025, 7 + n, 15), D("2865.00")) for n in range(1, 5)
            ),
            **both,
        ),
        "penalty_statement": _letter(
            "penalty_statement",
            dt.date(2025, 7, 10),
            "Décompte des pénalités de retard",
            f"Nous avons bien reçu le règlement de la facture {F142} le 10 juillet 2025, "
            "soit 20 jours après son échéance. Conformément à nos conditions générales de vente "
            "et à l'article L441-10 du Code de commerce, voici le décompte des sommes restant "
            "dues au titre de ce retard.",
            invoices=(
                InvoiceLine(
                    F142,
                    dt.date(2025, 5, 21),
                    dt.date(2025, 6, 20),
                    D("10000.00"),
                    D("10000.00"),
                    D("0.00"),
                    20,
                ),
            ),
            subject=f"Pénalités de retard, facture {F142}",
            penalty_lines=(
                PenaltyLine(
                    F142,
                    dt.date(2025, 6, 20),
                    (
                        PenaltyPeriod(
                            dt.date(2025, 6, 21),
                            dt.date(2025, 6, 30),
                            10,
                            D("10000.00"),
                            D("13.15"),
                            D("36.03"),
                        ),
                        PenaltyPeriod(
                            dt.date(2025, 7, 1),
                            dt.date(2025, 7, 10),
                            10,
                            D("10000.00"),
                            D("12.15"),
                            D("33.29"),
                        ),
                    ),
                    D("69.32"),
                    D("40.00"),
                ),
            ),
            penalties=D("69.32"),
            indemnity=D("40.00"),
            total=D("109.32"),
            penalty_rate_text=RATE_TEXT,
            payment_reference=f"PEN-{F142}",
        ),
    }


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
        written[-1].write_bytes(render_aged_balance(sample_aged_balance(), COMPANY.name))
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
