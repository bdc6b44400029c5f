"""Time the spreadsheet import beside its raw floor (csv + sqlite3 executemany), whole processes.

    python benchmarks/bench_import.py [ROWS ...]      # default: 10000 100000

For each size it writes a CSV (one client per ten invoices, a third paid, some with a payment
date), then runs three times each: the app's import (`main.py --db X --new import FILE`) into a
copy of the app's empty database, the same command where X does not exist yet (the app then
also creates the schema, running its migrations), and the floor
(benchmarks/floors/import_floor.py into a copy of the same empty database). It prints the
medians and the ratios to the floor; the first ratio compares like with like (same schema
given, same rows written).
"""

import datetime as dt
import random
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


def median_of(command: list[str], before=None) -> float:
    """The median wall time of RUNS runs of a whole process (`before` runs untimed first)."""
    times = []
    for _ in range(RUNS):
        if before is not None:
            before()
        t0 = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    from models.store.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        schema = folder / "schema.sqlite"
        Ledger.open(str(schema)).close()  # the app's empty schema, for the floor
        print(
            f"{'rows':>8} {'app (s)':>9} {'floor (s)':>10} {'ratio':>7}"
            f" {'app, new file (s)':>18} {'ratio':>7}"
        )
        for rows in sizes:
            csv_path = folder / f"import-{rows}.csv"
            write_csv(csv_path, rows)
            db = folder / "app.sqlite"
            floor_db = folder / "floor.sqlite"

            command = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--new", "import"]
            command.append(str(csv_path))
            app = median_of(command, lambda db=db: copy_schema(schema, db))
            new_file = median_of(command, lambda db=db: remove_database(db))
            floor = median_of(
                [
                    sys.executable,
                    str(ROOT / "benchmarks/floors/import_floor.py"),
                    str(floor_db),
                    str(csv_path),
                ],
                lambda floor_db=floor_db: shutil.copyfile(schema, floor_db),
            )
            print(
                f"{rows:>8} {app:>9.2f} {floor:>10.2f} {app / floor:>6.1f}x"
                f" {new_file:>18.2f} {new_file / floor:>6.1f}x"
            )


if __name__ == "__main__":
    main()
