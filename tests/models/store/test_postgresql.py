"""One ledger, two engines: the same figures on SQLite and PostgreSQL, migrations on both,
moving a ledger to the server and back, and the server's failures in French (a real server,
started by tests/pg.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import main
from models.errors import InputError, StorageError
from models.store import db, transfer
from models.store.ledger import Ledger
from tests.pg import PASSWORD, PASSWORD_ROLE, PgServer

DAY = dt.date(2026, 11, 23)
REPORTS = (
    ["aged-balance", "--format", "json"],
    ["stages", "--format", "json"],
    ["todo", "--format", "json"],
)


def cli(*argv: str) -> tuple[int, str, str]:
    """Run the command line in-process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main.run(list(argv), today=DAY)
    return status, out.getvalue(), err.getvalue()


def figures(url: str) -> list[str]:
    """The aged balance, stages and to-do as JSON, and every history line, of a ledger."""
    found = []
    for cmd in REPORTS:
        status, out, err = cli("--db", url, *cmd, "--as-of", DAY.isoformat())
        assert status == 0, err
        found.append(out)
    ledger = Ledger.open(url, create=False)
    try:
        with ledger.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT a.id, a.client_id, a.date, a.kind, a.step, a.channel, a.notes,"
                " a.cancelled_on FROM action a ORDER BY a.id"
            ).all()
    finally:
        ledger.close()
    found.append("\n".join(repr(tuple(str(v) for v in r)) for r in rows))
    return found


def test_postgresql_urls_go_through_psycopg_and_never_show_a_password() -> None:
    assert db.driver_url("postgresql://u@h:5433/r") == "postgresql+psycopg://u@h:5433/r"
    assert db.driver_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
    assert db.is_server("postgresql://u@h/r")
    assert not db.is_server("sqlite:///r.sqlite")
    assert "secret" not in db.display_url("postgresql://u:secret@h/r")


def test_migrations_alone_build_the_tables_on_postgresql(pg_empty_url: str) -> None:
    from alembic import command

    engine = db.make_engine(pg_empty_url)
    cfg = db._alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()


def test_demo_ledger_gives_the_same_figures_on_both_engines(tmp_path: Path, pg_url: str) -> None:
    sqlite = str(tmp_path / "demo.sqlite")
    for url in (sqlite, pg_url):
        status, _, err = cli("--db", url, "--new", "demo", "--as-of", DAY.isoformat())
        assert status == 0, err
    on_sqlite, on_server = figures(sqlite), figures(pg_url)
    assert json.loads(on_sqlite[0])["totals"]["total"] != "0.00"
    assert on_sqlite == on_server


def test_interest_and_largest_amount_to_the_cent_on_both(ledger_any: Ledger) -> None:
    client = ledger_any.add_client("Grosse Affaire SA")
    inv = ledger_any.add_invoice(
        client, "F-1", dt.date(2025, 1, 10), Decimal("999999999.99"), dt.date(2025, 2, 9)
    )
    ledger_any.record_payment(inv, dt.date(2025, 3, 1), Decimal("0.01"))
    aged = ledger_any.aged_balance(DAY)
    assert aged.total == Decimal("999999999.98")
    status, out, err = cli(
        "--db", ledger_any.url, "interest", "F-1", "--as-of", "2025-06-30", "--format", "json"
    )
    assert status == 0, err
    assert json.loads(out)["principal"] == "999999999.98"


def test_migrate_to_and_back_gives_identical_figures(tmp_path: Path, pg_empty_url: str) -> None:
    sqlite = str(tmp_path / "demo.sqlite")
    assert cli("--db", sqlite, "--new", "demo", "--as-of", DAY.isoformat())[0] == 0
    status, _, err = cli("migrate-to", pg_empty_url, "--from", sqlite)
    assert status == 0, err
    assert "414 factures" in err
    back = tmp_path / "retour.sqlite"
    status, _, err = cli("--db", pg_empty_url, "migrate-to", "--to", str(back))
    assert status == 0, err
    before = figures(sqlite)
    assert figures(pg_empty_url) == before
    assert figures(str(back)) == before
    # A new client on the server gets a fresh id: the counters moved past the copied ids.
    ledger = Ledger.open(pg_empty_url, create=False)
    try:
        assert ledger.add_client("Nouveau client") == 44
    finally:
        ledger.close()


def test_migrate_to_refuses_a_target_that_is_not_empty(tmp_path: Path, pg_url: str) -> None:
    sqlite = str(tmp_path / "demo.sqlite")
    assert cli("--db", sqlite, "--new", "demo", "--as-of", DAY.isoformat())[0] == 0
    ledger = Ledger.open(pg_url)
    ledger.add_client("Déjà là")
    ledger.close()
    status, _, err = cli("migrate-to", pg_url, "--from", sqlite)
    assert status == 2
    assert "contient déjà un registre Relance" in err
    assert "Traceback" not in err
    ledger = Ledger.open(pg_url)
    assert [c.name for c in ledger.clients()] == ["Déjà là"]
    ledger.close()
    # A target that is not a PostgreSQL address, or no target at all: one French line.
    status, _, err = cli("migrate-to", str(tmp_path / "autre.sqlite"), "--from", sqlite)
    assert status == 2
    assert "n'est pas une adresse PostgreSQL" in err
    status, _, err = cli("migrate-to", "--from", sqlite)
    assert status == 2
    assert "indiquez la base cible" in err
    # A SQLite copy never replaces an existing file either.
    status, _, err = cli("--db", pg_url, "migrate-to", "--to", sqlite)
    assert status == 2
    assert "existe déjà" in err


def test_a_copy_that_fails_half_way_leaves_the_target_empty(
    tmp_path: Path, pg_empty_url: str, pg_server: PgServer
) -> None:
    sqlite = str(tmp_path / "demo.sqlite")
    assert cli("--db", sqlite, "--new", "demo", "--as-of", DAY.isoformat())[0] == 0
    name = pg_empty_url.rsplit("/", 1)[1]
    # A table of another program in the target: refused before anything is written.
    pg_server.psql("CREATE TABLE autre (x int)", dbname=name)
    with pytest.raises(InputError, match="n'est pas vide"):
        transfer.to_server(sqlite, pg_empty_url)
    pg_server.psql("DROP TABLE autre", dbname=name)
    # A row the copy cannot write (a trigger refuses the 100th invoice): all rolled back.
    pg_server.psql(
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.id = 100 THEN "
        "RAISE EXCEPTION 'refusée'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        dbname=name,
    )
    ledger = Ledger.open(pg_empty_url)  # the schema, so the trigger has a table
    ledger.close()
    pg_server.psql(
        "CREATE TRIGGER t BEFORE INSERT ON invoice FOR EACH ROW EXECUTE FUNCTION refuse()",
        dbname=name,
    )
    with pytest.raises(StorageError, match="rien n'a été écrit"):
        transfer.to_server(sqlite, pg_empty_url)
    assert pg_server.psql("SELECT count(*) FROM client", dbname=name) == "0"
    assert pg_server.psql("SELECT count(*) FROM invoice", dbname=name) == "0"


def test_wrong_password_is_one_french_line(pg_server: PgServer) -> None:
    url = pg_server.url("postgres", PASSWORD_ROLE, "pas-le-bon")
    status, _, err = cli("--db", url, "aged-balance")
    assert status == 2
    assert "mot de passe incorrect" in err
    assert "Traceback" not in err
    assert "pas-le-bon" not in err
    # The right one, from PGPASSWORD (libpq's convention): the password is never in the URL.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PGPASSWORD", PASSWORD)
        status, _, err = cli("--db", pg_server.url("postgres", PASSWORD_ROLE), "aged-balance")
    # The role may not create tables in `postgres`: refused in French, not a password error.
    assert "mot de passe" not in err
    assert "Traceback" not in err


def test_unreachable_server_is_one_french_line() -> None:
    from tests.pg import free_port

    status, _, err = cli("--db", f"postgresql://relance@127.0.0.1:{free_port()}/relance", "todo")
    assert status == 2
    assert "injoignable" in err
    assert "Traceback" not in err


def _half_written(ledger: Ledger, server: PgServer) -> None:
    """A write whose server goes away between its two rows."""
    from models.store.tables import Client

    with ledger._write() as s:
        s.add(Client(name="Moitié écrite", kind="b2b"))
        s.flush()
        server.stop("immediate")  # the server goes away mid-transaction
        s.add(Client(name="Jamais écrite", kind="b2b"))
        s.flush()


def test_server_stopped_mid_operation_writes_nothing(pg_url: str, pg_server: PgServer) -> None:
    ledger = Ledger.open(pg_url)
    client = ledger.add_client("Boulangerie Martin")
    with pytest.raises(StorageError) as caught:
        _half_written(ledger, pg_server)
    assert "coupée" in str(caught.value) or "injoignable" in str(caught.value)
    status, _, err = cli("--db", pg_url, "aged-balance")
    assert status == 2
    assert "injoignable" in err
    assert "Traceback" not in err
    pg_server.start()
    ledger.engine.dispose()
    assert [c.id for c in ledger.clients()] == [client]
    ledger.close()
