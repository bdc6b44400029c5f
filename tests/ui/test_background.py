"""wait_for: work on a private Ledger in a thread, posts delivered here, errors raised here."""

from __future__ import annotations

import sys
import threading

import pytest

from models.errors import InputError
from models.store.ledger import Ledger
from ui.background import wait_for
from ui.ops import Ops


@pytest.fixture
def file_ops(tmp_path):
    """Ops on a database file (a second connection can open it)."""
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    yield Ops(led)
    led.close()


def test_work_runs_in_another_thread_on_its_own_ledger(qtbot, file_ops):
    """The work writes through its own Ledger; what it posts arrives in this thread, in
    order; its result comes back."""
    here = threading.get_ident()
    seen: list[tuple[int, int]] = []

    def work(ledger: Ledger, post) -> tuple[int, bool]:
        client = ledger.add_client("Écrit ailleurs SARL")
        for n in range(5):
            post(n)
        return client, ledger is file_ops.ledger

    client, same = wait_for(file_ops, work, lambda n: seen.append((n, threading.get_ident())))
    assert same is False
    assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
    assert {t for _, t in seen} == {here}
    assert file_ops.ledger.client(client).name == "Écrit ailleurs SARL"


def test_an_error_of_the_work_is_raised_here(qtbot, file_ops):
    def work(_ledger: Ledger, _post) -> None:
        raise InputError("refusé dans le fil d'envoi")

    with pytest.raises(InputError, match="refusé dans le fil d'envoi"):
        wait_for(file_ops, work)


def test_many_posts_leave_true_alone(qtbot, file_ops):
    """Posting is not a signal's emit(): PySide6 6.12 drops a reference to True on each
    emit, which after a few hundred e-mails freed True and aborted the process."""
    before = sys.getrefcount(True)

    def work(_ledger: Ledger, post) -> int:
        for n in range(2000):
            post(n)
        return 0

    count = []
    wait_for(file_ops, work, count.append)
    assert len(count) == 2000
    assert sys.getrefcount(True) > before - 100  # one lost per post would be 2000
