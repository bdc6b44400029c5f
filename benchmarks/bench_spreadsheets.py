"""Reading a 100,000-row workbook: python-calamine against openpyxl, time and peak memory.

Builds `benchmarks/out/sheet-100k.xlsx` (openpyxl, write-only) and, when LibreOffice is
installed (`soffice`), the same sheet as `.ods`. Each measure is a fresh process (peak memory is
the process's maximum resident set). Readers: the raw first sheet by calamine and by openpyxl
(read-only, values only), and Relance's whole `parse_file` (calamine + column recognition).
openpyxl does not read .ods at all: for it the ods line is the only way Relance had, none.

    .venv/bin/python benchmarks/bench_spreadsheets.py [--rows 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
kind, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if kind == "calamine":
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    n = len(rows)
elif kind == "openpyxl":
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    n = len(rows)
else:
    from pathlib import Path
    from models.importing.read import parse_file
    parsed = parse_file(Path(path))
    n = len(parsed.rows) + 1
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({{"rows": n, "seconds": seconds, "peak_mib": peak}}))
"""

BASELINE = r"""
import resource, sys
sys.path.insert(0, {root!r})
import {module}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def build_xlsx(path: Path, rows: int) -> None:
    """A realistic invoice list: text, dates, amounts with cents, a paid flag."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Factures")
    sheet.append(["Client", "N° facture", "Date facture", "Échéance", "Montant TTC", "Payé"])
    first = dt.datetime(2024, 1, 1)
    for i in range(rows):
        issue = first + dt.timedelta(days=i % 600)
        sheet.append(
            [
                f"Client {i % 10_000:05d} SARL",
                f"F-{i:07d}",
                issue,
                issue + dt.timedelta(days=30),
                round((i % 500_000) / 100 + 10, 2),  # cents, as typed
                "oui" if i % 3 == 0 else "non",
            ]
        )
    book.save(path)


def build_ods(xlsx: Path) -> Path | None:
    """The same sheet converted by LibreOffice, or None when it is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "ods",
                "--outdir",
                str(xlsx.parent),
                str(xlsx),
            ],
            check=True,
            capture_output=True,
        )
    return xlsx.with_suffix(".ods")


def measure(kind: str, path: Path, runs: int) -> tuple[float, float, int, int]:
    """Median and minimum seconds, peak MiB (max over runs) and rows, one process per run."""
    code = CHILD.format(root=str(ROOT))
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code, kind, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results.append(json.loads(out.stdout))
    times = [r["seconds"] for r in results]
    return (
        statistics.median(times),
        min(times),
        max(r["peak_mib"] for r in results),
        results[0]["rows"],
    )


def baseline(module: str) -> int:
    """Peak MiB of a process that only imports the reader (what the read itself adds is above)."""
    code = BASELINE.format(root=str(ROOT), module=module)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(out.stdout)


def main() -> None:
    """Build the files once, then print one line per reader and format."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    xlsx = OUT / f"sheet-{args.rows // 1000}k.xlsx"
    if not xlsx.exists():
        build_xlsx(xlsx, args.rows)
    ods = xlsx.with_suffix(".ods")
    if not ods.exists():
        ods = build_ods(xlsx) or ods
    print(f"{args.rows} rows; xlsx {xlsx.stat().st_size // 1024} KiB", end="")
    print(f", ods {ods.stat().st_size // 1024} KiB" if ods.exists() else ", no ods (soffice)")
    print(
        f"baseline peak (import only): calamine {baseline('python_calamine')} MiB, "
        f"openpyxl {baseline('openpyxl')} MiB"
    )
    cases = [("calamine", xlsx), ("openpyxl", xlsx), ("parse_file", xlsx)]
    if ods.exists():
        cases += [("calamine", ods), ("parse_file", ods)]
    for kind, path in cases:
        median, best, peak, rows = measure(kind, path, args.runs)
        print(
            f"{kind:<11} {path.suffix:<6} {rows:>7} rows  median {median:6.2f} s  "
            f"min {best:6.2f} s  peak {peak:5d} MiB"
        )


if __name__ == "__main__":
    main()
