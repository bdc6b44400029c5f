"""The e-mail tests' fixtures: a real SMTP server, a certificate, a keyring, a ledger."""

from tests.mail_server import certificate, mail_ledger, memory_keyring, smtp_server

__all__ = ["certificate", "mail_ledger", "memory_keyring", "smtp_server"]
