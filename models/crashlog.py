"""The error log: tracebacks of unexpected errors, in a rotating file in the user's data folder."""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
from pathlib import Path

import platformdirs

LOG_NAME = "relance-erreurs.log"
MAX_BYTES = 512 * 1024  # each file; the three previous ones are kept (.1, .2, .3)
KEPT = 3


def log_path() -> Path:
    """The log file, beside the default database in the user's data folder."""
    return Path(platformdirs.user_data_dir("Relance", appauthor=False)) / LOG_NAME


def write(details: str, when: dt.datetime, path: Path | None = None) -> Path | None:
    """Append one dated entry (a traceback) to the rotating log; None if it cannot be written.

    The log is the last resort of an error report: its own failure is swallowed, never raised.
    """
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=KEPT, encoding="utf-8"
        )
    except OSError:
        return None
    try:
        text = f"--- {when.isoformat(timespec='seconds')}\n{details.rstrip()}\n"
        handler.emit(logging.makeLogRecord({"msg": text, "levelno": logging.ERROR}))
    finally:
        handler.close()
    return path
