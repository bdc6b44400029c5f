"""The raw floor of an import: the csv module and sqlite3 `executemany`, one transaction.

Reads the benchmark CSV (bench_import.py writes it), converts dates and amounts with the least
Python possible and inserts clients, invoices and payments into a copy of the app's empty
schema. No checks, no report: what any import must at least spend.

    python benchmarks/floors/import_floor.py EMPTY_SCHEMA.sqlite FILE.csv
"""

import csv
import sqlite3
import sys


def iso(day: str) -> str:
    """JJ/MM/AAAA -> AAAA-MM-JJ."""
    return f"{day[6:10]}-{day[3:5]}-{day[0:2]}"


def cents(amount: str) -> int:
    """'1 234,56' -> 123456."""
    return int(amount.replace(" ", "").replace(",", ""))


def main() -> None:
    db, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    clients: dict[str, int] = {}
    invoices, payments = [], []
    for client, issue, number, due, ttc, paid, pay_date in rows:
        cid = clients.setdefault(client, len(clients) + 1)
        amount = cents(ttc)
        invoices.append((len(invoices) + 1, number, cid, iso(issue), iso(due), amount))
        if paid == "oui":
            payments.append((len(invoices), iso(pay_date or due), amount))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO client (id, name, legal_form, kind, siren, siret, attention, building, "
        "street, locality, postal_code, city, country, email, phone, payment_notes, is_new, "
        "late_payer, pause_reason, archived) "
        "VALUES (?, ?, '', 'b2b', '', '', '', '', '', '', '', '', '', '', '', '', 0, 0, '', 0)",
        [(i, name) for name, i in clients.items()],
    )
    conn.executemany(
        "INSERT INTO invoice (id, number, client_id, order_number, subject, issue_date, "
        "due_date, due_date_given, amount_ht_cents, vat_cents, amount_ttc_cents, deposit_cents, "
        "disputed, dispute_reason, written_off, written_off_reason, pause_reason, archived, "
        "penalties_from_max_term, payment_terms) "
        "VALUES (?, ?, ?, '', '', ?, ?, 1, 0, 0, ?, 0, 0, '', 0, '', '', 0, 0, '')",
        invoices,
    )
    conn.executemany(
        "INSERT INTO payment (invoice_id, date, amount_cents, method, reference, cancel_reason) "
        "VALUES (?, ?, ?, 'other', 'import', '')",
        payments,
    )
    conn.execute("COMMIT")
    conn.close()
    print(f"{len(clients)} clients, {len(invoices)} invoices, {len(payments)} payments")


if __name__ == "__main__":
    main()
