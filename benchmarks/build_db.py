"""Build the benchmark database: 10,000 clients and about 100,000 invoices, timed."""

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.demo import build_demo
from models.store.ledger import Ledger

TODAY = dt.date(2026, 11, 23)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/big.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    ledger = Ledger.open(str(path))
    summary = build_demo(ledger, TODAY, seed=2026, clients=10_000, invoices_per_client=(5, 15))
    elapsed = time.perf_counter() - t0
    print(
        f"build: {summary['clients']} clients, {summary['invoices']} invoices, "
        f"{ledger.counts()['payments']} payments, {ledger.counts()['actions']} actions "
        f"in {elapsed:.1f} s -> {path}"
    )


if __name__ == "__main__":
    main()
