"""Stored codes, without importing the tables: the parser's choices, the light read path's."""

from __future__ import annotations

PAYMENT_METHODS = ("transfer", "card", "cheque", "cash", "direct_debit", "other")

# What became of a message handed to the SMTP server (MailSent.status).
MAIL_PENDING = "pending"  # written before sending: if Relance stops now, the outcome is unknown
MAIL_SENT = "sent"  # the server accepted it; `action_id` is the history entry
MAIL_FAILED = "failed"  # refused or not delivered to the server: nothing went out
MAIL_STATUSES = (MAIL_PENDING, MAIL_SENT, MAIL_FAILED)
