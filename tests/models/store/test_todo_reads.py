"""The to-do's reads (models/store/todo_reads.py) on either connection, and on both engines.

`todo_ledger` makes random ledgers for the to-do: the random ledgers of the stages, then
clients missing their postal address or e-mail, e-mails in "état inconnu" (and failed ones),
promises to pay, and a second stored policy followed by some clients.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import text

from models.ids import ClientId
from models.law.policy import Policy
from models.store.ledger import Ledger
from models.store.todo_reads import _client_scopes, pending_mails
from tests.models.store.test_stages_stream import TODAY, random_ledger

# A zone away from UTC: a message's moment is stored in UTC and read back in UTC.
PARIS = dt.timezone(dt.timedelta(hours=1))


def todo_ledger(path: str, seed: int) -> Ledger:
    """A random ledger with all the to-do marks: see the module's docstring."""
    rng = random.Random(seed)
    ledger = random_ledger(path, seed)
    add_todo_cases(ledger, rng)
    return ledger


def add_todo_cases(ledger: Ledger, rng: random.Random) -> None:
    """Policies, promises, missing contacts and e-mails of every status, at random."""
    base = ledger.policy()
    ledger.set_policy(
        replace(base, steps=tuple(replace(s, offset_days=s.offset_days + 2) for s in base.steps))
    )
    ledger.set_policy(souple(base), "Souple")
    with ledger.engine.begin() as conn:
        clients = [int(i) for (i,) in conn.execute(text("SELECT id FROM client ORDER BY id"))]
        invoices = [
            (int(i), int(c))
            for i, c in conn.execute(text("SELECT id, client_id FROM invoice ORDER BY id"))
        ]
        for cid in clients:
            edits = []
            if rng.random() < 0.2:
                edits.append("street = '', locality = ''")
            if rng.random() < 0.15:
                edits.append("city = ''")
            if rng.random() < 0.15:
                edits.append("postal_code = '', country = ''")
            if rng.random() < 0.3:
                edits.append("email = ''")
            if rng.random() < 0.3:
                edits.append("policy_name = 'Souple'")
            if edits:
                conn.execute(text(f"UPDATE client SET {', '.join(edits)} WHERE id = {cid}"))
            if rng.random() < 0.3:  # no contact with an address either (or a blank one)
                conn.execute(text(f"UPDATE contact SET email = '' WHERE client_id = {cid}"))
    for inv, cid in invoices:
        if rng.random() < 0.1:  # a promise, fallen due or not by the dates the tests use
            promised = TODAY + dt.timedelta(days=rng.randint(-300, 40))
            ledger.record_action(
                ClientId(cid),
                promised - dt.timedelta(days=rng.randint(1, 20)),
                "promise",
                invoice_ids=[inv],
                promise_date=promised,
                promise_amount=Decimal("100.00"),
            )
    # E-mails for the steps due today (their mark is tested) and for random invoices.
    due = [i for i in ledger.todo(TODAY) if i.channel == "email"]
    chosen = [(i.client_id, i.invoice_ids[:1], i.step) for i in due if rng.random() < 0.5]
    for _ in range(rng.randint(0, 4)):
        inv, cid = rng.choice(invoices)
        chosen.append((cid, [inv], "reminder_1"))
    for n, (cid, ids, kind) in enumerate(chosen):
        at = dt.datetime(2026, 11, rng.randint(1, 23), rng.randint(0, 23), rng.randint(0, 59))
        at = at.replace(microsecond=rng.choice((0, 123456)), tzinfo=rng.choice((dt.UTC, PARIS)))
        mail = ledger.mail_pending(
            ClientId(cid), kind, ids, [f"a{n}@exemple.fr"], f"Relance {n} « test »", f"<{n}@x>", at
        )
        if rng.random() < 0.25:
            ledger.mail_failed(mail, "refusé")


def souple(base: Policy) -> Policy:
    """A second stored policy: a later first step, a short preventive window."""
    return replace(base, name="Souple", preventive_window_days=2)


def test_pending_mails_read_back_as_stored(tmp_path):
    ledger = Ledger.open(str(tmp_path / "m.sqlite"))
    try:
        cid = ledger.add_client("Dupré & Fils")
        inv = ledger.add_invoice(
            cid, "F-1", dt.date(2026, 9, 1), Decimal("120.00"), dt.date(2026, 10, 1)
        )
        paris = dt.datetime(2026, 11, 2, 0, 30, 7, 250000, tzinfo=PARIS)
        ledger.mail_pending(cid, "reminder_1", [inv], ["a@b.fr"], "Sujet", "<1@x>", paris)
        utc = dt.datetime(2026, 11, 1, 23, 59, tzinfo=dt.UTC)
        ledger.mail_pending(cid, "reminder_2", [inv, 999], ["c@d.fr"], "Autre", "<2@x>", utc)
        with ledger._read() as conn:
            found = pending_mails(conn)
        # Oldest first; the moments in UTC as the ORM gives them; an unknown invoice "?".
        assert [(m.kind, m.created_at, m.invoices) for m in found] == [
            ("reminder_1", dt.datetime(2026, 11, 1, 23, 30, 7, 250000, tzinfo=dt.UTC), ("F-1",)),
            ("reminder_2", utc, ("F-1", "?")),
        ]
        assert found == ledger.pending_mails()
        assert (found[0].client, found[0].subject, found[0].recipients) == (
            "Dupré & Fils",
            "Sujet",
            "a@b.fr",
        )
    finally:
        ledger.close()


def test_todo_marks_the_same_on_both_engines(ledger_any):
    """The to-do's SQL on SQLite and PostgreSQL: the same items, marks included."""
    ledger = ledger_any
    cid = ledger.add_client("Sans Adresse SARL")  # no address, no e-mail
    other = ledger.add_client(
        "Complet SA", street="1 rue de la Paix", postal_code="75002", city="Paris"
    )
    ledger.add_contact(other, "Compta", email="compta@complet.fr", accounts_payable=True)
    due = dt.date(2026, 6, 1)
    ids = [
        ledger.add_invoice(
            client, f"F-{n}", due - dt.timedelta(days=30), Decimal("500.00"), due + dt.timedelta(n)
        )
        for n, client in enumerate((cid, other, cid, other))
    ]
    for client, inv in ((cid, ids[2]), (other, ids[3])):  # the next step is a letter
        on = dt.date(2026, 7, 1)
        ledger.record_action(
            client, on, "email", invoice_ids=[inv], channel="email", step="reminder_1"
        )
    ledger.add_invoice(other, "F-9", dt.date(2026, 10, 1), Decimal("80.00"), dt.date(2026, 11, 20))
    item = next(i for i in ledger.todo(TODAY) if i.channel == "email")
    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)
    ledger.mail_pending(
        ClientId(item.client_id), item.step, item.invoice_ids, ["x@y.fr"], "S", "<m>", at
    )
    marked = [(i.client, i.step, i.missing, i.unknown_mail[:36]) for i in ledger.todo(TODAY)]
    unknown = "e-mail du 20/11/2026 en état inconnu"
    postal = "adresse postale incomplète (rue (ou boîte postale), code postal, ville)"
    assert marked == [
        ("Sans Adresse SARL", "reminder_1", "pas d'adresse e-mail", unknown),
        ("Complet SA", "reminder_1", "", ""),
        ("Complet SA", "reminder_2", "", ""),
        ("Sans Adresse SARL", "reminder_2", postal, ""),
        ("Complet SA", "courtesy_call", "", ""),
    ]
    # Clients with nothing to do: the two are now a small share, read by their ids, not
    # by a scan of every client (models.store.todo_reads._client_scopes): the same marks.
    for n in range(5):
        ledger.add_client(f"Autre {n}")
    again = [(i.client, i.step, i.missing, i.unknown_mail[:36]) for i in ledger.todo(TODAY)]
    assert again == marked
    with ledger._read() as conn:
        assert pending_mails(conn) == ledger.pending_mails()
        assert _client_scopes(conn, {1, 2}) == [" AND {column} IN (1,2)"]
        assert _client_scopes(conn, {1, 2, 3, 4}) == [""]
