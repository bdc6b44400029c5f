"""What every subcommand shares: dates and money on the command line, tables out, bad input."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, Protocol, TextIO

FORMATS_TABLE = ("text", "csv", "json")


class UsageError(Exception):
    """Bad input on the command line: one line on stderr, exit status 2."""


# argparse speaks English; its messages a user meets, said in French (pattern -> wording).
_FRENCH_ERRORS = (
    (
        r"argument command: invalid choice: '(.*)' \(choose from (.*)\)",
        r"commande inconnue « \1 » (commandes : \2)",
    ),
    (
        r"argument (.*): invalid choice: '(.*)' \(choose from (.*)\)",
        r"\1 : choix invalide « \2 » (possibles : \3)",
    ),
    (r"the following arguments are required: (.*)", r"argument(s) obligatoire(s) manquant(s) : \1"),
    (r"unrecognized arguments: (.*)", r"argument(s) non reconnu(s) : \1"),
    (r"argument (.*): expected one argument", r"\1 : une valeur est attendue"),
    (r"argument (.*): invalid (.*) value: '(.*)'", r"\1 : valeur invalide « \3 »"),
    (r"argument (.*?): (.*)", r"\1 : \2"),
)
_FRENCH_HELP = (
    ("usage: ", "utilisation : "),
    ("positional arguments:", "arguments :"),
    ("options:", "options :"),
    ("show this help message and exit", "afficher cette aide et quitter"),
    ("show program's version number and exit", "afficher la version et quitter"),
)


def french_error(message: str) -> str:
    """argparse's English error, in French (the first pattern that matches the whole message)."""
    for pattern, wording in _FRENCH_ERRORS:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, wording, message, flags=re.S)
    return message


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are a UsageError (exit 2, one French line)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(french_error(message))

    def format_usage(self) -> str:
        return _french_help(super().format_usage())

    def format_help(self) -> str:
        return _french_help(super().format_help())


def _french_help(text: str) -> str:
    for english, french in _FRENCH_HELP:
        text = text.replace(english, french)
    return text


Command = Callable[[Any, argparse.Namespace], int]


class AddCommand(Protocol):
    """Declares a subcommand (name, function, help); it takes --as-of unless told otherwise."""

    def __call__(
        self, name: str, func: Command, help_: str, as_of: bool = True
    ) -> argparse.ArgumentParser: ...


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (format AAAA-MM-JJ)") from None


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def cents(cents: int) -> str:
    """Integer cents as euros with two decimals ('-1234.05'): the text of Decimal(cents) / 100,
    made with integer arithmetic (a million rows of `stages`)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"


def emit(
    rows: Iterable[dict[str, Any]], fmt: str, out: Path | None, text_cols: Sequence[str]
) -> None:
    """Write rows as JSON, CSV or an aligned text table, to a file or stdout.

    JSON is streamed: the rows may come from a generator and are never held together.
    """
    if fmt == "json":
        stream_json(rows, out)
        return
    rows = list(rows)
    if fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0]) if rows else list(text_cols)
        writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
        payload = buf.getvalue().rstrip("\n")
    else:
        table = [[str(_flat(r.get(c, ""))) for c in text_cols] for r in rows]
        widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(text_cols)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(text_cols, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)) for t in table]
        payload = "\n".join(lines)
    write(payload, out)


def stream_json(rows: Iterable[dict[str, Any]], out: Path | None) -> None:
    """A JSON array, one row a line, written as the rows come (to stdout, or a file whole).

    Each row goes through the C encoder (indent= would force the pure-Python one); lines are
    written in chunks, so a million rows never make one string.
    """
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    stream_json_lines(map(encode, rows), out)


# A string as the JSON encoder (ensure_ascii=False) writes it: the C function it calls itself.
json_str: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def json_opt(value: str | None) -> str:
    """A string or null, as the JSON encoder writes it."""
    return "null" if value is None else json_str(value)


def stream_json_lines(lines: Iterable[str], out: Path | None) -> None:
    """`stream_json` of rows already encoded, one a line (a command formats its own rows:
    no dict and no encoder call per row over a million rows)."""

    def put(fh: TextIO) -> None:
        fh.write("[")
        chunk: list[str] = []
        sep = "\n"
        for line in lines:
            chunk.append(sep + line)
            sep = ",\n"
            if len(chunk) == 2000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))
        fh.write("]\n" if sep == "\n" else "\n]\n")

    if out is None:
        put(sys.stdout)
        return
    from models.files import atomic_write

    def to_file(path: Path) -> None:
        with path.open("w", encoding="utf-8") as fh:
            put(fh)

    atomic_write(out, to_file)


def _flat(v: Any) -> Any:
    return ", ".join(v) if isinstance(v, list) else ("" if v is None else v)


def write(payload: str, out: Path | None) -> None:
    """Print, or write the file whole (a temporary file beside it, then renamed)."""
    if out is None:
        print(payload)
    else:
        from models.files import atomic_write

        atomic_write(out, (payload + "\n").encode("utf-8"))
