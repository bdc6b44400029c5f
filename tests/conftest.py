"""Shared test set-up: Qt offscreen, a fresh in-memory ledger per test, a fixed data set."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from models.store.ledger import Ledger
from tests.pg import ledger_any, pg_empty_url, pg_server, pg_url  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def machine_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """This machine's own settings (the user's name, models/user.py) in a private folder."""
    monkeypatch.setenv("RELANCE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def ledger() -> Ledger:
    """An empty ledger on a private in-memory SQLite database."""
    led = Ledger.open("sqlite://")
    yield led
    led.close()
