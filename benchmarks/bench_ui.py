"""Time the window on the 100,000-invoice database: start-up, table filled, search, sort.

Usage: `.venv/bin/python benchmarks/bench_ui.py [benchmarks/out/big.sqlite] [--runs 3]`

Each run starts a fresh interpreter (offscreen Qt) through `main.open_window`, exactly as
`python main.py` does (the table read ahead in a child process; RELANCE_READ_AHEAD=0 without),
and reports, from the moment the process was spawned:
- first paint of the main window, and "usable" (the event loop idle after that paint);
- table filled (the stages of every invoice computed in the worker thread and shown), and the
  longest the event loop stalled meanwhile (how long a click could wait while loading);
then, in the same process, once the status-bar totals are there too, the time of one search
keystroke (setText on the search box, the table refiltered and repainted) and of a sort on
three columns (first sort of a column, which builds its cached order, and a later one).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: patches MainWindow to report its timings, then runs the real start-up.
DRIVER = r"""
import json, resource, sys, time
T_SPAWN = float(sys.argv[1])
out = {}

def since_spawn():
    return time.time() - T_SPAWN

def instrument(mw):
    # Patch MainWindow (once its module is imported) to report its timings.
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Qt
    from PySide6.QtWidgets import QApplication
    from ui.tables.invoice_index import COL_CLIENT, COL_DUE, COL_TOTAL

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[3])

    class FirstPaint(QObject):
        def __init__(self, win):
            super().__init__()
            self.win = win
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "paint" not in out:
                w = obj.window() if hasattr(obj, "window") else None
                if w is self.win:
                    out["paint"] = since_spawn()
                    QTimer.singleShot(0, self.usable)
            return False

        def usable(self):
            out.setdefault("usable", since_spawn())
            # While the worker computes the stages, how long can a click wait? (every 10 ms)
            self.last, self.worst = time.perf_counter(), 0.0
            self.ticker = QTimer()
            self.ticker.timeout.connect(self.tick)
            self.ticker.start(10)

        def tick(self):
            now = time.perf_counter()
            self.worst = max(self.worst, now - self.last - 0.010)
            self.last = now
            if "filled" in out:
                self.ticker.stop()
                out["stall"] = self.worst

    def measure(win):
        q = QApplication.instance()
        view = win.invoices
        q.processEvents()
        keys = []
        for text in ("m", "ma", "mar", "mart", "marti", "martin", "martin", "marti", "", "fa-2026"):
            t = time.perf_counter()
            view.search.setText(text)
            q.processEvents()
            keys.append(time.perf_counter() - t)
        view.search.setText("")
        sorts = {}
        for name, col in (("client", COL_CLIENT), ("total", COL_TOTAL), ("due", COL_DUE)):
            runs = []
            for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder,
                          Qt.SortOrder.DescendingOrder):
                t = time.perf_counter()
                view.table.sortByColumn(col, order)
                q.processEvents()
                runs.append(time.perf_counter() - t)
            sorts[name] = runs
        out["keystrokes"] = keys
        out["sorts"] = sorts
        out["rows"] = view.model.total_count()
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with open("/proc/self/statm") as fh:  # Linux: resident pages now
            out["rss_now_mb"] = int(fh.read().split()[1]) * resource.getpagesize() / 2**20
        print("BENCH " + json.dumps(out), flush=True)
        q.quit()

    original_init = mw.MainWindow.__init__

    def init(self, *args, **kwargs):
        out["imported"] = since_spawn()
        original_init(self, *args, **kwargs)
        out["constructed"] = since_spawn()
        self._bench_filter = FirstPaint(self)
        QApplication.instance().installEventFilter(self._bench_filter)
        def filled():
            if "filled" not in out:
                out["filled"] = since_spawn()
                ru = resource.getrusage(resource.RUSAGE_SELF)
                out["filled_cpu"] = ru.ru_utime + ru.ru_stime  # this process's CPU so far
                settled()

        def settled():
            # Keystrokes are timed once the status-bar totals (the aged balance, read after
            # the table) have arrived too: the steady state, not the half second after the fill.
            if getattr(self, "balance", None) is None:
                QTimer.singleShot(20, settled)
            else:
                QTimer.singleShot(50, lambda: measure(self))
        self.invoices.loaded.connect(filled)

    mw.MainWindow.__init__ = init

class Patch:
    # Instrument ui.window.main right after it is imported (the real start imports it).
    def find_spec(self, name, path=None, target=None):
        if name != "ui.window.main":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            instrument(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Patch())
import main  # exactly as `python main.py` starts the window
sys.exit(main.open_window(sys.argv[2]))
"""


def run_once(db: Path) -> dict:
    """One cold start in a fresh interpreter; the timings it printed, plus its peak memory."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as conf:
        t0 = time.time()
        proc = subprocess.run(
            [sys.executable, "-c", DRIVER, repr(t0), str(db), conf],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
    lines = [x for x in proc.stdout.splitlines() if x.startswith("BENCH ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(lines[-1].removeprefix("BENCH "))


def ms(values: list[float]) -> str:
    """'median 123.4 ms, min 120.1 ms'."""
    return f"median {statistics.median(values) * 1000:7.1f} ms, min {min(values) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", default=str(ROOT / "benchmarks/out/big.sqlite"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = Path(args.db)
    if not db.exists():
        print(f"building {db} (about a minute)…")
        subprocess.run([sys.executable, str(ROOT / "benchmarks/build_db.py"), str(db)], check=True)
    runs = [run_once(db) for _ in range(args.runs)]
    print(f"{runs[0]['rows']} invoices, {args.runs} cold starts ({db})")
    for key, label in (
        ("imported", "window modules imported"),
        ("constructed", "main window built"),
        ("paint", "window first painted"),
        ("usable", "window usable (event loop idle)"),
        ("filled", "invoice table filled"),
        ("filled_cpu", "CPU time when filled (this process)"),
    ):
        print(f"{label:34s} {ms([r[key] for r in runs])}")
    stalls = [r.get("stall", 0.0) for r in runs]
    print(f"{'worst event-loop stall while loading':34s} {ms(stalls)}")
    keys = [k for r in runs for k in r["keystrokes"]]
    print(f"{'search keystroke (100k rows)':34s} {ms(keys)}, max {max(keys) * 1000:.1f} ms")
    rss = [r["rss_mb"] for r in runs]
    now = [r["rss_now_mb"] for r in runs]
    print(
        f"{'memory: peak / resident at the end':34s} median {statistics.median(rss):7.0f} MB"
        f" / {statistics.median(now):.0f} MB"
    )
    for name in ("client", "total", "due"):
        first = [r["sorts"][name][0] for r in runs]
        later = [k for r in runs for k in r["sorts"][name][1:]]
        print(f"{'sort ' + name + ' (first)':34s} {ms(first)}")
        print(f"{'sort ' + name + ' (again)':34s} {ms(later)}")


if __name__ == "__main__":
    main()
