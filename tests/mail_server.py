"""A real SMTP server (aiosmtpd) on 127.0.0.1, a self-signed certificate, a ledger to remind.

Shared by the e-mail tests of models/, the CLI and ui/ (their conftest imports the fixtures).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from models.store.ledger import Ledger

DAY = dt.date(2026, 11, 23)
COMPANY = {
    "name": "Menuiserie Testard",
    "street": "14 rue du Faubourg Saint-Antoine",
    "postal_code": "75011",
    "city": "Paris",
    "siret": "732 829 320 00074",
    "iban": "FR7630006000011234567890189",
    "signatory": "Hélène Testard, gérante",
}
USER, PASSWORD = "hélène", "s3cret-Très-long"


@dataclass
class Inbox:
    """What the server received: each message parsed back, with its envelope."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # each message's bytes as received

    gate: threading.Event | None = None  # when set up: each message waits until it is opened
    held: int = 0  # messages the server is holding without answering (a slow server)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.gate is not None:
            self.held += 1
            for _ in range(1000):  # at most 10 s: a test that never opens the gate fails
                if self.gate.is_set():
                    break
                await asyncio.sleep(0.01)
            self.held -= 1
        msg = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.messages.append(msg)  # type: ignore[arg-type]
        self.raw.append(envelope.original_content)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_password(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    """The server's side of AUTH: only USER / PASSWORD get in."""
    ok = isinstance(data, LoginPassword) and (
        data.login.decode() == USER and data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


@dataclass
class Server:
    """A running SMTP server: its port, its inbox, and how to stop it."""

    controller: Controller
    inbox: Inbox
    port: int
    stopped: bool = False

    def stop(self) -> None:
        """Stop listening and drop the connections (a server going down); once."""
        if not self.stopped:
            self.stopped = True
            self.controller.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (made here, valid one day)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def smtp_server():
    """Start real SMTP servers on free ports: smtp_server(auth=..., tls=(cert, key), gate=...).

    With a `gate` (threading.Event) the server holds each message without answering until the
    gate is set: a slow or stuck server, released by the test.
    """
    started: list[Server] = []

    def start(
        auth: bool = False,
        tls: tuple[Path, Path] | None = None,
        gate: threading.Event | None = None,
    ) -> Server:
        inbox = Inbox(gate=gate)
        port = free_port()
        kwargs: dict[str, Any] = {}
        if auth:
            kwargs |= {"authenticator": check_password, "auth_require_tls": tls is not None}
        if tls:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            kwargs |= {"tls_context": ctx, "require_starttls": True}
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        server = Server(controller, inbox, port)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def account(port: int, **changes: Any) -> dict[str, Any]:
    """The "email" setting for the local server (no encryption: localhost only)."""
    return {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "user": "",
        "sender": "factures@testard.fr",
        "sender_name": "Menuiserie Testard — Hélène",
        "reply_to": "compta@testard.fr",
        "timeout_s": 5,
    } | changes


def add_clients(
    ledger: Ledger, count: int, with_email: bool = True, day: dt.date = DAY
) -> list[str]:
    """`count` clients, one invoice each, at reminder 1 on `day` (due 10 days before)."""
    numbers = []
    for n in range(1, count + 1):
        c = ledger.add_client(
            f"Société n°{n} Éléments & Cie",
            email=f"compta{n}@client{n}.fr" if with_email else "",
            street="1 rue de la Paix",
            postal_code="75002",
            city="Paris",
        )
        number = f"FA-2026-{n:04d}"
        ledger.add_invoice(
            c,
            number,
            day - dt.timedelta(days=40),
            Decimal("1234.56") + n,
            day - dt.timedelta(days=10),
        )
        numbers.append(number)
    return numbers


@pytest.fixture
def mail_ledger(tmp_path: Path) -> Ledger:
    """A ledger file with the company set (letters need it)."""
    led = Ledger.open(str(tmp_path / "relance.sqlite"))
    led.set_company(COMPANY)
    yield led
    led.close()


@pytest.fixture
def memory_keyring():
    """The keyring's test stand-in: an in-memory backend, no real secret store touched."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        """Secrets kept in a dict for the test's duration."""

        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
