"""How things are kept: engine, tables, migrations, backups, the Ledger and its facts."""
