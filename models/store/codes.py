"""Stored codes the command line offers as choices, without importing the tables (start-up)."""

from __future__ import annotations

PAYMENT_METHODS = ("transfer", "card", "cheque", "cash", "direct_debit", "other")
