"""Shared test set-up: Qt offscreen, a fresh in-memory ledger per test, a fixed data set."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from models.store.ledger import Ledger
from tests.pg import ledger_any, pg_empty_url, pg_server, pg_url  # noqa: F401  (fixtures)


@pytest.fixture
def ledger() -> Ledger:
    """An empty ledger on a private in-memory SQLite database."""
    led = Ledger.open("sqlite://")
    yield led
    led.close()
