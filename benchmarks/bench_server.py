"""The shared office: a 100,000-invoice ledger on PostgreSQL against the same on SQLite.

Times `migrate-to` (the SQLite file copied into an empty PostgreSQL database, checked), then
the aged balance, the stages and the window's cold start on each engine.

    .venv/bin/python benchmarks/bench_server.py benchmarks/out/big.sqlite \\
        postgresql://relance@127.0.0.1:5432/relance_bench
The PostgreSQL database must exist and be empty (createdb relance_bench).
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ui import run_once  # noqa: E402

from models.store import transfer  # noqa: E402
from models.store.ledger import Ledger  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def line(label: str, times: list[float]) -> str:
    median, low = statistics.median(times) * 1000, min(times) * 1000
    return f"{label:<34} median {median:8.1f} ms   min {low:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite")
    parser.add_argument("url", help="an EMPTY PostgreSQL database")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    report = transfer.to_server(args.sqlite, args.url)
    print(
        f"migrate-to: {report.invoices} invoices, {sum(report.rows.values())} rows copied "
        f"and checked in {time.perf_counter() - t0:.1f} s"
    )
    for name, where in (("SQLite", args.sqlite), ("PostgreSQL", args.url)):
        ledger = Ledger.open(where)
        print(f"-- {name}")
        print(line("aged balance", timed(lambda led=ledger: led.aged_balance(AS_OF), args.runs)))
        print(
            line("stages of every invoice", timed(lambda led=ledger: led.stages(AS_OF), args.runs))
        )
        print(line("to-do", timed(lambda led=ledger: led.todo(AS_OF), args.runs)))
        ledger.close()
        starts = [run_once(where) for _ in range(args.starts)]  # type: ignore[arg-type]
        for key, label in (
            ("paint", "window first painted"),
            ("filled", "invoice table filled"),
        ):
            print(line(label, [r[key] for r in starts]))


if __name__ == "__main__":
    main()
