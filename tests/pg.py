"""A real throw-away PostgreSQL server for the tests: initdb + pg_ctl on a free local port.

Session-scoped (one cluster for the whole run, stopped at the end); each test gets a fresh
database cloned from a migrated template. The server binaries come from Debian's `postgresql`
package (`./relance test` installs it); without them the tests FAIL with a message saying so:
a missing server must never pass for a green suite.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from models.store.ledger import Ledger

SUPERUSER = "relance_test"
# A role that must give its password (scram-sha-256) even on the test server: the error tests.
PASSWORD_ROLE, PASSWORD = "relance_mdp", "mot-de-passe-Très-secret"
TEMPLATE = "relance_template"
MISSING = (
    "serveur PostgreSQL introuvable (initdb/pg_ctl sous /usr/lib/postgresql/*/bin) : "
    "installez le paquet Debian « postgresql » (./relance test le fait) ; "
    "les tests des deux moteurs ne peuvent pas être sautés"
)


def server_bin() -> Path | None:
    """The folder of the newest installed PostgreSQL server binaries, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """One running cluster: its folder, port, and how to run its programs."""

    bin: Path
    root: Path
    port: int
    _user: str | None = None  # the system account that owns the cluster (initdb refuses root)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a server program as the cluster's owner."""
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._user:
            cmd = ["runuser", "-u", self._user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def url(self, dbname: str, user: str = SUPERUSER, password: str | None = None) -> str:
        """The URL a user types for `--db` (no password unless given)."""
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run SQL as the superuser through psycopg; the rows as text, one per line."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True
        ) as conn:
            cur = conn.execute(sql)  # type: ignore[call-overload]
            if cur.description is None:
                return ""
            return "\n".join("|".join(str(v) for v in row) for row in cur.fetchall())

    def start(self) -> None:
        """Start the cluster (again, after a test stopped it) and wait until it answers."""
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c full_page_writes=off",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the cluster (`immediate`: as if the server crashed)."""
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def running(self) -> bool:
        return self.run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def new_database(self, template: str = TEMPLATE) -> str:
        """A fresh database copied from `template` (the migrated empty ledger); its name."""
        name = f"t{os.getpid()}_{next(self._ids)}"
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a test's database, closing whatever connection is left on it."""
        if self.running():
            self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(root: Path) -> PgServer:
    """Make and start a cluster in `root` (owned by the `postgres` account when run as root)."""
    binaries = server_bin()
    if binaries is None:
        pytest.fail(MISSING, pytrace=False)
    user = None
    if os.geteuid() == 0:
        user = _unprivileged_account()
        os.chown(root, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    server = PgServer(binaries, root, free_port(), user)
    server.run(
        "initdb",
        "-D",
        str(server.data),
        "-U",
        SUPERUSER,
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "-A",
        "trust",
    )
    # The password role must authenticate; everyone else is trusted (a throw-away local server).
    hba = server.data / "pg_hba.conf"
    hba.write_text(
        f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n",
        encoding="utf-8",
    )
    server.start()
    server.psql(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
    server.psql(f'CREATE DATABASE "{TEMPLATE}"')
    _migrate_template(server)
    return server


def _unprivileged_account() -> str:
    """The `postgres` account the Debian package makes, else `nobody`."""
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.fail("aucun compte système sans privilèges pour lancer PostgreSQL", pytrace=False)


def _migrate_template(server: PgServer) -> None:
    """Create the Relance schema once in the template: each test's database starts migrated."""
    ledger = Ledger.open(server.url(TEMPLATE))
    ledger.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (started on first use, stopped at the end)."""
    root = Path(tempfile.mkdtemp(prefix="relance-pg-"))
    os.chmod(root, 0o755)
    server = start_server(root)
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh, migrated, empty PostgreSQL ledger for one test."""
    if not pg_server.running():
        pg_server.start()
    name = pg_server.new_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh EMPTY PostgreSQL database (no table): a `migrate-to` target."""
    if not pg_server.running():
        pg_server.start()
    name = pg_server.new_database("template0")
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_any(request: pytest.FixtureRequest) -> Iterator[Ledger]:
    """An empty ledger on each engine in turn: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        tmp: Path = request.getfixturevalue("tmp_path")
        led = Ledger.open(str(tmp / "relance.sqlite"))
    else:
        led = Ledger.open(request.getfixturevalue("pg_url"))
    yield led
    led.close()


@pytest.fixture(name="ledger", params=["sqlite", "postgresql"])
def ledger_both(request: pytest.FixtureRequest) -> Iterator[Ledger]:
    """`ledger` on both engines: a test module imports this to run all its tests on each."""
    if request.param == "sqlite":
        led = Ledger.open("sqlite://")
    else:
        led = Ledger.open(request.getfixturevalue("pg_url"))
    yield led
    led.close()
