"""Screenshots of the bank statement import (issue 19): the credits, then "À rapprocher".

Usage: `python -m ui.screenshots.bank docs/screenshots` (offscreen, or `xvfb-run -a`). The
statement is a French bank's CSV written from the demo's own open invoices.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from models.money import format_eur
from ui.dialogs.bank import import_statement
from ui.screenshots import demo, run, shoot

DAY = dt.date(2026, 3, 15)  # the demo is dated relative to this day: reproducible shots
WIDTH, HEIGHT = 1180, 640


def statement_csv(ledger: object, path: Path) -> None:
    """Six movements: two credits naming their invoice, one exact balance, one part, one
    stranger, one debit (the debit is counted and left aside)."""
    book = ledger.bank_book()  # type: ignore[attr-defined]
    by_client = sorted(book.by_client.items())
    (c1, inv1), (c2, inv2), (c3, inv3) = by_client[0], by_client[1], by_client[2]

    def amount(cents: int) -> str:
        return format_eur(cents, cents=True, symbol="")

    name = {c: book.clients[c].upper() for c in (c1, c2, c3)}
    lines = [
        "Date;Libellé;Débit euros;Crédit euros",
        f"02/03/2026;VIR SEPA RECU /DE {name[c1]} /MOTIF Facture {inv1[0].number};;"
        f"{amount(inv1[0].balance_cents)}",
        f"03/03/2026;VIR SEPA RECU /DE {name[c2]} /MOTIF REGLT {inv2[0].number};;"
        f"{amount(inv2[0].balance_cents)}",
        f"04/03/2026;VIR SEPA RECU /DE {name[c3]} /MOTIF Virement mars;;"
        f"{amount(inv3[-1].balance_cents)}",
        f"05/03/2026;PRLV SEPA EDF ELECTRICITE;{amount(4590)};",
        f"06/03/2026;VIR SEPA RECU /DE {name[c2]} /MOTIF Acompte;;"
        f"{amount(max(inv2[-1].balance_cents // 3, 100))}",
        f"09/03/2026;VIR SEPA RECU /DE M JEAN INCONNU /MOTIF Remboursement;;{amount(9900)}",
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")


def main(argv: list[str]) -> int:
    """Build the demo in memory and save the PNGs (a QApplication must be running)."""
    out, ledger, ops = demo(argv, DAY)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "releve-mars.csv"
        statement_csv(ledger, path)
        dialog = import_statement(None, ops, path)
        if dialog is None:
            return 1
        shoot(dialog, out / "bank_statement.png", WIDTH, HEIGHT)
        dialog.apply()
        dialog.tabs.setCurrentIndex(1)
        shoot(dialog, out / "bank_to_reconcile.png", WIDTH, HEIGHT)
        dialog.close()
    return 0


if __name__ == "__main__":
    run(main)
