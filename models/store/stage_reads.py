"""The stage listings of one database: the same methods for the Ledger and the light reader.

Each runs one function of `models.store.facts` on the class's read transactions, policies and
stage cache: the Ledger (SQLAlchemy connections) and `QuickReader` (a plain sqlite3 one) give
the same rows. Nothing is imported before a method runs (the light reader's start-up).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from models.law.policy import Policy
    from models.law.stages import InvoiceFacts
    from models.store.stage_cache import Brief, StageCache, StageTuple
    from models.todo import StageRow


class StageReads:
    """`iter_stages`, `iter_stage_briefs`, `iter_stage_tuple_batches` and `stage_epoch` over
    the class's `_read`, `policy`, `policy_for`, `archived_invoice_ids` and `stage_cache`."""

    # Given by the class (annotations only: nothing here may shadow the class's own).
    _read: Callable[[], AbstractContextManager[Connection | sqlite3.Connection]]
    policy: Callable[..., Policy]
    policy_for: Callable[[InvoiceFacts], Policy]
    archived_invoice_ids: Callable[[], list[int]]
    stage_cache: Callable[[], StageCache | None]

    def iter_stages(
        self, as_of: dt.date, include_archived: bool = False, batch: int = 5000
    ) -> Iterator[StageRow]:
        """The rows of `stages`, one by one in due date then number order, in bounded memory.

        Read in batches of `batch` invoices: a settled one is its "paid" row at once, the
        history of the others is read for their batch only (1M invoices never held whole).
        """
        from models.store.facts import iter_stage_rows

        self.policy()  # read the policies now: nothing else is read while the rows stream
        yield from iter_stage_rows(
            self._read,
            as_of,
            self.policy_for,
            include_archived,
            batch,
            self.archived_invoice_ids,
            self.stage_cache(),
        )

    def iter_stage_tuple_batches(
        self, as_of: dt.date, include_archived: bool = False
    ) -> Iterator[list[StageTuple]]:
        """The rows of `iter_stages` as `StageTuple`s, in lists (what the invoice table keeps)."""
        from models.store.facts import iter_stage_tuple_batches

        self.policy()
        yield from iter_stage_tuple_batches(
            self._read,
            as_of,
            self.policy_for,
            include_archived,
            self.archived_invoice_ids,
            self.stage_cache(),
        )

    def iter_stage_briefs(self, as_of: dt.date) -> Iterator[Brief]:
        """The live rows of `stages` as the listing prints them (`Brief`s), in the same order."""
        from models.store.facts import iter_stage_briefs

        self.policy()
        yield from iter_stage_briefs(self._read, as_of, self.policy_for, self.stage_cache())

    def stage_epoch(self) -> int | None:
        """The stage cache's epoch now: it changes with every write that can change a stage
        (None on a server, in memory, or before the cache is made)."""
        from models.store.facts import cursor_of

        cache = self.stage_cache()
        if cache is None:
            return None
        with self._read() as conn:
            return cache.epoch(cursor_of(conn))
