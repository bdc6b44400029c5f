"""Time the spreadsheet import beside its raw floor (csv + sqlite3 executemany), whole processes.

    python benchmarks/bench_import.py [ROWS ...]      # default: 10000 100000

For each size it writes a CSV (one client per ten invoices, a third paid, some with a payment
date), then runs three times each, in turn: the app's import (`main.py --db X --new import
FILE`) into a copy of the app's empty database, the floor (benchmarks/floors/import_floor.py
into a copy of the same empty database), and the app's import where X does not exist yet (it
then also creates the schema, running its migrations). It prints the medians (wall time, and
the ratio of CPU times, steadier on a busy machine) and the ratios to the floor; the first
compares like with like (same empty schema given, same rows written).
"""

import datetime as dt
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = "Client;Date facture;N° facture;Échéance;Montant TTC;Payé;Date de paiement\n"
RUNS = 3


def write_csv(path: Path, rows: int, seed: int = 17) -> None:
    """A spreadsheet export of `rows` invoices to `rows // 10` clients, dates in 2025."""
    rng = random.Random(seed)
    start = dt.date(2025, 1, 1)
    lines = [HEADER]
    for n in range(1, rows + 1):
        client = f"Client {rng.randrange(max(rows // 10, 1)) + 1:06d} SARL"
        issue = start + dt.timedelta(days=rng.randrange(330))
        due = issue + dt.timedelta(days=rng.choice((30, 45, 60)))
        euros, cents = rng.randrange(50, 20_000), rng.randrange(100)
        amount = f"{euros:,}".replace(",", " ") + f",{cents:02d}"
        paid = rng.random() < 0.35
        paid_on = (due - dt.timedelta(days=rng.randrange(20))).strftime("%d/%m/%Y")
        lines.append(
            f"{client};{issue:%d/%m/%Y};FA-{n:07d};{due:%d/%m/%Y};{amount};"
            f"{'oui' if paid else 'non'};{paid_on if paid and rng.random() < 0.5 else ''}\n"
        )
    path.write_text("".join(lines), encoding="utf-8")


def remove_database(path: Path) -> None:
    """Delete a database file and its journal files: the next run makes a new one."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_schema(schema: Path, path: Path) -> None:
    """Start from a copy of the app's empty database (as the floor does)."""
    remove_database(path)
    shutil.copyfile(schema, path)


def timed(command: list[str], before) -> tuple[float, float]:
    """One whole process: its wall time and its CPU time (user + system), `before` untimed."""
    before()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    from models.store.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        schema = folder / "schema.sqlite"
        db, floor_db = folder / "app.sqlite", folder / "floor.sqlite"
        Ledger.open(str(schema)).close()  # the app's empty schema, for the floor
        print("medians of", RUNS, "runs, taken in turn (app, floor, app on a new file)")
        print(
            f"{'rows':>8} {'app s':>7} {'floor s':>8} {'ratio':>6} {'cpu ratio':>10}"
            f" {'app new file s':>15} {'ratio':>6}"
        )
        for rows in sizes:
            csv_path = folder / f"import-{rows}.csv"
            write_csv(csv_path, rows)
            app = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--new", "import"]
            app.append(str(csv_path))
            floor = [sys.executable, str(ROOT / "benchmarks/floors/import_floor.py")]
            floor += [str(floor_db), str(csv_path)]
            runs: dict[str, list[tuple[float, float]]] = {"app": [], "floor": [], "new": []}
            for _ in range(RUNS):  # in turn: a change of the machine's load hits all three
                runs["app"].append(timed(app, lambda: copy_schema(schema, db)))
                runs["floor"].append(timed(floor, lambda: shutil.copyfile(schema, floor_db)))
                runs["new"].append(timed(app, lambda: remove_database(db)))
            wall = {k: statistics.median(w for w, _c in v) for k, v in runs.items()}
            cpu = {k: statistics.median(c for _w, c in v) for k, v in runs.items()}
            print(
                f"{rows:>8} {wall['app']:>7.2f} {wall['floor']:>8.2f}"
                f" {wall['app'] / wall['floor']:>5.1f}x {cpu['app'] / cpu['floor']:>9.1f}x"
                f" {wall['new']:>15.2f} {wall['new'] / wall['floor']:>5.1f}x"
            )


if __name__ == "__main__":
    main()
