"""The invoice table's rows kept by column, searched and sorted without Qt.

Filtering and sorting 100,000 rows must take under 50 ms (DESIGN.md): the index keeps each
field as an array, one folded search string per distinct name and subject, and one cached sorted
permutation per column; a filter is a mask over the rows. No Qt and no ORM here: the window's
first rows are built in a child process while Qt loads (`ui.tables.ahead`).
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress, islice, repeat
from operator import and_, attrgetter, itemgetter
from typing import Any, TypeVar, cast, overload

from models.collation import sort_key as name_key
from models.law.stages import STAGES
from models.store.stage_cache import StageTuple
from models.todo import StageRow

T = TypeVar("T")

(
    COL_CLIENT,
    COL_NUMBER,
    COL_DATE,
    COL_DUE,
    COL_TOTAL,
    COL_BALANCE,
    COL_LATE,
    COL_STAGE,
    COL_NEXT,
) = range(9)

NO_LATENESS = frozenset({"paid", "written_off"})  # no "days late" shown for these
UNPAID = "unpaid"  # stage filter: every stage but paid and written off
FAR_FUTURE = dt.date.max
_NO_DAY = 0  # a date column's "no date" (date.min is ordinal 1)


@lru_cache(maxsize=8192)
def day_text(ordinal: int) -> str:
    """'22/03/2026' for a date ordinal (a few thousand distinct days: each formatted once)."""
    return f"{dt.date.fromordinal(ordinal):%d/%m/%Y}"


def fold_numbers(numbers: list[str]) -> list[str]:
    """`fold` of each invoice number: `str.casefold` (in C) where the number is ASCII."""
    folded = list(map(str.casefold, numbers))
    if not all(map(str.isascii, numbers)):
        folded = [f if n.isascii() else fold(n) for n, f in zip(numbers, folded, strict=True)]
    return folded


def fold(text: str) -> str:
    """Lower case without accents, for searching ('Écume' matches 'ecume') and sorting names
    the French way (models.collation: 'Dupont, Éric' < 'Durand' < 'Zola')."""
    return name_key(text)


@dataclass(frozen=True)
class Filters:
    """What the user chose to see: search words, stage, client type, lateness, today's to-do."""

    text: str = ""
    stage: str = ""  # a stage code, UNPAID for all open ones, "" for all
    kind: str = ""  # "b2b", "b2c" or "" for both
    overdue_only: bool = False
    todo_today: bool = False  # next action on or before the as-of date
    client_id: int | None = None  # drill-down from the aged balance
    archived: bool = False  # the archived invoices only (greyed), to look at or restore


# Made again from the columns after a copy: the sort orders and the last search with the rows
# they hold, the folded numbers, the positions, and the masks cached on first use.
_MADE_AGAIN = ("folded_numbers", "positions", "_orders", "_last_search", "late", "todo", "_by_id")
_NOT = bytes([1, 0]) + bytes(254)  # translate table: 0 <-> 1
_CHUNK = 4096  # rows read from the stream at a time, then added column by column
_get = attrgetter
_item = itemgetter
_ORDINAL = dt.date.toordinal


def _day_or_none(day: dt.date | None) -> int:
    """A date's ordinal, 0 for no date."""
    return day.toordinal() if day else _NO_DAY


class _Pool(dict[T, int]):
    """Distinct values numbered in order of first sight: a row keeps the number (4 bytes).

    `pool[value]` is the number, given on first sight (`__missing__`): read in C by `map`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[T] = []

    def __missing__(self, text: T) -> int:
        n = self[text] = len(self.texts)
        self.texts.append(text)
        return n


class InvoiceIndex:
    """The rows of one load kept by column, with their search strings and sort orders (no Qt).

    Built off the interface thread as `Ledger.iter_stages` streams, so that the 100,000 row
    objects never exist at once: each field is an array of ints (cents, date ordinals, numbers
    of shared strings) or a list of the invoice numbers; `row(i)` makes one `StageRow` again.
    Filters are computed as masks over the rows in load order (memory read in sequence), then
    applied to the cached sorted order. The search looks in each distinct client name and
    subject once (folded once), and in each row's folded invoice number.
    """

    def __init__(self, rows: Iterable[StageRow] | Iterable[StageTuple], as_of: dt.date) -> None:
        rows = iter(rows)
        self._build(iter(lambda: list(islice(rows, _CHUNK)), []), as_of)

    @classmethod
    def of_batches(cls, batches: Iterable[list[StageTuple]], as_of: dt.date) -> InvoiceIndex:
        """The index of rows given in lists (as the driver reads them: no row passed on one
        by one through each generator on the way)."""
        index = cls.__new__(cls)
        index._build(batches, as_of)
        return index

    def _build(
        self, chunks: Iterable[list[StageRow]] | Iterable[list[StageTuple]], as_of: dt.date
    ) -> None:
        self.as_of = as_of
        self.ids = array("q")
        self.numbers: list[str] = []
        self.folded_numbers: list[str] = []
        # Lists where the search reads every row: a list hands out its ints, an array makes
        # one per read (the numbers are shared objects: the same few thousand clients).
        self.slots: list[int] = []  # the client: a number in `client_slot_ids`, `names`...
        self.stage_codes = array("i")  # numbers in `texts`, like the next actions
        self.balance = array("q")
        self.total = array("q")
        self.issue = array("i")  # date ordinals
        self.due = array("i")
        self.days_late = array("q")
        self.next_codes = array("i")
        self.next_labels = array("i")
        self.next_on = array("i")  # 0: no date
        self.b2c = bytearray()
        self.subjects: list[int] = []  # numbers in `subject_texts`
        self.prescription = array("i")  # 0: no date
        self.barred = bytearray()
        self.archived = bytearray()
        texts, subjects, clients = _Pool(), _Pool(), _Pool()
        # By chunks of rows, each column extended at once (loops in C: map, attrgetter).
        for chunk in chunks:
            if chunk:
                self._add(chunk, texts, subjects, clients)
        self.client_slot_ids = array("q", (key[0] for key in clients.texts))
        self.names = [key[1] for key in clients.texts]
        self.folded_names = [fold(name) for name in self.names]
        self.texts = texts.texts
        self.subject_texts = subjects.texts
        self.folded_subjects = [fold(t) for t in self.subject_texts]
        self.count = len(self.ids)
        # What each row still owes, for the total under the table (credits, losses: 0).
        self.owed = array("q", map(max, self.balance, repeat(0)))
        if "written_off" in self.texts:
            off = self.texts.index("written_off")
            for i in compress(range(self.count), map(off.__eq__, self.stage_codes)):
                self.owed[i] = 0
        self.any_archived = any(self.archived)
        self.live = self.archived.translate(_NOT)  # not archived: 1
        self.owed_total = sum(self.owed)
        self._made_again()

    def _made_again(self) -> None:
        """What is made from the columns in a moment: not sent from the read-ahead child."""
        # Row positions as int objects made once, shared by the sort orders and search results.
        self.positions = list(range(self.count))
        self._orders: dict[int, list[int]] = {}
        # The last search (folded text, positions of the rows it found, its mask): typing one
        # more letter only looks among those rows.
        self._last_search: tuple[str, list[int], list[Any]] = ("", [], [])

    def __getstate__(self) -> dict[str, Any]:
        """The columns, without what is quicker made again than sent (`ui.tables.ahead`)."""
        state = dict(vars(self))
        for name in _MADE_AGAIN:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self.folded_numbers = fold_numbers(self.numbers)
        self._made_again()

    def _add(
        self,
        chunk: list[StageRow] | list[StageTuple],
        texts: _Pool,
        subjects: _Pool,
        clients: _Pool,
    ) -> None:
        """Append a chunk of rows (stage rows, or stage tuples: their dates already day
        numbers) to the columns."""
        if isinstance(chunk[0], tuple):
            self._add_tuples(cast("list[StageTuple]", chunk), texts, subjects, clients)
            return
        self.ids.extend(map(_get("invoice_id"), chunk))
        numbers = list(map(_get("invoice"), chunk))
        self.numbers += numbers
        self.folded_numbers += fold_numbers(numbers)
        self.slots += map(
            clients.__getitem__,
            zip(map(_get("client_id"), chunk), map(_get("client"), chunk), strict=True),
        )
        self.stage_codes.extend(map(texts.__getitem__, map(_get("stage"), chunk)))
        self.balance.extend(map(_get("balance_cents"), chunk))
        self.total.extend(map(_get("total_cents"), chunk))
        self.issue.extend(map(_ORDINAL, map(_get("issue_date"), chunk)))
        self.due.extend(map(_ORDINAL, map(_get("due"), chunk)))
        self.days_late.extend(map(_get("days_late"), chunk))
        self.next_codes.extend(map(texts.__getitem__, map(_get("next_action"), chunk)))
        self.next_labels.extend(map(texts.__getitem__, map(_get("next_action_label"), chunk)))
        self.next_on.extend(map(_day_or_none, map(_get("next_action_on"), chunk)))
        self.b2c.extend(map(_get("b2c"), chunk))
        self.subjects += map(subjects.__getitem__, map(_get("subject"), chunk))
        self.prescription.extend(map(_day_or_none, map(_get("prescription_on"), chunk)))
        self.barred.extend(map(_get("time_barred"), chunk))
        self.archived.extend(map(_get("archived"), chunk))

    def _add_tuples(
        self, chunk: list[StageTuple], texts: _Pool, subjects: _Pool, clients: _Pool
    ) -> None:
        """`_add` of stage tuples (`models.store.stage_cache.StageTuple`: the cache's rows as
        the driver gives them, no row object made)."""
        self.ids.extend(map(_item(0), chunk))
        numbers = list(map(_item(1), chunk))
        self.numbers += numbers
        self.folded_numbers += fold_numbers(numbers)
        self.slots += map(clients.__getitem__, map(_item(2, 3), chunk))
        self.stage_codes.extend(map(texts.__getitem__, map(_item(4), chunk)))
        self.balance.extend(map(_item(5), chunk))
        self.total.extend(map(_item(6), chunk))
        self.issue.extend(map(_item(7), chunk))
        self.due.extend(map(_item(8), chunk))
        self.days_late.extend(map(_item(9), chunk))
        self.next_codes.extend(map(texts.__getitem__, map(_item(10), chunk)))
        self.next_labels.extend(map(texts.__getitem__, map(_item(11), chunk)))
        self.next_on.extend(map(_item(12), chunk))
        self.b2c.extend(map(_item(13), chunk))
        self.subjects += map(subjects.__getitem__, map(_item(14), chunk))
        self.prescription.extend(map(_item(15), chunk))
        self.barred.extend(map(_item(16), chunk))
        self.archived.extend(map(_item(17), chunk))

    @cached_property
    def late(self) -> bytearray:
        """For each row, 1 when past due with something still owed (not written off)."""
        open_stage = [t not in NO_LATENESS for t in self.texts]
        return bytearray(
            d > 0 and b > 0 and open_stage[s]
            for d, b, s in zip(self.days_late, self.balance, self.stage_codes, strict=True)
        )

    @cached_property
    def todo(self) -> bytearray:
        """For each row, 1 when its next action falls on or before the as-of date, still owed."""
        as_of_day = self.as_of.toordinal()
        return bytearray(
            _NO_DAY < n <= as_of_day and b > 0
            for n, b in zip(self.next_on, self.balance, strict=True)
        )

    # -- one row -----------------------------------------------------------------------------
    @property
    def rows(self) -> Sequence[StageRow]:
        """The rows in load order, each made when asked for (never all kept)."""
        return _Rows(self)

    def row(self, i: int) -> StageRow:
        """The stage row at load position `i`, made from the columns."""
        texts, slot = self.texts, self.slots[i]
        next_on, limit = self.next_on[i], self.prescription[i]
        return StageRow(
            invoice_id=self.ids[i],
            invoice=self.numbers[i],
            client_id=self.client_slot_ids[slot],
            client=self.names[slot],
            stage=texts[self.stage_codes[i]],
            balance_cents=self.balance[i],
            total_cents=self.total[i],
            issue_date=dt.date.fromordinal(self.issue[i]),
            due=dt.date.fromordinal(self.due[i]),
            days_late=self.days_late[i],
            next_action=texts[self.next_codes[i]],
            next_action_label=texts[self.next_labels[i]],
            next_action_on=dt.date.fromordinal(next_on) if next_on else None,
            b2c=bool(self.b2c[i]),
            subject=self.subject_texts[self.subjects[i]],
            prescription_on=dt.date.fromordinal(limit) if limit else None,
            time_barred=bool(self.barred[i]),
            archived=bool(self.archived[i]),
        )

    def stage(self, i: int) -> str:
        """The stage code of the row at load position `i`."""
        return self.texts[self.stage_codes[i]]

    def is_late(self, i: int) -> bool:
        """Past due with something still owed (not written off)."""
        return (
            self.days_late[i] > 0
            and self.balance[i] > 0
            and self.texts[self.stage_codes[i]] not in NO_LATENESS
        )

    def sort_value(self, i: int, col: int) -> Any:
        """The raw value a cell sorts on: cents, days, dates, the folded client name, the
        stage's rank, the next action's date (none: the far future)."""
        if col == COL_CLIENT:
            return self.folded_names[self.slots[i]]
        if col == COL_NUMBER:
            return self.numbers[i]
        if col == COL_DATE:
            return dt.date.fromordinal(self.issue[i])
        if col == COL_DUE:
            return dt.date.fromordinal(self.due[i])
        if col == COL_TOTAL:
            return self.total[i]
        if col == COL_BALANCE:
            return self.balance[i]
        if col == COL_LATE:
            return self.days_late[i]
        if col == COL_STAGE:
            info = STAGES.get(self.stage(i))
            return info.rank if info else 0
        on = self.next_on[i]
        return dt.date.fromordinal(on) if on else FAR_FUTURE

    @cached_property
    def _by_id(self) -> tuple[array[int], array[int]]:
        """The ids sorted, and the load position of each (built on first use)."""
        ids = self.ids
        positions = array("i", sorted(range(self.count), key=ids.__getitem__))
        return array("q", (ids[i] for i in positions)), positions

    def position(self, invoice_id: int) -> int | None:
        """The load position of an invoice, None when it is not loaded."""
        ids, positions = self._by_id
        at = bisect_left(ids, invoice_id)
        return positions[at] if at < len(ids) and ids[at] == invoice_id else None

    # -- search, orders, filters -------------------------------------------------------------
    def _word_rows(self, word: str, among: list[int] | None) -> tuple[list[int], list[Any]]:
        """The positions (of `among`, or of every row) whose folded "client, number, subject"
        holds `word` (a word holds no tab, so looking in each part is looking in the line),
        with the mask over every row when every row was looked at (else [])."""
        names = [word in n for n in self.folded_names]
        subjects = [word in s for s in self.folded_subjects]
        numbers, slots, subj = self.folded_numbers, self.slots, self.subjects
        if among is not None:  # the rows found by the last search only
            return [
                i for i in among if names[slots[i]] or subjects[subj[i]] or word in numbers[i]
            ], []
        if any(names) and any(subjects):
            mask = [
                names[a] or subjects[b] or word in n
                for n, a, b in zip(numbers, slots, subj, strict=True)
            ]
        elif any(names):
            mask = [names[a] or word in n for n, a in zip(numbers, slots, strict=True)]
        elif any(subjects):
            mask = [subjects[b] or word in n for n, b in zip(numbers, subj, strict=True)]
        else:
            mask = [word in n for n in numbers]
        return list(compress(self.positions, mask)), mask

    def search_mask(self, text: str) -> list[Any] | None:
        """For each row (load order), whether it holds every word of `text`; None without words.

        When the folded text extends the last one searched, each of its words contains one of
        the last words, so only the rows found last time can match: they alone are looked at.
        """
        folded = fold(text)
        words = folded.split()
        if not words:
            return None
        last, found, mask = self._last_search
        if folded == last:
            return mask
        if last.split() and folded.startswith(last):
            hits, mask = found, []
        else:  # one pass over every row, in sequence
            hits, mask = self._word_rows(words[0], None)
            words = words[1:]
        for word in words:
            hits, mask = self._word_rows(word, hits)
        if not mask:
            mask = [False] * self.count
            for i in hits:
                mask[i] = True
        self._last_search = (folded, hits, mask)
        return mask

    def _sort_values(self, column: int) -> Sequence[Any]:
        """What each row sorts on, in load order (ordinals for dates: the same order)."""
        if column == COL_CLIENT:  # folded client, then number (the ties), then subject
            names, numbers, subjects = self.folded_names, self.folded_numbers, self.folded_subjects
            return [
                f"{names[a]}\t{n}\t{subjects[b]}"
                for a, n, b in zip(self.slots, numbers, self.subjects, strict=True)
            ]
        if column == COL_STAGE:
            ranks = [STAGES[t].rank if t in STAGES else 0 for t in self.texts]
            return [ranks[c] for c in self.stage_codes]
        if column == COL_NEXT:
            far = FAR_FUTURE.toordinal()
            return [n or far for n in self.next_on]
        columns: dict[int, Sequence[Any]] = {
            COL_NUMBER: self.numbers,
            COL_DATE: self.issue,
            COL_DUE: self.due,
            COL_TOTAL: self.total,
            COL_BALANCE: self.balance,
            COL_LATE: self.days_late,
        }
        return columns[column]

    def order(self, column: int) -> list[int]:
        """Row positions sorted ascending on `column` (computed once per load)."""
        found = self._orders.get(column)
        if found is None:
            values = self._sort_values(column)
            # Sorting the date order (stable sort): ties, a client's invoices, stay oldest first.
            base = self.positions if column == COL_DATE else self.order(COL_DATE)
            found = sorted(base, key=values.__getitem__)
            self._orders[column] = found
        return found

    def mask(self, f: Filters) -> Sequence[Any] | None:
        """For each row (load order), whether it passes the filters (a bool, or 1 and 0);
        None when all do."""
        masks: list[Sequence[Any]] = []
        if f.archived or self.any_archived:  # archived rows apart (issue 14)
            masks.append(self.archived if f.archived else self.live)
        if f.client_id is not None:
            slot_ok = [c == f.client_id for c in self.client_slot_ids]
            masks.append(list(map(slot_ok.__getitem__, self.slots)))
        if f.stage:
            if f.stage == UNPAID:
                stage_ok = [t not in NO_LATENESS for t in self.texts]
            else:
                stage_ok = [t == f.stage for t in self.texts]
            masks.append(list(map(stage_ok.__getitem__, self.stage_codes)))
        if f.kind:
            masks.append(self.b2c if f.kind == "b2c" else self.b2c.translate(_NOT))
        if f.overdue_only:
            masks.append(self.late)
        if f.todo_today:
            masks.append(self.todo)
        found = self.search_mask(f.text)
        if found is not None:
            masks.append(found)
        if not masks:
            return None
        mask = masks[0]
        for other in masks[1:]:
            mask = list(map(and_, mask, other))
        return mask

    def select(self, filters: Filters, column: int, descending: bool) -> tuple[list[int], int]:
        """Positions of the rows passing `filters` in the requested order, and what they owe."""
        order = self.order(column)
        mask = self.mask(filters)
        if mask is None:
            return (order[::-1] if descending else order), self.owed_total
        ids = list(compress(order, map(mask.__getitem__, order)))
        if descending:
            ids.reverse()
        return ids, sum(compress(self.owed, mask))


class _Rows(Sequence[StageRow]):
    """An index's rows as a sequence, each `StageRow` made when read (dialogs, tests)."""

    def __init__(self, index: InvoiceIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return self._index.count

    @overload
    def __getitem__(self, i: int) -> StageRow: ...

    @overload
    def __getitem__(self, i: slice) -> list[StageRow]: ...

    def __getitem__(self, i: int | slice) -> StageRow | list[StageRow]:
        if isinstance(i, slice):
            return [self._index.row(j) for j in range(self._index.count)[i]]
        if i < 0:
            i += self._index.count
        if not 0 <= i < self._index.count:
            raise IndexError(i)
        return self._index.row(i)
