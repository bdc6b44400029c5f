"""French collation for names: accents, case and ligatures ignored, so "É" sorts among the E.

SQLite's NOCASE and Python's default order put "Éric" after "Zola" (code points); every list
and report sorts names with `sort_key` instead ("Dupont, Éric" < "Durand" < "Zola").
"""

from __future__ import annotations

import unicodedata

# Letters that do not decompose: written out as French dictionaries file them (œuf ~ oeuf).
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


class _Marks(dict[int, int | None]):
    """For `str.translate`: a code point -> None when it is a combining mark (dropped), else
    itself; each code point looked up in `unicodedata` once, then answered from the dict."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def sort_key(text: str) -> str:
    """The key a name sorts (and is searched) on: lower case, no accents, ligatures spelt out."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded.translate(LIGATURES)).translate(_MARKS)
