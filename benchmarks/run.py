"""Time whole processes on databases of 10k to 1M invoices, each beside its floor, in one table.

Usage: `.venv/bin/python benchmarks/run.py [--sizes 10k,100k,1M] [--runs 3] [--only stages,...]`

Each operation is a fresh process (what a user waits for), run `--runs` times after one warm-up
(the first command of the day makes the daily backup); the table gives the median wall time,
the largest peak resident memory of the runs (the child's own, from os.wait4), the floor's, and
the ratio. Missing databases are built first (benchmarks/build_db.py, under benchmarks/out/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_db import TODAY, default_path  # noqa: E402

PY = sys.executable
FLOORS = ROOT / "benchmarks" / "floors"


def timed(cmd: list[str], extra: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run a command to the end (output discarded): wall seconds, CPU seconds, peak RSS in MB.

    CPU time (user + system of the child) is what the ratios use: on a shared machine the
    wall time also counts the waits for a core.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", **(extra or {}))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(
    cmd: list[str], runs: int, extra: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Median wall and CPU seconds and largest peak MB over `runs` runs, after one warm-up."""
    timed(cmd, extra)
    got = [timed(cmd, extra) for _ in range(runs)]
    return (
        statistics.median(t for t, _, _ in got),
        statistics.median(c for _, c, _ in got),
        max(m for _, _, m in got),
    )


def window(db: Path, runs: int) -> dict[str, tuple[float, float]]:
    """The app's window (bench_ui's driver): usable and table filled, from process spawn."""
    from bench_ui import run_once

    got = [run_once(db) for _ in range(runs)]
    rss = max(r["rss_mb"] for r in got)
    keys = [k for r in got for k in r["keystrokes"]]
    return {
        "window usable": (statistics.median(r["usable"] for r in got), rss),
        "window table filled": (statistics.median(r["filled"] for r in got), rss),
        "search keystroke (max)": (max(keys), 0.0),
    }


def window_floor(db: Path, runs: int) -> tuple[float, float, float]:
    """The bare Qt table: usable, filled (medians) and peak MB."""
    import json

    got = []
    for _ in range(runs):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        t0 = time.time()
        out = subprocess.run(
            [PY, str(FLOORS / "qt_table.py"), str(db), repr(t0)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        line = next(x for x in out.splitlines() if x.startswith("BENCH "))
        got.append(json.loads(line.removeprefix("BENCH ")))
    return (
        statistics.median(r["usable"] for r in got),
        statistics.median(r["filled"] for r in got),
        max(r["rss_mb"] for r in got),
    )


def next_days(db: Path, runs: int) -> tuple[float, float, float]:
    """`stages` as of each following day in turn (medians): each run finds the cache filled
    the day before, as the first run of a working day does."""
    got = []
    for n in range(runs + 1):
        day = (TODAY + dt.timedelta(days=n)).isoformat()
        cmd = [PY, str(ROOT / "main.py"), "--db", str(db), "stages", "--format", "json"]
        t = timed([*cmd, "--as-of", day])
        if n:
            got.append(t)
    return (
        statistics.median(t for t, _, _ in got),
        statistics.median(c for _, c, _ in got),
        max(m for _, _, m in got),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated operation keys")
    args = parser.parse_args()
    as_of = TODAY.isoformat()
    only = set(filter(None, args.only.split(",")))
    # size, operation, wall s, CPU s, MB, floor wall s, floor CPU s, floor MB
    rows: list[tuple[Any, ...]] = []
    sqlmodel_floor: dict[str, tuple[float, float, float]] = {}

    def app(db: Path, *cmd: str) -> list[str]:
        return [PY, str(ROOT / "main.py"), "--db", str(db), *cmd]

    for size in args.sizes.split(","):
        db = default_path(size)
        if not db.exists():
            print(f"building {db}…", flush=True)
            # In a process of its own: Linux keeps a process's peak memory across fork and
            # exec, so building here would raise every child's peak to this one's.
            subprocess.run(
                [PY, str(ROOT / "benchmarks" / "build_db.py"), "--size", size, str(db)],
                check=True,
            )
        pdf = Path(tempfile.gettempdir()) / f"relance-bench-aged-{size}.pdf"
        floor_import = sqlmodel_floor.setdefault(
            "x", measure([PY, str(FLOORS / "import_sqlmodel.py")], args.runs)
        )
        floor_group = measure([PY, str(FLOORS / "aged_groupby.py"), str(db), as_of], args.runs)
        ops: dict[
            str, tuple[Callable[[], tuple[float, float, float]], tuple[float, float, float] | None]
        ] = {
            "aged-json": (
                lambda db=db: measure(
                    app(db, "aged-balance", "--format", "json", "--as-of", as_of), args.runs
                ),
                floor_group,
            ),
            "stages": (
                lambda db=db: measure(
                    app(db, "stages", "--format", "json", "--as-of", as_of), args.runs
                ),
                floor_import,
            ),
            # Every row computed, as on PostgreSQL or the first run after an upgrade (the
            # stage cache off: models/store/stage_cache.py).
            "stages-computed": (
                lambda db=db: measure(
                    app(db, "stages", "--format", "json", "--as-of", as_of),
                    args.runs,
                    {"RELANCE_STAGE_CACHE": "0"},
                ),
                floor_import,
            ),
            # The first run of each new day: the cache holds the day before's rows.
            "stages-next-day": (lambda db=db: next_days(db, args.runs), floor_import),
            "todo": (
                lambda db=db: measure(
                    app(db, "todo", "--format", "json", "--as-of", as_of), args.runs
                ),
                floor_import,
            ),
            "aged-pdf": (
                lambda db=db, pdf=pdf: measure(
                    app(db, "aged-balance", "--format", "pdf", "-o", str(pdf), "--as-of", as_of),
                    args.runs,
                ),
                None,
            ),
            "cli": (
                lambda db=db: measure(app(db, "settings", "get", "company"), args.runs),
                floor_import,
            ),
        }
        for key, (run, floor) in ops.items():
            if only and key not in only:
                continue
            wall, cpu, mb = run()
            f = floor or (None, None, None)
            rows.append((size, key, wall, cpu, mb, f[0], f[1], f[2]))
            print(f"  {size} {key}: {wall:.2f} s ({cpu:.2f} s CPU), {mb:.0f} MB", flush=True)
        if (not only or "window" in only) and size != "1M":
            usable_f, filled_f, mb_f = window_floor(db, args.runs)
            for key, (seconds, mb) in window(db, args.runs).items():
                floor = {"window usable": usable_f, "window table filled": filled_f}.get(key)
                rows.append((size, key, seconds, None, mb, floor, None, mb_f if floor else None))
                print(f"  {size} {key}: {seconds:.3f} s, {mb:.0f} MB", flush=True)

    print()
    print(
        f"{'size':>5}  {'operation':<24} {'wall s':>7} {'CPU s':>6} {'MB':>5}"
        f" {'floor s':>8} {'CPU s':>6} {'MB':>5} {'ratio wall':>10} {'ratio CPU':>9}"
    )

    def num(v: float | None, fmt: str, width: int) -> str:
        return format(v, fmt).rjust(width) if v else "-".rjust(width)

    for size, key, wall, cpu, mb, f_wall, f_cpu, f_mb in rows:
        r_wall = f"{wall / f_wall:.1f}x" if f_wall else "-"
        r_cpu = f"{cpu / f_cpu:.1f}x" if cpu and f_cpu else "-"
        print(
            f"{size:>5}  {key:<24} {num(wall, '.2f', 7)} {num(cpu, '.2f', 6)} {num(mb, '.0f', 5)}"
            f" {num(f_wall, '.2f', 8)} {num(f_cpu, '.2f', 6)} {num(f_mb, '.0f', 5)}"
            f" {r_wall:>10} {r_cpu:>9}"
        )
    growth: dict[str, dict[str, float]] = {}
    for size, key, wall, cpu, *_ in rows:
        growth.setdefault(key, {})[size] = cpu or wall
    lines = [
        f"  {key}: 100k -> 1M x{g['1M'] / g['100k']:.1f} (10x the invoices; CPU time)"
        for key, g in growth.items()
        if "100k" in g and "1M" in g
    ]
    if lines:
        print("\ngrowth")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
