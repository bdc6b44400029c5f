"""Postal address lines for a window envelope, following La Poste's NF Z 10-011 layout."""

from __future__ import annotations

import re
import unicodedata

MAX_LINES = 6
MAX_CHARS = 38

# NF Z 10-011: no punctuation from line 4 (number and street) on. Hyphens stay ("SAINT-ETIENNE");
# an apostrophe becomes a space, as in La Poste's own normalised addresses ("RUE DE L EGLISE").
_PUNCTUATION = re.compile(r"[,;:!?\"«»“”„()\[\]{}]")
_PERIODS = re.compile(r"\.")  # dropped without a space: "B.P. 45" -> "BP 45"
_APOSTROPHES = re.compile(r"['’‘`´]")
_SPACES = re.compile(r"\s+")
_FRENCH_POSTCODE = re.compile(r"(\d{2})\s?(\d{3})")
# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans(
    {"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "ß": "ss", "Ł": "L", "ł": "l"}
)
_HOME_COUNTRY = {"FRANCE", "FR", "FRA", "FRANCE METROPOLITAINE"}

# La Poste's usual abbreviations, applied only to a line that would otherwise be too long.
_ABBREVIATIONS = (
    ("BOULEVARD", "BD"),
    ("AVENUE", "AV"),
    ("FAUBOURG", "FG"),
    ("IMPASSE", "IMP"),
    ("RESIDENCE", "RES"),
    ("ROUTE", "RTE"),
    ("CHEMIN", "CHE"),
    ("PLACE", "PL"),
    ("ALLEE", "ALL"),
    ("SQUARE", "SQ"),
    ("SAINTE", "STE"),
    ("SAINT", "ST"),
)


def strip_accents(text: str) -> str:
    """Remove diacritics: 'Orléans' -> 'Orleans', 'Œuvre' -> 'OEuvre'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(text: str) -> str:
    """Collapse runs of white space (tabs, newlines, no-break spaces) into single spaces."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def _unpunctuate(text: str) -> str:
    """Drop the punctuation NF Z 10-011 forbids from line 4 on; keep hyphens."""
    text = _PERIODS.sub("", _APOSTROPHES.sub(" ", text))
    return _clean(_PUNCTUATION.sub(" ", text))


def _abbreviate(line: str) -> str:
    """Shorten known street and town words, one kind at a time, until the line fits."""
    for word, short in _ABBREVIATIONS:
        if len(line) <= MAX_CHARS:
            break
        parts = re.split(r"([\s-]+)", line)  # keep the separators, hyphens included
        for i, part in enumerate(parts):
            if strip_accents(part).upper() == word:
                if part.isupper():
                    parts[i] = short
                else:
                    parts[i] = short.capitalize() if part[0].isupper() else short.lower()
        line = "".join(parts)
    return line


def _wrap(line: str) -> list[str]:
    """Split a line into lines of at most 38 characters at word boundaries (a longer word is
    split hard): a long name or street continues on the next line, it is never cut off."""
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        while len(word) > MAX_CHARS:
            if current:
                out.append(current)
                current = ""
            out.append(word[:MAX_CHARS])
            word = word[MAX_CHARS:]
        if current and len(current) + 1 + len(word) > MAX_CHARS:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    return [x.strip(" -") for x in out if x.strip(" -")]


def _town_line(postal_code: str, city: str) -> str:
    """'45000 ORLEANS': postal code, then the town in capitals without accents."""
    code = _clean(postal_code)
    french = _FRENCH_POSTCODE.fullmatch(code)
    if french:
        code = french.group(1) + french.group(2)  # "75 011" -> "75011"
    town = _clean(strip_accents(_unpunctuate(city)).upper())
    return _clean(f"{code} {town}")


def postal_lines(
    name: str,
    attention: str,
    building: str,
    street: str,
    locality: str,
    postal_code: str,
    city: str,
    country: str = "",
) -> tuple[str, ...]:
    """Address lines for a window envelope (La Poste NF Z 10-011).

    At most 6 lines of at most 38 characters, in this order: name or company; person or
    department; building; number and street; locality or BP; "POSTAL CODE TOWN" in capitals
    without accents; then the country in capitals when abroad (counted in the 6). Empty lines are
    skipped; no punctuation from the street line on; when more than 6 lines remain, the building
    line goes first, then the locality.
    """
    country_line = _clean(strip_accents(_unpunctuate(country)).upper())
    if country_line in _HOME_COUNTRY:
        country_line = ""
    candidates = [
        ("name", _clean(name)),
        ("attention", _clean(attention)),
        ("building", _clean(building)),
        ("street", _unpunctuate(street)),
        ("locality", _unpunctuate(locality)),
        ("town", _town_line(postal_code, city)),
        ("country", country_line),
    ]
    wrapped: list[tuple[str, list[str]]] = []
    for key, text in candidates:
        if key in ("street", "locality", "town"):
            text = _abbreviate(text)
        parts = _wrap(text)
        if parts:
            wrapped.append((key, parts))
    # Six lines at most: the building goes first, then the locality, then the person.
    for droppable in ("building", "locality", "attention"):
        if sum(len(parts) for _, parts in wrapped) <= MAX_LINES:
            break
        wrapped = [(key, parts) for key, parts in wrapped if key != droppable]
    # Still too many (a name of four lines): the longest of name and street loses its last line;
    # the town line, which routes the letter, always stays.
    while sum(len(parts) for _, parts in wrapped) > MAX_LINES:
        key, parts = max(
            ((k, ps) for k, ps in wrapped if k in ("name", "street")), key=lambda kp: len(kp[1])
        )
        parts.pop()
    return tuple(line for _, parts in wrapped for line in parts)
