"""Spreadsheet import, file half: bytes on disk -> CSV text or the first sheet's cells.

Each file Relance cannot read gets its own French sentence naming it and saying what to do
(a PDF or image renamed, an old .xls, a password-protected or damaged workbook, an unknown
text encoding). Nothing here knows about columns: models/importing/read.py does.
"""

from __future__ import annotations

import codecs
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from models.errors import InputError
from models.importing.headers import Cell

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # never in a text file, always in binary
_OLE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: old Office, or an encrypted workbook
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream name an encrypted package has
_REDO_XLSX = (
    "rouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau au format .xlsx, "
    "puis réessayez"
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "un document PDF"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"{\\rtf", "un document RTF"),
    (b"\xd0\xcf\x11\xe0", "un ancien fichier Office (.xls ou .doc) : enregistrez-le en .xlsx"),
)


@dataclass(frozen=True)
class Source:
    """A readable file: CSV text (and how it was decoded) or the first sheet's rows."""

    name: str
    text: str  # CSV text; "" for a workbook
    encoding: str  # "utf-8-sig", "utf-8", "utf-16...", "cp1252", or "xlsx"
    records: list[tuple[Cell, ...]] | None = None  # a workbook's first sheet


def open_source(path: Path) -> Source:
    """Read a CSV (UTF-8, UTF-16 or cp1252) or XLSX file; InputError (French) if unreadable."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name} : fichier introuvable ({path})") from None
    except IsADirectoryError:
        raise InputError(f"{name} : c'est un dossier, pas un fichier") from None
    except OSError as exc:
        raise InputError(f"{name} : lecture impossible ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{name} : fichier vide")
    if data.startswith(_OLE) and _ENCRYPTED in data:
        # Excel saves a workbook with a password as an encrypted package inside an OLE file.
        raise InputError(
            f"{name} : ce classeur est protégé par un mot de passe et Relance ne peut pas le "
            "lire ; ouvrez-le dans Excel ou LibreOffice, enregistrez-en une copie sans mot de "
            "passe, puis importez cette copie"
        )
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} : ce fichier est {what}, pas un tableau CSV ou XLSX")
    if data.startswith(b"PK\x03\x04"):
        return Source(name, "", "xlsx", _xlsx_records(path, name))
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise InputError(f"{name} : ce n'est pas un vrai classeur Excel .xlsx")
    text, encoding = _decode(data, name)
    return Source(name, text, encoding)


def _xlsx_records(path: Path, name: str) -> list[tuple[Cell, ...]]:
    """The first sheet of an Excel workbook (cached values, not formulas)."""
    import openpyxl  # imported here: only Excel files need it, and it is slow to import

    _check_workbook_zip(path, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                return list(book.worksheets[0].iter_rows(values_only=True))
            finally:
                book.close()
    except Exception:  # openpyxl raises KeyError, ValueError, XML errors... on a damaged book
        raise InputError(f"{name} : classeur Excel endommagé ; {_REDO_XLSX}") from None


def _check_workbook_zip(path: Path, name: str) -> None:
    """Refuse, with what it is and what to do, a zip that is damaged or not an Excel workbook."""
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
        return
    if "content.xml" in names:
        what = "un classeur LibreOffice (.ods) : enregistrez-le au format Excel .xlsx"
    elif "word/document.xml" in names:
        what = "un document Word, pas un tableau"
    else:
        what = "une archive zip, pas un tableau"
    raise InputError(
        f"{name} : classeur illisible (seul le format Excel .xlsx est accepté) : c'est {what}"
    )


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
