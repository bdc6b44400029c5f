"""Dialogs: client, contact, invoice, payment, call, policy choice."""
