"""The spreadsheet in: reading CSV/XLSX, recognising columns, applying rows."""
