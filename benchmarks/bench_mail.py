"""Send 200 reminders with their PDF to a local SMTP server (aiosmtpd): time and memory.

`--memory`: the Python heap's peak (tracemalloc, slower). `--window`: through the window's
path (ui.mail.send_with_progress, the sending thread) with a 20 ms timer in the window's event
loop: the longest gap between two ticks is how long the window was ever frozen.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller

from models.mail import outbox
from models.store.ledger import Ledger
from reports.letters import render_letter
from tests.mail_server import COMPANY, DAY, Inbox, account, add_clients, free_port

COUNT = int(os.environ.get("BENCH_MAIL_COUNT", "200"))


def main() -> None:
    """Build 200 clients at reminder 1, send them all, print time, peak memory, sizes."""
    folder = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    ledger = Ledger.open(str(folder / "relance.sqlite"))
    ledger.set_company(COMPANY)
    add_clients(ledger, COUNT)
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    ledger.set_mail_account(account(port))
    trace = "--memory" in sys.argv  # tracemalloc slows reportlab: time and heap apart
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    requests = outbox.email_requests(ledger, DAY)
    gaps: list[float] = []
    if "--window" in sys.argv:
        summary = _through_window(ledger, requests, gaps)
    else:
        messages = outbox.due_outgoing(ledger, requests, DAY, render_letter)
        summary = outbox.send_all(
            ledger, ledger.mail_account(), "", messages, lambda: dt.datetime.now().astimezone()
        )
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    tracemalloc.stop()
    controller.stop()
    size = sum(len(m.as_bytes()) for m in inbox.messages)
    print(
        f"send {COUNT} reminders with PDF: {elapsed:.1f} s ({elapsed / COUNT * 1000:.0f} ms "
        f"each), sent {summary.count('sent')}, received {len(inbox.messages)}, "
        f"{size / len(inbox.messages) / 1024:.0f} KiB per message"
    )
    if gaps:
        print(
            f"window event loop during the batch: {len(gaps)} ticks of a 20 ms timer, "
            f"longest gap {max(gaps) * 1000:.0f} ms"
        )
    print(
        f"python heap peak during the batch (--memory): {peak / 1024 / 1024:.1f} MiB; "
        f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


def _through_window(ledger: Ledger, requests: list, gaps: list[float]) -> outbox.Summary:
    """Send as "Relances du jour" does, timing the window's event loop meanwhile."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.mail import send_with_progress
    from ui.ops import Ops

    app = QApplication.instance() or QApplication([])
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()

    def messages(led: Ledger) -> object:
        return outbox.due_outgoing(led, requests, DAY, render_letter)

    ops = Ops(ledger, today=lambda: DAY)
    summary = send_with_progress(None, ops, messages, len(requests), "Relances du jour")
    timer.stop()
    app.processEvents()
    del timer, ops  # Qt objects gone before the application, not during the interpreter's exit
    assert summary is not None
    return summary


if __name__ == "__main__":
    main()
