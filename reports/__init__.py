"""Relance documents: every PDF, laid out with reportlab from plain data objects. No Qt."""
