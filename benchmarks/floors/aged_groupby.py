"""Floor of the aged balance: one GROUP BY in a bare `sqlite3` process, printed as JSON.

Usage: `python benchmarks/floors/aged_groupby.py DB [AS_OF]`. The same sums per client and
bucket as the app's query, with nothing around it: no ORM, no domain import, no sort in French.
"""

import json
import sqlite3
import sys

SQL = """
SELECT client_id, name,
  SUM(CASE WHEN d <= 0 THEN bal ELSE 0 END), SUM(CASE WHEN d BETWEEN 1 AND 30 THEN bal ELSE 0 END),
  SUM(CASE WHEN d BETWEEN 31 AND 60 THEN bal ELSE 0 END),
  SUM(CASE WHEN d BETWEEN 61 AND 90 THEN bal ELSE 0 END), SUM(CASE WHEN d > 90 THEN bal ELSE 0 END),
  SUM(bal), MIN(CASE WHEN d > 0 THEN due END), COUNT(*) FROM (
  SELECT i.client_id, c.name, i.due_date AS due,
    CAST(julianday(:as_of) - julianday(i.due_date) AS INTEGER) AS d,
    i.amount_ttc_cents - i.deposit_cents - COALESCE(p.paid, 0) AS bal
  FROM invoice i JOIN client c ON c.id = i.client_id
  LEFT JOIN (SELECT invoice_id, SUM(amount_cents) AS paid FROM payment
             WHERE date <= :as_of AND cancelled_on IS NULL GROUP BY invoice_id) p
    ON p.invoice_id = i.id
  WHERE i.archived = 0 AND i.issue_date <= :as_of
    AND (i.written_off_on IS NULL OR i.written_off_on > :as_of)
) WHERE bal > 0 GROUP BY client_id, name ORDER BY name
"""


def main() -> None:
    con = sqlite3.connect(sys.argv[1])
    as_of = sys.argv[2] if len(sys.argv) > 2 else "2026-11-23"
    rows = con.execute(SQL, {"as_of": as_of}).fetchall()
    print(json.dumps({"as_of": as_of, "clients": rows}))


if __name__ == "__main__":
    main()
