"""Issued invoices from structured files: Factur-X / ZUGFeRD PDFs, UBL 2.1 and UN/CEFACT CII XML."""
