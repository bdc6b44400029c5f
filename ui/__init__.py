"""Relance desktop interface (PySide6): windows, Qt item models, dialogs and wizards."""
