"""Spreadsheet import, file half: bytes on disk -> CSV text or the first sheet's cells.

Workbooks (.xlsx, .xlsb, .xls, .ods) are read by python-calamine, one Rust reader for all
four. Each file Relance cannot read gets its own French sentence naming it and saying what to
do (a PDF or image renamed, a Word document, a password-protected or damaged workbook, an
unknown text encoding). Nothing here knows about columns: models/importing/read.py does.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from models.errors import InputError
from models.files import read_bytes
from models.importing.headers import Cell

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # never in a text file, always in binary
_OLE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: old Office, or an encrypted workbook
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream name an encrypted package has
_XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))  # Excel 97 / 5
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_REDO_XLSX = (
    "rouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau au format .xlsx, "
    "puis réessayez"
)
_PROTECTED = (
    "ce classeur est protégé par un mot de passe et Relance ne peut pas le lire ; ouvrez-le "
    "dans Excel ou LibreOffice, enregistrez-en une copie sans mot de passe, puis importez "
    "cette copie"
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "un document PDF"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"{\\rtf", "un document RTF"),
)
# The workbook formats read, by the suffix users know them by.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass(frozen=True)
class Source:
    """A readable file: CSV text (and how it was decoded) or the first sheet's rows."""

    name: str
    text: str  # CSV text; "" for a workbook
    encoding: str  # "utf-8-sig", "utf-8", "utf-16...", "cp1252"; a workbook: "xlsx", "ods"...
    records: list[tuple[Cell, ...]] | None = None  # a workbook's first sheet


def open_source(path: Path) -> Source:
    """Read a CSV (UTF-8, UTF-16 or cp1252) or a workbook (.xlsx, .xlsb, .xls, .ods) file.

    InputError (French, naming the file) if it cannot be read.
    """
    path = Path(path)
    name = path.name
    data = read_bytes(path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} : ce fichier est {what}, pas un tableau CSV ou XLSX")
    if data.startswith(_OLE):
        kind = _ole_kind(data, name)
        return Source(name, "", kind, _workbook_records(path, name, kind))
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path, name)
        return Source(name, "", kind, _workbook_records(path, name, kind))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        suffix = path.suffix.lower()
        maker = "LibreOffice" if suffix == ".ods" else "Excel"
        raise InputError(f"{name} : ce n'est pas un vrai classeur {maker} {suffix}")
    text, encoding = _decode(data, name)
    return Source(name, text, encoding)


def _ole_kind(data: bytes, name: str) -> str:
    """'xls' for an Excel 97-2003 workbook; InputError for anything else in an OLE file."""
    if _ENCRYPTED in data:
        # Excel saves a workbook with a password as an encrypted package inside an OLE file.
        raise InputError(f"{name} : {_PROTECTED}")
    if any(stream in data for stream in _XLS_STREAMS):
        return "xls"
    if _WORD_STREAM in data:
        raise InputError(f"{name} : ce fichier est un document Word, pas un tableau")
    raise InputError(
        f"{name} : ce fichier est un ancien document Office qui n'est pas un classeur ; "
        "enregistrez le tableau au format .xlsx ou .ods"
    )


def _workbook_records(path: Path, name: str, kind: str) -> list[tuple[Cell, ...]]:
    """The first sheet of a workbook, its cached values (not formulas), blank cells as None."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_path(str(path))
        try:
            rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        finally:
            book.close()
    except PasswordError:
        raise InputError(f"{name} : {_PROTECTED}") from None
    except Exception as exc:  # calamine raises its own errors, ValueError... on a damaged book
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise InputError(f"{name} : {_PROTECTED}") from None
        raise InputError(
            f"{name} : classeur {_KIND_NAMES[kind]} endommagé ; {_REDO_XLSX}"
        ) from None
    return [tuple(None if cell == "" else cell for cell in row) for row in rows]


_KIND_NAMES = {"xlsx": "Excel", "xlsb": "Excel", "xls": "Excel", "ods": "LibreOffice"}


def _zip_kind(path: Path, name: str) -> str:
    """'xlsx', 'xlsb' or 'ods' from the zip's contents; InputError (what it is, what to do)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            damaged = archive.testzip() is not None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        names, damaged = set(), True
    if damaged:
        raise InputError(
            f"{name} : classeur endommagé ou incomplet (copie interrompue ?) ; {_REDO_XLSX}"
        )
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    mimetype = _member(path, "mimetype") if "mimetype" in names else ""
    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        what = "un document texte LibreOffice, pas un tableau"
    elif "word/document.xml" in names:
        what = "un document Word, pas un tableau"
    elif "ppt/presentation.xml" in names:
        what = "une présentation PowerPoint, pas un tableau"
    else:
        what = "une archive zip, pas un tableau"
    raise InputError(
        f"{name} : classeur illisible (formats acceptés : .xlsx, .xls, .xlsb, .ods, .csv) : "
        f"c'est {what}"
    )


def _member(path: Path, member: str) -> str:
    """A small text member of a zip (an OpenDocument's `mimetype`), '' if unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(member)[:200].decode("ascii", errors="replace").strip()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return ""


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode a CSV file: UTF-16 (BOM or not), else UTF-8 (BOM optional), else cp1252."""
    unexpected = (
        f"{name} : encodage des caractères non reconnu ; enregistrez le fichier au format "
        "« CSV UTF-8 » (Excel : Enregistrer sous, CSV UTF-8 ; LibreOffice : jeu de caractères "
        "Unicode UTF-8) puis réessayez"
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif (utf16 := _utf16_without_bom(data)) is not None:
        try:
            text, encoding = data.decode(utf16), utf16
        except UnicodeDecodeError:
            raise InputError(unexpected) from None
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise InputError(unexpected) from None
    if _CONTROL.search(text.rstrip("\x1a")):  # Ctrl-Z: end-of-file mark of old DOS tools
        raise InputError(f"{name} : contenu binaire, ce n'est pas un fichier CSV ou XLSX")
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when text looks like it (a zero byte beside each letter)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.9 * half and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > 0.9 * half and odd_zeros == 0:
        return "utf-16-be"
    return None
