"""Relance domain: clients, invoices, stages, penalties, aging. Pure Python, no Qt."""
