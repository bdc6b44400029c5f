"""Stored codes, without importing the tables: the parser's choices, the light read path's."""

from __future__ import annotations

# A client's kind (Client.kind): a business, or a private person (the consumer code applies).
B2B = "b2b"
B2C = "b2c"

PAYMENT_METHODS = ("transfer", "card", "cheque", "cash", "direct_debit", "other")

# What became of a message handed to the SMTP server (MailSent.status).
MAIL_PENDING = "pending"  # written before sending: if Relance stops now, the outcome is unknown
MAIL_SENT = "sent"  # the server accepted it; `action_id` is the history entry
MAIL_FAILED = "failed"  # refused or not delivered to the server: nothing went out
MAIL_STATUSES = (MAIL_PENDING, MAIL_SENT, MAIL_FAILED)

# -- corrections (issue 14) -----------------------------------------------------------------
# A payment drawn from the client's credit (trop-perçu) rather than money received that day.
CREDIT_METHOD = "credit"
# A history line that records a correction: a payment edited or cancelled, an invoice changed.
CORRECTION_KIND = "correction"

# -- bank statements (issue 19) -------------------------------------------------------------
# What became of a credit read from a bank statement (BankEntry.status).
BANK_APPLIED = "applied"  # recorded as payment(s) on invoices
BANK_TO_RECONCILE = "to_reconcile"  # waits in the "À rapprocher" list for the user's choice
BANK_NOT_OURS = "not_ours"  # the user said it pays nothing of ours
BANK_STATUSES = (BANK_APPLIED, BANK_TO_RECONCILE, BANK_NOT_OURS)
