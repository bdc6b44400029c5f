"""The database half of an import: parsed rows become clients, invoices and payments.

Bulk, in three steps (issue 17): what the database holds is read once (one query per table into
dicts), every row is decided in plain Python (`plan_import`, which writes nothing), then the
plan is written with one `executemany` per table (`write_plan`) in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from models.errors import FieldError
from models.importing.read import ImportRow, ParsedFile, number_key
from models.law.deadlines import beyond_max_term
from models.money import format_eur, to_cents
from models.store import db, versions
from models.store.codes import B2B
from models.store.tables import Action, ActionInvoice, Client, Invoice, Payment, PlanInvoice
from models.validation import check_client, check_invoice, term_row_warning

# The reference of a payment whose date the file did not give (older versions used it too).
INFERRED_REFERENCE = "import (date supposée)"

# What the import tells while it runs: ("check" | "write", rows done, rows in all).
Progress = Callable[[str, int, int], None]
# Asked now and then, and once more just before the commit: True stops, nothing is written.
Cancelled = Callable[[], bool]
STEP = 2000  # rows between two progress reports (and two looks at `cancelled`)


@dataclass(frozen=True)
class ImportConflict:
    """An invoice number stored with another amount or client than the file gives it."""

    text: str  # "ligne 4 : la facture F-101 est enregistrée pour ..., le fichier dit ..."
    outcome: str  # what the import did about it: kept, replaced, kept for its history

    def __str__(self) -> str:
        """The conflict and what was done, in one sentence."""
        return f"{self.text} : {self.outcome}"


@dataclass
class ImportReport:
    """What an import did, or would have done; `errors` name the row and the column."""

    rows: int = 0
    clients_created: int = 0
    invoices_created: int = 0
    payments_created: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Payments the file marks paid without a date: dated the earlier of due date and import date.
    inferred_payment_dates: int = 0
    # An invoice number already stored with another amount or client, one sentence each.
    conflicts: list[ImportConflict] = field(default_factory=list)
    replaced: int = 0


class ImportAbortedError(Exception):
    """Raised inside the transaction so that nothing is written; carries the errors found."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} erreur(s)")
        self.report = report


class ImportCancelledError(Exception):
    """The user stopped the import before its commit: the transaction is undone, nothing kept."""

    def __init__(self) -> None:
        super().__init__("import annulé : rien n'a été enregistré")


@dataclass
class ImportPlan:
    """What an import will write, table by table, rows as dicts with their ids; and its report."""

    report: ImportReport
    # Table name -> rows in insertion order, as SQLite stores them (dates as ISO text): the
    # columns a row gives, then their values; the other columns keep their defaults.
    inserts: dict[str, list[tuple[tuple[str, ...], tuple[Any, ...]]]]
    updates: list[dict[str, Any]]  # replaced invoices: "invoice_id" and the columns that change

    def rows_to_write(self) -> int:
        """How many rows the plan writes in all (for a progress bar)."""
        return sum(len(rows) for rows in self.inserts.values()) + len(self.updates)


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large file is read and planned.

    Reading 100,000 lines makes millions of small objects, none in a cycle (freed by their
    reference counts as usual); the collector would rescan them all again and again meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_import(
    conn: Connection,
    parsed: ParsedFile,
    skip_invalid: bool,
    terms_days: int,
    as_of: dt.date,
    replace_conflicts: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    user: str | None = None,
) -> ImportPlan:
    """Decide every row against what the database holds; writes nothing.

    `as_of` is the import date: nothing imported may be dated after it. Clients are matched by
    name ignoring case; invoice numbers ignoring case and surrounding spaces. An invoice number
    already stored with the same client and amount is not created again (re-importing a file
    creates no duplicate), but a payment the file now shows is added; with another client or
    amount it is a conflict, kept as stored unless `replace_conflicts`. A row marked paid with
    no payment date is taken as paid on the earlier of its due date and the import date.
    Errors and no `skip_invalid`: ImportAbortedError with the report.
    """
    report = ImportReport(rows=len(parsed.rows) + len({e.row for e in parsed.errors}))
    report.errors.extend(parsed.errors)
    report.warnings.extend(parsed.skipped)
    bad_rows = {e.row for e in parsed.errors}
    state = _State.read(conn, parsed.columns, terms_days, as_of, replace_conflicts)
    state.user = user  # who the history lines are written by (issue 18)
    total = len(parsed.rows)
    for done, row in enumerate(parsed.rows):
        if done % STEP == 0:
            _tick(progress, cancelled, "check", done, total)
        errors = _check_dates(row, state) if _after(row, as_of) else []
        if not errors:
            errors = _plan_row(row, state, report)
        if errors:
            report.errors.extend(errors)
            bad_rows.add(row.row)
    _tick(progress, cancelled, "check", total, total)
    report.errors.sort(key=lambda e: e.row or 0)
    if report.errors and not skip_invalid:
        raise ImportAbortedError(report)
    report.warnings.extend(f"ligne {r} ignorée" for r in sorted(r for r in bad_rows if r))
    if report.inferred_payment_dates:
        report.warnings.append(
            f"{report.inferred_payment_dates} date(s) de paiement supposée(s) : « payé » sans "
            f"date, compté payé à l'échéance ou au plus tard le {as_of:%d/%m/%Y} (date d'import)"
        )
    return ImportPlan(report, state.inserts, state.updates)


def write_plan(
    conn: Connection,
    plan: ImportPlan,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    who: str = "",
    when: dt.datetime | None = None,
) -> None:
    """Write the plan in the caller's transaction: one `executemany` per table and chunk.

    `cancelled` is asked between chunks and once more after the last one, before the caller
    commits: the user can stop until then, and nothing is kept. A replaced invoice gets a new
    version by `who` at `when` (optimistic locking, issue 18), as an edit in the window does.
    """
    total, done = plan.rows_to_write(), 0
    _tick(progress, cancelled, "write", done, total)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    for model in WRITTEN:
        table = _table(model)
        planned = plan.inserts.get(table.name, [])
        # Rows that give the same columns go together, in their order (it makes the rowids).
        for names, group in itertools.groupby(planned, key=operator.itemgetter(0)):
            sql = _insert_sql(table.name, names, mark, conn.dialect.name)
            rows = [values for _names, values in group]
            for start in range(0, len(rows), STEP * 5):
                chunk = rows[start : start + STEP * 5]
                conn.exec_driver_sql(sql, chunk)
                done += len(chunk)
                _tick(progress, cancelled, "write", done, total)
    # The ids were given (as SQLite gives them): PostgreSQL's counters must follow.
    db.reset_sequences(conn, [str(m.__tablename__) for m in WRITTEN if m is not ActionInvoice])
    _replace_invoices(conn, plan.updates, who, when)
    _tick(progress, cancelled, "write", total, total)


def _replace_invoices(
    conn: Connection, updates: list[dict[str, Any]], who: str, when: dt.datetime | None
) -> None:
    """Replaced invoices (few): only the columns the file gives, a new version when any of them
    changes, noted like a window edit ("champs modifiés : montant TTC")."""
    if not updates:
        return
    invoice = _table(Invoice)
    ids = {u["invoice_id"] for u in updates}
    query = select(invoice).where(invoice.c.id.in_(ids))
    stored = {row.id: dict(row._mapping) for row in conn.execute(query)}
    order = list(invoice.c.keys())
    for change in updates:
        old = stored[change["invoice_id"]]
        values = {k: v for k, v in change.items() if k != "invoice_id"}
        changed = [c for c in order if c in values and values[c] != old[c]]
        if changed:
            labels = ", ".join(versions.FIELD_LABELS.get(c, c) for c in changed)
            values |= {
                "version": (old["version"] or 1) + 1,
                "changed_by": who,
                "changed_at": when,
                "change_note": f"champs modifiés : {labels}",
            }
        conn.execute(invoice.update().where(invoice.c.id == change["invoice_id"]).values(values))
        old.update(values)


def _insert_sql(table: str, names: tuple[str, ...], mark: str, dialect: str) -> str:
    """INSERT giving `names` as parameters and every other column its default as a literal.

    Binding twenty constant values per row cost more than SQLite's own work on the row.
    """
    defaults = {k: v for k, v in _DEFAULTS[table].items() if k not in names}
    columns = ", ".join([*names, *defaults])
    literals = [_literal(v, dialect) for v in defaults.values()]
    values = ", ".join([mark] * len(names) + literals)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({values})'


def _literal(value: object, dialect: str) -> str:
    """A default value as SQL text, stored as a bound value would be (True as 1 in SQLite)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) and dialect == "postgresql":
        return "TRUE" if value else "FALSE"
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"valeur par défaut inattendue : {value!r}")  # pragma: no cover


def _tick(
    progress: Progress | None, cancelled: Cancelled | None, stage: str, done: int, total: int
) -> None:
    """Tell how far the import is; stop it (ImportCancelledError) when the user asked."""
    if cancelled is not None and cancelled():
        raise ImportCancelledError
    if progress is not None:
        progress(stage, done, total)


def _table(model: type[SQLModel]) -> Table:
    """The Core table of a model."""
    table: Table = SQLModel.metadata.tables[str(model.__tablename__)]
    return table


def _defaults(model: type[SQLModel]) -> dict[str, Any]:
    """Every column of a model with its default (None where a row must give it)."""
    return {k: None if f.is_required() else f.default for k, f in model.model_fields.items()}


# The tables an import writes, in the order their foreign keys need.
WRITTEN = (Client, Invoice, Action, ActionInvoice, Payment)
CLIENT, INVOICE, ACTION, ACTION_INVOICE, PAYMENT = (str(m.__tablename__) for m in WRITTEN)
_DEFAULTS = {str(m.__tablename__): _defaults(m) for m in WRITTEN}
_INVOICE_COLUMNS = (
    "id",
    "number",
    "client_id",
    "issue_date",
    "due_date",
    "due_date_given",
    "amount_ttc_cents",
    "amount_ht_cents",
    "vat_cents",
    "order_number",
    "subject",
)
_PAYMENT_COLUMNS = ("id", "invoice_id", "date", "amount_cents", "method", "reference")


class _Known(NamedTuple):
    """A stored invoice as the import compares and completes it (a tuple: 100,000 stay small)."""

    id: int
    number: str
    client_id: int
    amount_ttc_cents: int
    deposit_cents: int
    due_date: dt.date


class _Client(NamedTuple):
    """A client as the import needs it."""

    id: int
    name: str


@dataclass
class _State:
    """What the rows of one import share: what is stored, what is planned, settings, choices."""

    conn: Connection
    clients: dict[str, _Client]  # lower-case name -> client
    invoices: dict[str, _Known]  # number_key -> the stored invoice
    client_names: dict[int, str]  # id -> name, for the conflict sentences
    next_id: dict[str, int]  # table name -> the id the next row will get
    headers: dict[str, str]  # canonical field -> header in the file
    terms_days: int
    as_of: dt.date
    replace: bool
    user: str | None = None
    inserts: dict[str, list[tuple[tuple[str, ...], tuple[Any, ...]]]] = field(
        default_factory=lambda: {name: [] for name in _DEFAULTS}
    )
    updates: list[dict[str, Any]] = field(default_factory=list)
    _paid: dict[int, int] | None = None  # invoice id -> sum of its live payments, read lazily
    _history: set[int] | None = None  # invoices that letters, calls or a plan refer to
    _late: dict[tuple[dt.date, dt.date], bool] = field(default_factory=dict)
    _client_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(
        cls,
        conn: Connection,
        headers: dict[str, str],
        terms_days: int,
        as_of: dt.date,
        replace: bool,
    ) -> _State:
        """Read the clients and invoices once, in id order (a later duplicate name wins)."""
        client, invoice = _table(Client), _table(Invoice)
        names = select(client.c.id, client.c.name).order_by(client.c.id)
        stored = [_Client(i, n) for i, n in conn.execute(names)]
        columns = (
            invoice.c.id,
            invoice.c.number,
            invoice.c.client_id,
            invoice.c.amount_ttc_cents,
            invoice.c.deposit_cents,
            invoice.c.due_date,
        )
        known = [_Known(*r) for r in conn.execute(select(*columns).order_by(invoice.c.id))]
        next_id = {}
        for model in (Client, Invoice, Payment, Action):
            table = _table(model)
            top = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            next_id[table.name] = int(top) + 1  # SQLite's own choice: the largest rowid + 1
        return cls(
            conn=conn,
            clients={c.name.lower(): c for c in stored},
            invoices={number_key(k.number): k for k in known},
            client_names={c.id: c.name for c in stored},
            next_id=next_id,
            headers=headers,
            terms_days=terms_days,
            as_of=as_of,
            replace=replace,
        )

    def col(self, name: str) -> str:
        """The header the file gives a field, for error messages."""
        return self.headers.get(name, name)

    def add(self, table: str, /, **values: Any) -> int:
        """Plan a row of a table (dates as ISO text, as stored); its id, 0 for a link table.

        The id is the one SQLite would give the row: the largest so far plus one.
        """
        row_id = 0
        if table in self.next_id:
            row_id = values["id"] = self.next_id[table]
            self.next_id[table] += 1
        self.inserts[table].append((tuple(values), tuple(values.values())))
        return row_id

    def add_row(self, table: str, names: tuple[str, ...], values: tuple[Any, ...]) -> int:
        """`add` for the rows made once per line: "id" then `names` (a constant), its id."""
        row_id = self.next_id[table]
        self.next_id[table] += 1
        self.inserts[table].append((names, (row_id, *values)))
        return row_id

    def client_key(self, name: str) -> str:
        """The key a row's client is matched by: spaces collapsed, lower case (once per name)."""
        key = self._client_keys.get(name)
        if key is None:
            key = self._client_keys[name] = " ".join(name.split()).lower()
        return key

    def late(self, issue: dt.date, due: dt.date) -> bool:
        """Tell whether a due date is past the legal maximum term (worked out once per pair)."""
        found = self._late.get((issue, due))
        if found is None:
            found = self._late[issue, due] = beyond_max_term(issue, due) is not None
        return found

    def paid(self, invoice_id: int) -> int:
        """What the stored live payments of an invoice add up to (cancelled ones count nothing)."""
        if self._paid is None:
            payment = _table(Payment)
            query = (
                select(payment.c.invoice_id, func.sum(payment.c.amount_cents))
                .where(payment.c.cancelled_on.is_(None))
                .group_by(payment.c.invoice_id)
            )
            self._paid = {int(i): int(s) for i, s in self.conn.execute(query)}
        return self._paid.get(invoice_id, 0)

    def has_history(self, invoice_id: int) -> bool:
        """Tell whether letters, calls or a payment plan refer to a stored invoice."""
        if self._history is None:
            links, plans = _table(ActionInvoice), _table(PlanInvoice)
            self._history = {int(i) for (i,) in self.conn.execute(select(links.c.invoice_id))}
            self._history |= {int(i) for (i,) in self.conn.execute(select(plans.c.invoice_id))}
        return invoice_id in self._history


def _after(row: ImportRow, as_of: dt.date) -> bool:
    """Tell whether the row dates anything after the import date (the rare case)."""
    return row.issue_date > as_of or (row.payment_date is not None and row.payment_date > as_of)


def _check_dates(row: ImportRow, state: _State) -> list[FieldError]:
    """Refuse what would date an imported event after the import date."""
    errors = []
    after = f"postérieure à la date d'import ({state.as_of:%d/%m/%Y})"
    if row.issue_date > state.as_of:
        errors.append(
            FieldError(
                state.col("issue_date"),
                f"date de facture {row.issue_date:%d/%m/%Y} {after}",
                row.row,
            )
        )
    if row.payment_date is not None and row.payment_date > state.as_of:
        errors.append(
            FieldError(
                state.col("payment_date"),
                f"date de paiement {row.payment_date:%d/%m/%Y} {after}",
                row.row,
            )
        )
    return errors


def _plan_row(row: ImportRow, state: _State, report: ImportReport) -> list[FieldError]:
    """Plan one row, or return its errors (then nothing of it is planned)."""
    client = state.clients.get(state.client_key(row.client))
    key = number_key(row.number)
    known = state.invoices.get(key)
    if known is not None:
        same_client = client is not None and client.id == known.client_id
        if same_client and known.amount_ttc_cents == to_cents(row.amount_ttc):
            added = _plan_payment(state, known, row, report)
            report.payments_created += added
            report.unchanged += 0 if added else 1
            return []
        return _conflict(known, client, row, state, report)
    errs = check_invoice(row.number, row.issue_date, row.due_date, row.amount_ttc, row.amount_ht)
    if errs:
        return [FieldError(state.col("amount_ttc"), e.message, row.row) for e in errs]
    if client is None:
        client, errs = _new_client(row, state, report)
        if client is None:
            return errs
    due = row.due_date or row.issue_date + dt.timedelta(days=state.terms_days)
    ttc = to_cents(row.amount_ttc)
    ht = row.amount_ht
    invoice_id = state.add_row(
        INVOICE,
        _INVOICE_COLUMNS,
        (
            row.number,
            client.id,
            row.issue_date.isoformat(),
            due.isoformat(),
            row.due_date is not None,
            ttc,
            to_cents(ht) if ht is not None else 0,
            to_cents(row.amount_ttc - ht) if ht is not None else 0,
            row.order_number,
            row.subject,
        ),
    )
    created = _Known(invoice_id, row.number, client.id, ttc, 0, due)
    report.payments_created += _plan_payment(state, created, row, report, stored=False)
    report.invoices_created += 1
    if row.due_date is not None and state.late(row.issue_date, row.due_date):
        late_term = term_row_warning(row.row, row.issue_date, row.due_date)
        report.warnings.append(late_term or "")  # C. com. L441-10 I: flagged, row kept
    state.invoices[key] = created
    return []


def _new_client(
    row: ImportRow, state: _State, report: ImportReport
) -> tuple[_Client | None, list[FieldError]]:
    """Plan the row's client, or return the errors that refuse it."""
    kind = row.kind or B2B
    errs = check_client(row.client, kind, email=row.email, postal_code=row.postal_code)
    if errs:
        col = state.col
        return None, [FieldError(col(_client_field(e.field)), e.message, row.row) for e in errs]
    name = " ".join(row.client.split())
    client_id = state.add(
        CLIENT,
        name=name,
        kind=kind,
        email=row.email,
        street=row.address,
        postal_code=row.postal_code,
        city=row.city,
    )
    client = _Client(client_id, name)
    state.clients[name.lower()] = client
    state.client_names[client_id] = name
    report.clients_created += 1
    return client, []


def _conflict(
    existing: _Known,
    client: _Client | None,
    row: ImportRow,
    state: _State,
    report: ImportReport,
) -> list[FieldError]:
    """The stored invoice differs from the row: list it; replace it when the user chose so."""
    stored_name = state.client_names.get(existing.client_id, "?")
    was = f"{format_eur(existing.amount_ttc_cents, cents=True)} ({stored_name})"
    now = f"{format_eur(row.amount_ttc)} ({' '.join(row.client.split())})"
    said = (
        f"ligne {row.row} : la facture {existing.number} est enregistrée pour {was}, "
        f"le fichier dit {now}"
    )
    if not state.replace:
        report.conflicts.append(ImportConflict(said, "gardée telle qu'enregistrée"))
        return []
    moves = client is None or client.id != existing.client_id
    if moves and state.has_history(existing.id):
        report.conflicts.append(
            ImportConflict(
                said, f"gardée, car son historique (lettres, échéancier) est chez {stored_name}"
            )
        )
        return []
    deposit = Decimal(existing.deposit_cents) / 100
    errs = check_invoice(
        existing.number, row.issue_date, row.due_date, row.amount_ttc, row.amount_ht, deposit
    )
    if errs:
        return [FieldError(state.col("amount_ttc"), e.message, row.row) for e in errs]
    if client is None:
        client, errs = _new_client(row, state, report)
        if client is None:
            return errs
    ttc = to_cents(row.amount_ttc)
    change: dict[str, Any] = {
        "invoice_id": existing.id,
        "client_id": client.id,
        "issue_date": row.issue_date,
        "amount_ttc_cents": ttc,
    }
    if row.due_date is not None:
        change |= {"due_date": row.due_date, "due_date_given": True}
    if row.amount_ht is not None:
        change["amount_ht_cents"] = to_cents(row.amount_ht)
        change["vat_cents"] = to_cents(row.amount_ttc - row.amount_ht)
    state.updates.append(change)
    # A correction is a new entry: the client's history says what the import changed.
    note_id = state.add(
        ACTION,
        client_id=client.id,
        date=state.as_of.isoformat(),
        kind="note",
        notes=f"Import : facture {existing.number} remplacée ; avant : {was}, après : {now}",
        done_by=state.user,
    )
    state.add(ACTION_INVOICE, action_id=note_id, invoice_id=existing.id)
    replaced = existing._replace(
        client_id=client.id, amount_ttc_cents=ttc, due_date=row.due_date or existing.due_date
    )
    report.payments_created += _plan_payment(state, replaced, row, report)
    report.replaced += 1
    state.invoices[number_key(existing.number)] = replaced
    report.conflicts.append(ImportConflict(said, "remplacée par la ligne du fichier"))
    return []


def _client_field(field_name: str) -> str:
    return {"e-mail": "email", "code postal": "postal_code", "nom": "client"}.get(
        field_name, "client"
    )


def _plan_payment(
    state: _State, inv: _Known, row: ImportRow, report: ImportReport, *, stored: bool = True
) -> int:
    """Plan what the file says was paid beyond what the database already has; 1 if planned.

    Paid with no date: the earlier of the due date and the import date, never later, since
    the file says it was paid by the day it was imported. `stored=False`: an invoice this
    import creates, with no payment yet.
    """
    if row.amount_paid is not None:
        target = to_cents(row.amount_paid)
    elif row.paid:
        target = inv.amount_ttc_cents
    else:
        return 0
    paid = state.paid(inv.id) if stored else 0
    missing = target - inv.deposit_cents - paid
    if missing <= 0:
        return 0
    if row.payment_date is None:
        report.inferred_payment_dates += 1
    state.add_row(
        PAYMENT,
        _PAYMENT_COLUMNS,
        (
            inv.id,
            (row.payment_date or min(inv.due_date, state.as_of)).isoformat(),
            missing,
            "other",
            "import" if row.payment_date else INFERRED_REFERENCE,
        ),
    )
    return 1
