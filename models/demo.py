"""A realistic demo data set, dated relative to a given day; scaled up, the benchmark database."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import text
from sqlmodel import SQLModel

from models.store.db import reset_sequences
from models.store.tables import (
    Action,
    ActionInvoice,
    Client,
    Contact,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    PlanInvoice,
)

COMPANIES = (
    "Boulangerie Martin",
    "Studio Kasba",
    "Agence Lumen",
    "Pressing du Centre",
    "Librairie L'Écume",
    "Cabinet Aubry",
    "SAS Ferronnerie Roux",
    "Menuiserie Perrin",
    "Garage des Tilleuls",
    "Imprimerie Vasseur",
    "Atelier Nomade",
    "Fromagerie Lemoine",
    "Plomberie Durand & Fils",
    "Hôtel Les Glycines",
    "Pharmacie du Marché",
    "Transports Giraud",
    "Brasserie Le Comptoir",
    "Clinique Vétérinaire Saint-Roch",
    "Électricité Bonnet",
    "Dupont & Fils <SARL>",
    "Fleurs de Saison",
    "Cave Coopérative de Vinsobres",
    "Architectes Morel Associés",
    "Cordonnerie Pascal",
    "Éditions du Quai",
    "Bureau d'études Lefèvre",
    "Caviste Chevalier",
    "Auto-école Mistral",
    "Salon Coiffure Élégance",
    "Restaurant Chez Léon",
    "Maraîchers du Val",
    "SCI Les Ormes",
    "Taxi Brunet",
    "Traiteur Gaillard",
    "Optique Renard",
    "Cabinet Infirmier Rolland",
)
PERSONS = (
    "M. Julien Bertrand",
    "Mme Claire Fontaine",
    "M. Paul Mercier",
    "Mme Inès Garnier",
    "M. Hugo Lambert",
    "Mme Léa Rousseau",
    "M. Karim Benali",
    "Mme Sophie Marchand",
    "M. Antoine Faure",
    "Mme Nadia Haddad",
)
STREETS = (
    "rue de la République",
    "avenue Jean Jaurès",
    "boulevard Victor Hugo",
    "rue du Général Leclerc",
    "place de la Mairie",
    "chemin des Vignes",
    "rue Pasteur",
    "allée des Tilleuls",
    "quai de Saône",
    "rue Nationale",
)
TOWNS = (
    ("69002", "Lyon"),
    ("13001", "Marseille"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("31000", "Toulouse"),
    ("67000", "Strasbourg"),
    ("45000", "Orléans"),
    ("42000", "Saint-Étienne"),
    ("75011", "Paris"),
    ("26110", "Nyons"),
    ("59000", "Lille"),
)
SUBJECTS = (
    "Prestation de conseil",
    "Travaux de rénovation",
    "Fourniture de matériel",
    "Site internet",
    "Maintenance annuelle",
    "Création graphique",
    "Formation",
    "Livraison de marchandises",
    "Dépannage",
    "Étude et devis",
)
DEMO_COMPANY = {
    "name": "Atelier Exemple",
    "legal_form": "SARL",
    "capital": "10 000 €",
    "street": "8 rue des Artisans",
    "postal_code": "69003",
    "city": "Lyon",
    "siren": "732829320",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
    "rcs_city": "Lyon",
    "phone": "04 78 12 34 56",
    "email": "compta@atelier-exemple.fr",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "signatory": "Camille Exemple, gérante",
    "mediator_name": "Médiation Exemple de la consommation",
    "mediator_url": "www.mediation-exemple.fr",
}
FIRST_NAMES = ("Nathalie", "Olivier", "Sandrine", "Thomas", "Isabelle", "Marc", "Céline", "David")


def luhn_siren(rng: random.Random) -> str:
    """A random SIREN with a valid Luhn key (the check SIREN and SIRET use)."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
    for key in range(10):
        cand = [*digits, key]
        total = 0
        for i, d in enumerate(reversed(cand)):
            d2 = d * 2 if i % 2 else d
            total += d2 - 9 if d2 > 9 else d2
        if total % 10 == 0:
            return "".join(map(str, cand))
    raise AssertionError("unreachable")


class _Builder:
    """Collects rows per table with explicit ids, then inserts them in one transaction."""

    def __init__(self, start_ids: dict[str, int]) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.next_id = dict(start_ids)

    def add(self, table: type[Any], **values: Any) -> int:
        name = str(table.__tablename__)
        if "id" in table.model_fields:
            values["id"] = self.next_id[name] = self.next_id.get(name, 0) + 1
        # executemany compiles from the first row's keys: every row must carry every column.
        defaults = {
            k: None if f.is_required() else f.default for k, f in table.model_fields.items()
        }
        self.rows.setdefault(name, []).append(defaults | values)
        return int(values.get("id", 0))


def build_demo(
    ledger: Any,
    today: dt.date,
    seed: int = 7,
    clients: int = 42,
    invoices_per_client: tuple[int, int] = (7, 13),
) -> dict[str, int]:
    """Create clients and invoices in every stage as of `today`; one transaction."""
    rng = random.Random(seed)
    with ledger.engine.begin() as conn:
        start = {
            t: conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")).scalar_one()
            for t in (
                "client",
                "contact",
                "invoice",
                "payment",
                "action",
                "paymentplan",
                "instalment",
            )
        }
        existing = {n for (n,) in conn.execute(text("SELECT number FROM invoice"))}
        b = _Builder(start)
        seq = [len(existing)]
        for n in range(clients):
            _demo_client(b, rng, n, today, invoices_per_client, seq, existing)
        _scenarios(b, rng, today, seq, existing)
        for table in (
            Client,
            Contact,
            Invoice,
            Payment,
            Action,
            ActionInvoice,
            PaymentPlan,
            PlanInvoice,
            Instalment,
        ):
            name = str(table.__tablename__)
            rows = b.rows.get(name, [])
            if rows:
                conn.execute(SQLModel.metadata.tables[name].insert(), rows)
        reset_sequences(conn, [str(t) for t in b.rows])
    if not (ledger.setting("company") or {}).get("name"):
        ledger.set_setting("company", DEMO_COMPANY)
    ledger._changed()
    return {"clients": len(b.rows.get("client", [])), "invoices": len(b.rows.get("invoice", []))}


def _number(seq: list[int], issue: dt.date, existing: set[str]) -> str:
    while True:
        seq[0] += 1
        number = f"FA-{issue.year}-{seq[0]:05d}"
        if number not in existing:
            existing.add(number)
            return number


def _new_client(
    b: _Builder, rng: random.Random, n: int, today: dt.date, name: str = ""
) -> tuple[int, bool]:
    b2c = n % 6 == 5
    pool, k = (PERSONS, n // 6) if b2c else (COMPANIES, n - n // 6)
    name = name or pool[k % len(pool)] + ("" if k < len(pool) else f" ({k // len(pool) + 1})")
    postal, town = TOWNS[rng.randrange(len(TOWNS))]
    siren = "" if b2c else luhn_siren(rng)
    cid = b.add(
        Client,
        name=name,
        kind="b2c" if b2c else "b2b",
        siren=siren,
        legal_form="" if b2c else rng.choice(("SARL", "SAS", "EURL", "SA", "SCI")),
        attention="" if b2c else "Service comptabilité fournisseurs",
        street=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        postal_code=postal,
        city=town,
        email=f"compta{n}@exemple.fr",
        phone=f"04 7{rng.randint(0, 9)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
        payment_notes=""
        if b2c or n % 3
        else "Factures à déposer sur le portail fournisseurs, avec le numéro de bon de commande.",
        is_new=n % 11 == 3,
        late_payer=n % 7 == 2,
    )
    if not b2c:
        b.add(
            Contact,
            client_id=cid,
            name=f"{rng.choice(FIRST_NAMES)} {name.split()[-1]}",
            role="Comptabilité fournisseurs",
            phone="04 78 00 00 00",
            email=f"ap{n}@exemple.fr",
        )
    return cid, b2c


def _demo_client(
    b: _Builder,
    rng: random.Random,
    n: int,
    today: dt.date,
    per_client: tuple[int, int],
    seq: list[int],
    existing: set[str],
) -> None:
    cid, b2c = _new_client(b, rng, n, today)
    slow = n % 4 == 1  # a quarter of the clients pay late
    for _ in range(rng.randint(*per_client)):
        issue = today - dt.timedelta(days=rng.randint(0, 400))
        term = rng.choice((30, 30, 45, 60)) if not b2c else 15
        due = issue + dt.timedelta(days=term)
        amount = rng.randint(150_00, 12_000_00) if not b2c else rng.randint(80_00, 2_500_00)
        inv = b.add(
            Invoice,
            number=_number(seq, issue, existing),
            client_id=cid,
            issue_date=issue,
            sent_date=issue,
            due_date=due,
            amount_ttc_cents=amount,
            amount_ht_cents=amount * 5 // 6,
            vat_cents=amount - amount * 5 // 6,
            subject=rng.choice(SUBJECTS),
            order_number=f"BC{rng.randint(1000, 9999)}",
        )
        late = rng.randint(20, 150) if slow else rng.randint(-10, 25)
        paid_on = due + dt.timedelta(days=late)
        # Old invoices are mostly settled; the recent ones carry the open balance.
        still_open = 0.35 if (today - due).days < 75 else 0.03
        if paid_on <= today and rng.random() > still_open:
            b.add(
                Payment,
                invoice_id=inv,
                date=paid_on,
                amount_cents=amount,
                method=rng.choice(("transfer", "transfer", "cheque", "card")),
            )
            _reminders(b, cid, inv, due, min(paid_on, today))
            continue
        if due < today and rng.random() < 0.2:
            part = amount * rng.choice((25, 40, 50)) // 100
            b.add(
                Payment,
                invoice_id=inv,
                date=due + dt.timedelta(days=rng.randint(1, 20)),
                amount_cents=part,
                method="transfer",
            )
        # Old debts have had the whole ladder; recent ones stopped somewhere along it.
        stop = 4 if (today - due).days > 45 else rng.choice((0, 1, 2, 3, 4))
        _reminders(b, cid, inv, due, today, stop=stop)


def _reminders(
    b: _Builder, cid: int, inv: int, due: dt.date, until: dt.date, stop: int = 4
) -> None:
    """The reminders the default policy would have sent up to `until` (at most `stop` of them)."""
    ladder = (
        ("reminder_1", 7, "email", "email"),
        ("reminder_2", 15, "letter", "letter"),
        ("reminder_3", 25, "letter", "letter"),
        ("formal_notice", 30, "registered_letter", "formal_notice"),
    )
    for step, offset, channel, kind in ladder[:stop]:
        on = due + dt.timedelta(days=offset)
        if on > until:
            break
        aid = b.add(
            Action,
            client_id=cid,
            date=on,
            kind=kind,
            channel=channel,
            step=step,
            notes="Envoyé (démo)",
            registered_number="1A 123 456 7890 1" if kind == "formal_notice" else "",
        )
        b.add(ActionInvoice, action_id=aid, invoice_id=inv)


def _scenarios(
    b: _Builder, rng: random.Random, today: dt.date, seq: list[int], existing: set[str]
) -> None:
    """Invoices that put every stage and every to-do kind on screen."""

    def d(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    cid, _ = _new_client(b, rng, 0, today, name="Groupe Horizon Distribution")

    def inv(issue: int, due: int, cents: int, **kw: Any) -> int:
        return b.add(
            Invoice,
            number=_number(seq, d(issue), existing),
            client_id=cid,
            issue_date=d(issue),
            sent_date=d(issue),
            due_date=d(due),
            amount_ttc_cents=cents,
            subject=kw.pop("subject", "Mission de conseil"),
            **kw,
        )

    inv(-2, 40, 4_200_00)  # not due
    inv(-25, 4, 1_850_00)  # due soon
    late = inv(-40, -3, 2_600_00)  # overdue: courtesy call
    b.add(Payment, invoice_id=late, date=d(-1), amount_cents=600_00, method="cheque")
    disputed = inv(
        -80,
        -50,
        3_300_00,
        disputed=True,
        disputed_on=d(-20),
        dispute_reason="Livraison incomplète selon le client",
    )
    b.add(
        ActionInvoice,
        action_id=b.add(
            Action,
            client_id=cid,
            date=d(-20),
            kind="dispute",
            notes="Livraison incomplète selon le client",
        ),
        invoice_id=disputed,
    )
    inv(
        -400,
        -370,
        980_00,
        written_off=True,
        written_off_on=d(-30),
        written_off_reason="Liquidation judiciaire du client",
    )
    for kind, when in (("legal_step", -10), ("handover", -5)):
        x = inv(-150, -120, 5_400_00)
        _reminders(b, cid, x, d(-120), today)
        b.add(
            ActionInvoice,
            action_id=b.add(
                Action,
                client_id=cid,
                date=d(when),
                kind=kind,
                step="legal_action" if kind == "legal_step" else "",
                notes="Requête en injonction de payer déposée"
                if kind == "legal_step"
                else "Dossier transmis",
            ),
            invoice_id=x,
        )
    # Three reminders sent: the formal notice is due.
    notice = inv(-63, -33, 2_950_00, subject="Fourniture de matériel")
    _reminders(b, cid, notice, d(-33), today, stop=3)
    # A promise to pay that falls due today.
    promised = inv(-50, -20, 1_470_00)
    b.add(
        ActionInvoice,
        action_id=b.add(
            Action,
            client_id=cid,
            date=d(-6),
            kind="promise",
            channel="call",
            outcome="Promesse",
            notes="Le gérant promet un virement",
            promise_date=today,
            promise_amount_cents=1_470_00,
        ),
        invoice_id=promised,
    )
    # A payment plan on schedule, and one broken by a missed instalment.
    for agreed, paid in ((-40, True), (-70, False)):
        x = inv(agreed - 60, agreed - 30, 3_000_00)
        _reminders(b, cid, x, d(agreed - 30), d(agreed - 1), stop=2)
        plan = b.add(PaymentPlan, client_id=cid, agreed_on=d(agreed))
        b.add(PlanInvoice, plan_id=plan, invoice_id=x)
        for k in range(3):
            b.add(Instalment, plan_id=plan, due_date=d(agreed + 10 + 30 * k), amount_cents=1_000_00)
            if paid and agreed + 10 + 30 * k <= 0:
                b.add(Payment, invoice_id=x, date=d(agreed + 10 + 30 * k), amount_cents=1_000_00)
        b.add(
            ActionInvoice,
            action_id=b.add(
                Action,
                client_id=cid,
                date=d(agreed),
                kind="agreement",
                step="payment_plan",
                notes="Échéancier en 3 versements",
            ),
            invoice_id=x,
        )
