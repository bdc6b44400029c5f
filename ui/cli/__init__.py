"""The command line's subcommands, one module per family; no Qt is imported here."""
