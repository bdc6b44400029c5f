"""Time the documents: one letter end to end, 500 letters in one batch, the aged balance PDF."""

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.demo import DEMO_COMPANY  # noqa: E402
from models.letters.batch import iter_letters, letters_due  # noqa: E402
from models.store.ledger import Ledger  # noqa: E402
from reports.aged_balance import render_aged_balance  # noqa: E402
from reports.letters import render_letter, render_letters  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def timed(label: str, fn, runs: int = 5) -> object:
    """Run `fn` `runs` times; print median and minimum; return the last result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    print(
        f"{label:<44} median {statistics.median(times) * 1000:9.1f} ms"
        f"   min {min(times) * 1000:9.1f} ms   ({runs} runs)"
    )
    return result


def open_db(path: Path) -> Ledger:
    """The benchmark database, built first when missing, with a company identity."""
    if not path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "build_db.py"), str(path)], check=True
        )
    ledger = Ledger.open(str(path))
    if not ledger.company().iban:  # letters from the second reminder on need the IBAN
        ledger.set_company(DEMO_COMPANY)
    return ledger


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "benchmarks/out/big.sqlite")
    ledger = open_db(path)
    print(f"database: {ledger.counts()}")
    requests = [r for r in letters_due(ledger.todo(AS_OF)) if not r.needs_registered_number]
    print(f"letters due on {AS_OF}: {len(requests)} (formal notices left out)")
    first = requests[0]
    render_letter(ledger.letter(first.client_id, first.kind, AS_OF, first.invoice_ids))  # warm
    timed(
        "one letter: ledger.letter",
        lambda: ledger.letter(first.client_id, first.kind, AS_OF, first.invoice_ids),
        runs=20,
    )
    data = ledger.letter(first.client_id, first.kind, AS_OF, first.invoice_ids)
    timed("one letter: render_letter", lambda: render_letter(data), runs=20)
    timed(
        "one letter end to end",
        lambda: render_letter(ledger.letter(first.client_id, first.kind, AS_OF, first.invoice_ids)),
        runs=20,
    )

    batch = requests[:500]
    letters = timed(
        f"{len(batch)} letters: data (iter_letters)",
        lambda: list(iter_letters(ledger, batch, AS_OF)),
        runs=3,
    )
    pdf = timed(f"{len(batch)} letters: render_letters", lambda: render_letters(letters), runs=3)
    print(f"{'':<44} {len(pdf) / 1e6:.1f} MB PDF")
    timed(
        f"{len(batch)} letters end to end",
        lambda: render_letters(list(iter_letters(ledger, batch, AS_OF))),
        runs=3,
    )

    aged = timed("aged balance: compute", lambda: ledger.aged_balance(AS_OF))
    print(f"{'':<44} {len(aged.rows)} clients")
    company = ledger.company().name
    timed("aged balance PDF: render", lambda: render_aged_balance(aged, company), runs=3)
    timed(
        "aged balance PDF end to end",
        lambda: render_aged_balance(ledger.aged_balance(AS_OF), company),
        runs=3,
    )


if __name__ == "__main__":
    main()
