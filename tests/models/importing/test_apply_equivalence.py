"""The bulk import (issue 17) against the per-row import it replaced: same rows, same report.

`legacy_apply.py` is a frozen copy of the old per-row code. Each test imports the same file
into two identical ledgers, one with each implementation, then compares every table row by row
(rowid and ids included, in rowid order) and every field of the report, errors with their line
and text, warnings and conflicts in their order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from sqlmodel import Session

from models.importing.read import ParsedFile, parse_csv_text, parse_file
from models.store.ledger import Ledger
from models.store.tables import (
    Action,
    ActionInvoice,
    Client,
    Invoice,
    Payment,
    PaymentPlan,
    PlanInvoice,
)
from tests.models.importing import legacy_apply

DATA = Path(__file__).resolve().parent.parent / "data"
AS_OF = dt.date(2025, 3, 10)
LATE_AS_OF = dt.date(2026, 1, 15)  # after every date of the sample files

Setup = Callable[[Session], None]


# --- the two implementations, run the same way -----------------------------------------------


def legacy_import(
    ledger: Ledger,
    parsed: ParsedFile,
    as_of: dt.date,
    skip_invalid: bool = False,
    replace_conflicts: bool = False,
    *,
    dry_run: bool = False,
) -> Any:
    """What `Ledger.import_parsed` did before the rewrite, with the frozen per-row code."""
    terms = int(ledger.setting("payment_terms_days"))
    try:
        with ledger._write() as s:
            report = legacy_apply.apply_import(
                s, parsed, skip_invalid, terms, as_of, replace_conflicts
            )
            if dry_run:
                raise legacy_apply.ImportAbortedError(report)
            return report
    except legacy_apply.ImportAbortedError as aborted:
        report = aborted.report
        if dry_run:
            return report
        return legacy_apply.ImportReport(
            rows=report.rows, errors=report.errors, warnings=report.warnings
        )


def new_import(
    ledger: Ledger,
    parsed: ParsedFile,
    as_of: dt.date,
    skip_invalid: bool = False,
    replace_conflicts: bool = False,
    *,
    dry_run: bool = False,
) -> Any:
    """The import as the application runs it now."""
    return ledger.import_parsed(parsed, as_of, skip_invalid, replace_conflicts, dry_run=dry_run)


def dump(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, rowid first, in rowid order (the order SQLite stores them)."""
    with ledger.engine.connect() as conn:
        names = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {}
        for name in names:
            result = conn.exec_driver_sql(f'SELECT rowid, * FROM "{name}" ORDER BY rowid')
            # When a row was changed is the clock's (the two imports run seconds apart).
            keep = [i for i, c in enumerate(result.keys()) if c != "changed_at"]
            out[name] = [tuple(r[i] for i in keep) for r in result]
        return out


def canonical(report: Any) -> dict[str, Any]:
    """Every field of a report, its errors and conflicts also as the text the user reads."""
    fields = dataclasses.asdict(report)
    fields["errors_text"] = [str(e) for e in report.errors]
    fields["conflicts_text"] = [str(c) for c in report.conflicts]
    fields["types"] = [type(e).__name__ for e in report.errors]
    return fields


@contextmanager
def twin_ledgers(setup: Setup | None) -> Iterator[tuple[Ledger, Ledger]]:
    """Two ledgers on two copies of one database file, filled by `setup` once."""
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "legacy.sqlite"
        shutil.copyfile(_template(), first)
        if setup is not None:
            seed = Ledger.open(str(first))
            with seed._write() as s:
                setup(s)
            seed.close()
        second = Path(tmp) / "new.sqlite"
        shutil.copyfile(first, second)
        old, new = Ledger.open(str(first)), Ledger.open(str(second))
        try:
            yield old, new
        finally:
            old.close()
            new.close()


_TEMPLATE: list[Path] = []


def _template() -> Path:
    """An empty, migrated database made once per test session (copied for each example)."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="relance-import-eq-"))
        path = folder / "empty.sqlite"
        Ledger.open(str(path)).close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def assert_same(
    parsed: ParsedFile,
    as_of: dt.date,
    setup: Setup | None = None,
    *,
    skip_invalid: bool = False,
    replace_conflicts: bool = False,
    dry_run: bool = False,
    then: ParsedFile | None = None,
) -> dict[str, Any]:
    """Import with both implementations; the databases and reports must be identical.

    `then`: a second file imported after the first (an import into what the first made).
    Returns the new implementation's report, for tests that also check what it says.
    """
    options = {
        "skip_invalid": skip_invalid,
        "replace_conflicts": replace_conflicts,
        "dry_run": dry_run,
    }
    with twin_ledgers(setup) as (old, new):
        before = dump(new)
        old_report = legacy_import(old, parsed, as_of, **options)
        new_report = new_import(new, parsed, as_of, **options)
        assert canonical(new_report) == canonical(old_report)
        assert dump(new) == dump(old)
        if dry_run:
            assert dump(new) == before
        _count(canonical(new_report))
        if then is not None:
            old_report = legacy_import(old, then, as_of, **options)
            new_report = new_import(new, then, as_of, **options)
            assert canonical(new_report) == canonical(old_report)
            assert dump(new) == dump(old)
        return canonical(new_report)


def _count(report: dict[str, Any]) -> None:
    """Tell hypothesis's statistics which outcomes the generated files reached."""
    if currently_in_test_context():
        for what in ("conflicts", "errors", "replaced", "payments_created", "unchanged"):
            event(f"{what}: {bool(report[what])}")
        event(f"clients_created: {bool(report['clients_created'])}")
        event(f"inferred dates: {bool(report['inferred_payment_dates'])}")


# --- what a ledger may already hold --------------------------------------------------------------


def existing_ledger(s: Session) -> None:
    """Clients and invoices some files name again: same, other amount, other client, history."""
    kasba = Client(name="Studio Kasba", email="compta@kasba.fr")
    lumen = Client(name="agence lumen")
    other = Client(name="Garage Morel", kind="b2c")
    s.add_all([kasba, lumen, other])
    s.flush()
    invoices = [
        Invoice(
            number="FA-2025-0001",
            client_id=kasba.id,
            issue_date=dt.date(2025, 9, 15),
            due_date=dt.date(2025, 9, 30),
            amount_ttc_cents=785572,
        ),
        Invoice(
            number="fa-2025-0002",
            client_id=lumen.id,
            issue_date=dt.date(2025, 9, 29),
            due_date=dt.date(2025, 10, 14),
            amount_ttc_cents=100,
        ),
        Invoice(
            number="FA-2025-0003",
            client_id=other.id,
            issue_date=dt.date(2025, 11, 9),
            due_date=dt.date(2025, 11, 24),
            amount_ttc_cents=627176,
            deposit_cents=10000,
        ),
        Invoice(
            number="FA-2025-0004",
            client_id=other.id,
            issue_date=dt.date(2025, 9, 4),
            due_date=dt.date(2025, 9, 19),
            amount_ttc_cents=999,
        ),
        Invoice(
            number="T-1",
            client_id=kasba.id,
            issue_date=dt.date(2025, 9, 15),
            due_date=dt.date(2025, 10, 15),
            amount_ttc_cents=123456,
        ),
        Invoice(
            number="F-101",
            client_id=lumen.id,
            issue_date=dt.date(2025, 1, 5),
            due_date=dt.date(2025, 2, 4),
            amount_ttc_cents=100000,
        ),
    ]
    s.add_all(invoices)
    s.flush()
    s.add(Payment(invoice_id=invoices[0].id, date=dt.date(2025, 9, 20), amount_cents=5000))
    s.add(
        Payment(
            invoice_id=invoices[0].id,
            date=dt.date(2025, 9, 21),
            amount_cents=7000,
            cancelled_on=dt.date(2025, 9, 22),
            cancel_reason="erreur",
        )
    )
    note = Action(client_id=other.id, date=dt.date(2025, 10, 1), kind="letter")
    plan = PaymentPlan(client_id=lumen.id, agreed_on=dt.date(2025, 10, 2))
    s.add_all([note, plan])
    s.flush()
    s.add(ActionInvoice(action_id=note.id, invoice_id=invoices[3].id))
    s.add(PlanInvoice(plan_id=plan.id, invoice_id=invoices[1].id))


# --- the sample files ---------------------------------------------------------------------------

SAMPLES = sorted(p.name for p in DATA.glob("*.csv"))


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize(
    ("skip_invalid", "replace_conflicts"), [(False, False), (True, False), (True, True)]
)
@pytest.mark.parametrize("setup", [None, existing_ledger], ids=["empty", "filled"])
def test_sample_files_import_identically(name, skip_invalid, replace_conflicts, setup) -> None:
    parsed = parse_file(DATA / name)
    report = assert_same(
        parsed,
        LATE_AS_OF,
        setup,
        skip_invalid=skip_invalid,
        replace_conflicts=replace_conflicts,
        then=parsed,  # the same file again: nothing new, every invoice unchanged
    )
    assert report["rows"] > 0


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_files_dry_run_reports_identically_and_writes_nothing(name) -> None:
    parsed = parse_file(DATA / name)
    report = assert_same(parsed, LATE_AS_OF, existing_ledger, skip_invalid=True, dry_run=True)
    assert report["rows"] > 0


def test_sample_files_one_after_another_into_a_filled_ledger() -> None:
    files = [parse_file(DATA / name) for name in SAMPLES]
    with twin_ledgers(existing_ledger) as (old, new):
        for parsed in files:
            for replace in (False, True):
                old_report = legacy_import(old, parsed, LATE_AS_OF, True, replace)
                new_report = new_import(new, parsed, LATE_AS_OF, True, replace)
                assert canonical(new_report) == canonical(old_report)
                assert dump(new) == dump(old)
        assert dump(new)["invoice"]


def test_dates_after_the_import_date_refuse_the_same_lines() -> None:
    parsed = parse_file(DATA / "suivi-factures.csv")
    report = assert_same(parsed, dt.date(2025, 10, 1), existing_ledger)
    assert report["errors"]  # some invoices are dated after 1 October 2025
    assert report["invoices_created"] == 0


# --- generated files -----------------------------------------------------------------------------


def pool(valid: list[str], invalid: list[str]) -> list[str]:
    """Values to draw a cell from: the valid ones six times as likely as the refused ones."""
    return valid * 6 + invalid


CLIENTS = ["Studio Kasba", "studio  KASBA", "Agence Lumen", "Garage Morel", "Hélène Durand", " "]
NUMBERS = ["F-1", "f-1 ", "F-2", "F-3", "G-7", "FA-2025-0001", "fa-2025-0002", "FA-2025-0003"]
NUMBERS += ["FA-2025-0004", "T-1", "F-101", "", "TOTAL"]
ISSUES = pool(["01/01/2025", "15/02/2025", "2025-03-10"], ["20/03/2025", "32/01/2025", ""])
DUES = pool(["", "31/01/2025", "15/03/2025", "30/06/2025"], ["01/12/2024", "x"])
AMOUNTS = pool(["100,00", "1 200,50", "0,00", "9,99", "50", "6 271,76"], ["-5", "abc", ""])
HTS = pool(["", "", "80,00", "0,00"], ["2 000,00"])
PAID = pool(["", "oui", "non"], ["peut-être"])
PAID_AMOUNTS = pool(["", "50,00", "100,00", "0"], ["2 000,00"])
PAY_DATES = pool(["", "05/03/2025", "10/01/2025"], ["20/03/2025"])
KINDS = pool(["", "pro", "particulier"], ["alien"])
EMAILS = pool(["", "a@b.fr"], ["pas-une-adresse"])
POSTAL = pool(["", "75001"], ["123"])
OPTIONAL = {
    "Échéance": DUES,
    "Montant HT": HTS,
    "Payé": PAID,
    "Montant payé": PAID_AMOUNTS,
    "Date de paiement": PAY_DATES,
    "Type": KINDS,
    "E-mail": EMAILS,
    "Code postal": POSTAL,
    "Ville": ["", "Lyon"],
    "Objet": ["", "Travaux"],
}


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    """A spreadsheet of 0 to 25 rows drawn from small pools: duplicates and errors are common."""
    optional = draw(st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True))
    header = ["Client", "N° facture", "Date facture", "Montant TTC", *optional]
    pools = [CLIENTS, NUMBERS, ISSUES, AMOUNTS, *(OPTIONAL[h] for h in optional)]
    rows = draw(
        st.lists(st.tuples(*(st.sampled_from(pool) for pool in pools)), min_size=1, max_size=25)
    )
    return "\n".join(";".join(r) for r in [header, *rows]) + "\n"


@st.composite
def ledgers(draw: st.DrawFn) -> Setup:
    """What the ledger holds before the import: clients, invoices, payments, history links."""
    names = draw(st.lists(st.sampled_from(CLIENTS[:-1]), unique=True, max_size=4))
    invoices = draw(
        st.lists(
            st.tuples(
                st.sampled_from([n for n in NUMBERS if n.strip() and n != "TOTAL"]),
                st.integers(0, max(len(names) - 1, 0)),
                st.sampled_from([999, 10000, 120050, 627176]),
                st.sampled_from([0, 1000, 200000]),
                st.sampled_from([dt.date(2025, 1, 31), dt.date(2025, 4, 30)]),
                st.lists(st.tuples(st.sampled_from([500, 5000, 10000]), st.booleans()), max_size=3),
                st.booleans(),
                st.booleans(),
            ),
            unique_by=lambda t: t[0],
            max_size=8 if names else 0,
        )
    )

    def setup(s: Session) -> None:
        clients = [Client(name=n) for n in names]
        s.add_all(clients)
        s.flush()
        for number, who, cents, deposit, due, payments, linked, planned in invoices:
            inv = Invoice(
                number=number,
                client_id=clients[who].id,
                issue_date=dt.date(2025, 1, 1),
                due_date=due,
                amount_ttc_cents=cents,
                deposit_cents=min(deposit, cents),
            )
            s.add(inv)
            s.flush()
            for amount, cancelled in payments:
                s.add(
                    Payment(
                        invoice_id=inv.id,
                        date=dt.date(2025, 2, 1),
                        amount_cents=amount,
                        cancelled_on=dt.date(2025, 2, 2) if cancelled else None,
                    )
                )
            if linked:
                note = Action(client_id=inv.client_id, date=dt.date(2025, 2, 3), kind="call")
                s.add(note)
                s.flush()
                s.add(ActionInvoice(action_id=note.id, invoice_id=inv.id))
            if planned:
                plan = PaymentPlan(client_id=inv.client_id, agreed_on=dt.date(2025, 2, 4))
                s.add(plan)
                s.flush()
                s.add(PlanInvoice(plan_id=plan.id, invoice_id=inv.id))
        s.flush()

    return setup


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    text=csv_files(),
    setup=ledgers(),
    skip_invalid=st.sampled_from([True, True, False]),
    replace_conflicts=st.booleans(),
    dry_run=st.booleans(),
    second=st.one_of(st.none(), csv_files()),
)
def test_generated_files_import_identically(
    text, setup, skip_invalid, replace_conflicts, dry_run, second
) -> None:
    parsed = parse_csv_text(text)  # the header always names the four required columns
    then = parse_csv_text(second) if second is not None else None
    report = assert_same(
        parsed,
        AS_OF,
        setup,
        skip_invalid=skip_invalid,
        replace_conflicts=replace_conflicts,
        dry_run=dry_run,
        then=then,
    )
    last = then or parsed
    assert report["rows"] == len(last.rows) + len({e.row for e in last.errors})
