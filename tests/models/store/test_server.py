"""A shared ledger's address, its password outside the URL, and the setup script's roles."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import ProgrammingError

from models.errors import InputError, StorageError
from models.store import server
from models.store.ledger import Ledger
from models.store.server import ServerAddress
from tests.pg import PASSWORD, PASSWORD_ROLE, SUPERUSER, PgServer

ROOT = Path(__file__).resolve().parents[3]


def test_address_round_trips_through_its_url_without_a_password() -> None:
    address = ServerAddress("srv.bureau.lan", "relance", "marie", 5433, "require")
    assert address.url() == "postgresql://marie@srv.bureau.lan:5433/relance?sslmode=require"
    assert ServerAddress.from_url(address.url()) == address
    assert ServerAddress.from_url("postgresql://marie:secret@srv/relance").url() == (
        "postgresql://marie@srv:5432/relance"
    )
    assert address.key() == "marie@srv.bureau.lan:5433/relance"


def test_bad_address_is_refused_field_by_field() -> None:
    errors = server.check_address(ServerAddress("", "re lance", "ma rie", 5432, "toujours"))
    fields = [e.field for e in errors]
    assert fields == ["serveur", "base", "utilisateur", "sslmode"]
    with pytest.raises(InputError, match="serveur"):
        server.try_connection(ServerAddress(""))


def test_password_goes_beside_the_url_never_into_it(pg_url: str, pg_server: PgServer) -> None:
    name = pg_url.rsplit("/", 1)[1]
    pg_server.psql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PASSWORD_ROLE}", dbname=name)
    url = pg_server.url(name, PASSWORD_ROLE)
    with pytest.raises(StorageError, match="mot de passe"):
        Ledger.open(url, password="faux")
    ledger = Ledger.open(url, password=PASSWORD)
    assert ledger.counts()["invoices"] == 0
    assert PASSWORD not in ledger.url
    ledger.close()


def test_setup_script_gives_the_office_only_what_relance_needs(
    tmp_path: Path, pg_server: PgServer
) -> None:
    script = (ROOT / "packaging" / "postgresql-setup.sql").read_text(encoding="utf-8")
    cmd = [str(pg_server.bin / "psql"), "-h", "127.0.0.1", "-p", str(pg_server.port)]
    cmd += ["-U", SUPERUSER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
    ran = subprocess.run(cmd, input=script, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    # The owner creates the schema (first start); a member of relance_users then works in it.
    owner = f"postgresql://relance_owner@127.0.0.1:{pg_server.port}/relance"
    ledger = Ledger.open(owner, password="changez-moi-proprietaire")
    ledger.close()
    marie = Ledger.open(
        f"postgresql://marie@127.0.0.1:{pg_server.port}/relance", password="changez-moi-marie"
    )
    client = marie.add_client("Boulangerie Martin")
    inv = marie.add_invoice(client, "F-1", dt.date(2026, 1, 5), Decimal("120.00"))
    marie.record_payment(inv, dt.date(2026, 2, 1), Decimal("20.00"))
    assert marie.aged_balance(dt.date(2026, 3, 1)).total == Decimal("100.00")
    with pytest.raises(ProgrammingError, match=r"must be owner"), marie.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE payment")
    marie.close()
