"""Time the Clients and À faire tabs on the large database: built, loaded, longest UI stall.

Usage: `.venv/bin/python benchmarks/bench_tabs.py [benchmarks/out/big.sqlite]` (offscreen Qt).
Both read every open invoice in a worker thread; the interface must keep answering meanwhile,
so the figure that matters is the longest gap between two 10 ms timer ticks while loading.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402

from models.store.ledger import Ledger  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.ops import Ops  # noqa: E402
from ui.window.clients import ClientsView  # noqa: E402
from ui.window.todo import TodoPanel  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "benchmarks/out/big.sqlite")
    app = make_application()
    ledger = Ledger.open(str(path))
    ops = Ops(ledger, today=lambda: AS_OF)
    print(f"database: {ledger.counts()}")
    for cls in (ClientsView, TodoPanel):
        t0 = time.perf_counter()
        widget = cls(ops)
        widget.show()
        shown = time.perf_counter() - t0
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick(gaps: list[float] = gaps, last: list[float] = last) -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(10)
        while widget.loader.running:
            app.processEvents()
            time.sleep(0.005)
        loaded = time.perf_counter() - t0
        for _ in range(10):
            app.processEvents()
            time.sleep(0.01)
        timer.stop()
        print(
            f"{cls.__name__:<12} shown {shown * 1000:7.1f} ms   loaded {loaded * 1000:7.1f} ms"
            f"   longest stall {max(gaps) * 1000:6.1f} ms"
        )
        widget.close()
    sys.stdout.flush()
    os._exit(0)  # widgets and the application go together, without Qt's teardown order


if __name__ == "__main__":
    main()
