"""Watched folders: the files an invoicing tool or a bank drops there, read once each."""
