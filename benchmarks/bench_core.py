"""Time the core operations on the benchmark database: aged balance, stages, to-do, CLI."""

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.store.ledger import Ledger  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def timed(label: str, fn, runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    print(
        f"{label:<40} median {statistics.median(times) * 1000:8.1f} ms"
        f"   min {min(times) * 1000:8.1f} ms   ({runs} runs)"
    )


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/big.sqlite"
    ledger = Ledger.open(path)
    print(f"database: {ledger.counts()}")
    timed("aged balance (SQL aggregate)", lambda: ledger.aged_balance(AS_OF))
    timed("load facts (all invoices)", lambda: ledger.facts())
    timed("stages of every invoice", lambda: ledger.stages(AS_OF))
    timed("todo", lambda: ledger.todo(AS_OF))
    timed("interest of one invoice", lambda: ledger.interest("FA-2026-00001", AS_OF), runs=20)
    for cmd in (
        ["aged-balance", "--format", "json"],
        ["stages", "--format", "json"],
        ["todo", "--format", "json"],
    ):
        timed(
            "CLI " + " ".join(cmd) + " (process)",
            lambda cmd=cmd: subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "main.py"),
                    "--db",
                    path,
                    *cmd,
                    "--as-of",
                    AS_OF.isoformat(),
                    "-o",
                    "/dev/null",
                ],
                check=True,
            ),
            runs=3,
        )


if __name__ == "__main__":
    main()
