"""A letter followed by copies of earlier documents (a formal notice and its enclosures).

The copies are appended page by page with pypdf; a copy that cannot be read (damaged,
protected by a password) is refused by name, and nothing is produced half-made.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from models.errors import InputError


def with_copies(letter_pdf: bytes, copies: Sequence[tuple[str, Path]]) -> bytes:
    """The letter, then each copy's pages, with a bookmark per copy (its caption)."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(letter_pdf)))
    for caption, path in copies:
        first = len(writer.pages)
        try:
            reader = PdfReader(path)
            encrypted = reader.is_encrypted
            pages = [] if encrypted else list(reader.pages)
        except (OSError, PdfReadError, ValueError) as exc:
            raise InputError(
                f"{path.name} : copie illisible ({exc.__class__.__name__}) ; vérifiez le fichier "
                "dans le dossier des lettres"
            ) from exc
        if encrypted:
            raise InputError(
                f"{path.name} : ce PDF est protégé par un mot de passe, il ne peut pas être "
                "joint ; enregistrez-en une copie sans protection"
            )
        for page in pages:
            writer.add_page(page)
        writer.add_outline_item(title=caption, page_number=first)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
