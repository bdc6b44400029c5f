"""A 2,000-credit CAMT.053 statement against the 100k-invoice ledger: read, match, import.

Usage: `.venv/bin/python benchmarks/bench_bank.py benchmarks/out/big.sqlite` (build_db.py first).
The statement is made from the ledger's own open invoices: 800 credits name their invoice
(certain), 400 are one invoice's exact balance from a payer named like the client (likely),
400 are half of the oldest invoice (possible), 400 come from strangers. Each write runs on a
fresh copy of the database. One line per operation: median and minimum of the runs.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.bank.read import read_statement
from models.store.db import sqlite_path
from models.store.ledger import Ledger
from models.store.ledger_bank import _OPEN_INVOICES
from tests.models.bank.statements import Move, camt053

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
DAY = dt.date(2026, 11, 20)


def make_statement(ledger: Ledger, path: Path, seed: int = 19) -> None:
    """Write the 2,000-credit statement drawn from the ledger's open invoices."""
    book = ledger.bank_book()
    rng = random.Random(seed)
    invoices = sorted(book.by_id.values(), key=lambda i: i.id)
    picks = rng.sample(invoices, 1600)
    moves = []
    for k, inv in enumerate(picks[:800]):
        moves.append(
            Move(
                DAY,
                Decimal(inv.balance_cents) / 100,
                "CLIENT",
                f"REGLEMENT FACTURE {inv.number}",
                f"B{k:05d}",
            )
        )
    for k, inv in enumerate(picks[800:1200]):
        name = book.clients[inv.client_id].upper()
        moves.append(Move(DAY, Decimal(inv.balance_cents) / 100, name, "VIREMENT", f"C{k:05d}"))
    for k, inv in enumerate(picks[1200:1600]):
        oldest = book.by_client[inv.client_id][0]
        name = book.clients[inv.client_id].upper()
        half = max(oldest.balance_cents // 2, 1)
        moves.append(Move(DAY, Decimal(half) / 100, name, "ACOMPTE", f"D{k:05d}"))
    for k in range(400):
        cents = rng.randint(1_000, 500_000)
        moves.append(
            Move(DAY, Decimal(cents) / 100, f"PARTICULIER {k} ZORGLUB", "DIVERS", f"E{k:05d}")
        )
    rng.shuffle(moves)
    path.write_bytes(camt053(moves))


def timed(fn, runs: int = RUNS, setup=None) -> tuple[float, float, object]:
    """(median s, min s, last result) of `fn`, `setup` run before each (not timed)."""
    times, result = [], None
    for _ in range(runs):
        arg = setup() if setup else None
        start = time.perf_counter()
        result = fn(arg) if setup else fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def line(what: str, median: float, low: float, extra: str = "") -> None:
    print(f"{what:<58} median {median * 1000:8.0f} ms   min {low * 1000:8.0f} ms  {extra}")


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/big.sqlite")
    work = Path(tempfile.mkdtemp(prefix="bench-bank-"))
    statement_path = work / "releve-2000.xml"
    base = Ledger.open(str(source))
    counts = base.counts()
    make_statement(base, statement_path)
    base.close()
    print(
        f"ledger: {counts['clients']} clients, {counts['invoices']} invoices; statement: "
        f"{statement_path.stat().st_size / 1024 / 1024:.1f} MiB, 2000 credits"
    )

    def fresh() -> Ledger:
        copy = work / "copy.sqlite"
        for suffix in ("-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, copy)
        return Ledger.open(str(copy))

    med, low, statement = timed(lambda: read_statement(statement_path))
    line("read CAMT.053 (2000 credits)", med, low)

    def raw_floor() -> int:
        conn = sqlite3.connect(str(source))
        n = sum(1 for _ in conn.execute(_OPEN_INVOICES.replace("NOT ", "0 = ")))
        conn.close()
        return n

    med, low, n_open = timed(raw_floor)
    line("floor: bare sqlite3, the open-balance query", med, low, f"{n_open} rows")
    ledger = Ledger.open(str(source))
    med, low, book = timed(lambda: ledger.bank_book(statement.credits))
    line("open invoices indexed (Book)", med, low, f"{len(book.by_id)} open")
    med, low, preview = timed(lambda: ledger.bank_preview(statement))
    kinds = {"certain": 0, "likely": 0, "possible": 0, "none": 0}
    for x in preview.lines:
        kinds[x.match.proposals[0].confidence if x.match.proposals else "none"] += 1
    line("preview: identities + book + matching 2000 credits", med, low, str(kinds))
    tracemalloc.start()
    ledger.bank_preview(statement)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ledger.close()
    print(f"{'python heap peak during a preview':<58} {peak / 1024 / 1024:.1f} MiB")

    med, low, result = timed(lambda led: led.bank_import(statement, DAY, apply=True), setup=fresh)
    line("import --apply (one transaction)", med, low, f"{result.recorded} recorded")
    led = fresh()
    led.bank_import(statement, DAY, apply=True)
    med, low, again = timed(lambda: led.bank_import(statement, DAY, apply=True))
    line("same statement again (all known)", med, low, f"{again.known} known")
    led.close()

    copy = sqlite_path(f"sqlite:///{work / 'copy.sqlite'}")
    cmd = [
        sys.executable,
        str(ROOT / "main.py"),
        "--db",
        str(copy),
        "bank",
        str(statement_path),
        "--apply",
        "--format",
        "json",
        "-o",
        str(work / "out.json"),
    ]
    times, rss = [], 0
    for _ in range(RUNS):
        fresh().close()
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/env", "time", "-f", "%M", *cmd], capture_output=True, text=True, check=True
        )
        times.append(time.perf_counter() - start)
        rss = max(rss, int(done.stderr.strip().splitlines()[-1]))
    line(
        "CLI process: bank FILE --apply --format json",
        statistics.median(times),
        min(times),
        f"max RSS {rss / 1024:.0f} MiB",
    )
    print(
        f"{'this process max RSS':<58} "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
