"""Spreadsheet import vocabulary: accepted headers, and cell readers (amounts, dates, yes/no)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from models.money import CENT, parse_amount

# One spreadsheet cell: text from a CSV, or what calamine gives (a date, a float, a bool...).
Cell = str | int | float | date | time | timedelta | None

# Canonical field -> header names accepted for it (docs/import.md lists them for users).
# Matching ignores case, accents, punctuation, "N°"/"Numéro"/"No" spellings and the small words
# "de", "du", "d'", "la", "le", "l'", "des", "en", "euros": "Date de facture" == "date facture".
# Only whole-header matches count, never a substring, so "Date règlement prévu" (due date) is
# never mistaken for "Date de règlement" (payment date).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "client": (
        "Client",
        "Nom client",
        "Nom du client",
        "Raison sociale",
        "Customer",
        "Customer name",
    ),
    "number": (
        "N° facture",
        "Numéro de facture",
        "Numero facture",
        "N° de facture",
        "Facture",
        "N°",
        "Référence",
        "Réf.",
        "Réf. facture",
        "Invoice",
        "Invoice number",
        "Invoice no",
    ),
    "issue_date": ("Date facture", "Date de facture", "Date d'émission", "Date", "Invoice date"),
    "due_date": (
        "Échéance",
        "Date d'échéance",
        "Date règlement prévu",
        "Date règlement prévue",
        "Date de règlement prévue",
        "Date de paiement prévue",
        "Date limite de paiement",
        "Due date",
    ),
    "amount_ttc": ("Montant TTC", "Montant dû TTC", "Total TTC", "Montant", "Amount", "Amount due"),
    "amount_ht": ("Montant HT", "Total HT"),
    "paid": (
        "Payé",
        "Payée",
        "Payé oui ou non",
        "Payé oui/non",
        "Réglé",
        "Réglée",
        "Réglé oui ou non",
        "Réglé oui/non",
        "Paid",
    ),
    "amount_paid": ("Montant payé", "Montant réglé", "Déjà réglé", "Déjà payé", "Amount paid"),
    "payment_date": ("Date de paiement", "Date de règlement", "Date paiement", "Payment date"),
    "kind": ("Type", "Type client", "Type de client"),
    "email": ("E-mail", "Email", "Courriel", "Adresse e-mail", "Adresse mail"),
    "address": ("Adresse", "Rue"),
    "postal_code": ("Code postal", "CP"),
    "city": ("Ville", "Commune", "City"),
    "order_number": ("N° commande", "N° de commande", "Bon de commande", "Commande"),
    "subject": ("Objet", "Désignation", "Libellé"),
}

REQUIRED_FIELDS: tuple[str, ...] = ("client", "number", "issue_date", "amount_ttc")

# The name a missing required column is reported under: the first alias of each field.
FIELD_LABELS: dict[str, str] = {field: names[0] for field, names in HEADER_ALIASES.items()}

_NUMBER_WORDS = frozenset({"n", "no", "num", "numero", "nr", "nro"})
_SMALL_WORDS = frozenset({"de", "du", "d", "la", "le", "l", "des", "en", "eur", "euro", "euros"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase without accents, typographic marks or repeated spaces: 'Réglé ' -> 'regle'."""
    if text.isascii():  # no accent to take off: the same result without the slow part
        return " ".join(_NOT_WORD.sub(" ", text.lower()).split())
    text = text.replace("°", "o ").replace("º", "o ")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def header_key(header: str) -> str:
    """Return the comparison key of a column header: 'N° de facture' -> 'no facture'."""
    words = []
    for word in fold(header).split():
        if word in _NUMBER_WORDS:
            words.append("no")
        elif word not in _SMALL_WORDS:
            words.append(word)
    return " ".join(words)


def _build_index() -> dict[str, str]:
    """Map each alias key to its field; fail loudly if two fields share a key."""
    index: dict[str, str] = {}
    for field, names in HEADER_ALIASES.items():
        for name in names:
            key = header_key(name)
            if index.setdefault(key, field) != field:  # pragma: no cover - guards the table
                msg = f"alias ambigu {name!r}: {index[key]} et {field}"
                raise AssertionError(msg)
    return index


ALIAS_INDEX: dict[str, str] = _build_index()


def field_of(header: str) -> str | None:
    """Return the canonical field a header names, or None for a column Relance ignores."""
    return ALIAS_INDEX.get(header_key(header))


# Values of the "Payé" column, folded with `fold`; an empty cell means "not said".
PAID_WORDS: dict[str, bool] = {
    **dict.fromkeys(
        ("oui", "o", "yes", "y", "x", "1", "vrai", "true", "paye", "payee", "regle", "reglee"),
        True,
    ),
    **dict.fromkeys(
        (
            "non",
            "n",
            "no",
            "0",
            "faux",
            "false",
            "impaye",
            "impayee",
            "non paye",
            "non payee",
            "non regle",
            "non reglee",
        ),
        False,
    ),
}

# Values of the "Type" column, folded with `fold`: professional (b2b) or consumer (b2c).
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("pro", "professionnel", "professionnelle", "entreprise", "societe", "b2b"),
        "b2b",
    ),
    **dict.fromkeys(
        ("particulier", "particuliere", "part", "b2c", "consommateur", "consommatrice"),
        "b2c",
    ),
}

# Bounds of what an import accepts: beyond them a value is a typing slip, never an invoice, and
# would overflow the arithmetic (a 20-digit amount in cents exceeds SQLite's 64-bit integers).
MAX_AMOUNT = Decimal("999999999.99")
FIRST_YEAR, LAST_YEAR = 1990, 2100

# Words that mark a total or subtotal line, folded with `fold` (the first word of a cell).
TOTAL_WORDS = frozenset({"total", "totaux", "sous", "soustotal", "cumul", "report", "reporte"})
_TOTAL_INITIALS = frozenset(word[0] for word in TOTAL_WORDS)

# An amount in its usual spelling: digits, spaces between thousands, one or two decimals.
_PLAIN_AMOUNT = re.compile(r"(\d+(?:[ \u00a0\u202f]\d+)*)(?:[.,](\d{1,2}))?")
_SPACE = re.compile(r"[ \u00a0\u202f]")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a midnight time some exports append
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_YEAR_FIRST = re.compile(r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})" + _TIME)


def is_blank(cell: Cell) -> bool:
    """Tell whether a cell is empty or only spaces."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_text(cell: Cell) -> str:
    """Return a cell as stripped text; whole numbers lose Excel's '.0', dates become ISO."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell.time() == time():
        return cell.date().isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell).strip()


def read_client(cell: Cell) -> str:
    """Return a client name with runs of spaces collapsed."""
    return " ".join(read_text(cell).split())


def read_postal_code(cell: Cell) -> str:
    """Return a postal code; a number from Excel gets back its leading zero (1000 -> 01000)."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        return f"{int(cell):05d}"
    return read_text(cell)


def read_amount(cell: Cell) -> Decimal:
    """Return a non-negative amount in euros with two places; ValueError (French) otherwise."""
    if type(cell) is str and (plain := _PLAIN_AMOUNT.fullmatch(cell)):
        # The usual "12 030,37": what parse_amount gives it, without its general steps.
        whole, cents = plain.groups()
        if not whole.isdigit():  # spaces between thousands
            whole = _SPACE.sub("", whole)
        value = Decimal(whole + "." + cents if cents else whole)
        if value <= MAX_AMOUNT:  # never negative; a too large one is refused below
            # Two decimals written: already the cent (quantize would give it back unchanged).
            return value if cents is not None and len(cents) == 2 else value.quantize(CENT)
    if isinstance(cell, bool | date | time):
        raise ValueError(f"montant illisible : « {read_text(cell)} »")
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise ValueError(f"montant illisible : « {cell} »")
        value = Decimal(repr(cell))  # the shortest decimal that round-trips: 0.1 -> 0.1
        if value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValueError(f"montant avec plus de deux décimales : « {cell!r} »")
    elif isinstance(cell, int):
        value = Decimal(cell)
    else:
        value = parse_amount(str(cell))
    if value < 0:
        raise ValueError(f"montant négatif : « {read_text(cell)} »")
    if value > MAX_AMOUNT:  # checked before quantize: 28 digits is Decimal's precision
        raise ValueError(f"montant trop élevé : « {read_text(cell)} » (au plus 999 999 999,99 €)")
    return value.quantize(CENT)


def read_date(cell: Cell) -> date:
    """Return a date from a date cell or JJ/MM/AAAA, JJ/MM/AA, AAAA-MM-JJ, JJ-MM-AAAA, JJ.MM.AA.

    Years outside 1990-2100 are refused: 31/12/9999 or 01/01/0001 is a slip, not an invoice.
    """
    found = _read_any_date(cell)
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ValueError(
            f"date hors limites : « {read_text(cell)} » "
            f"(années {FIRST_YEAR} à {LAST_YEAR} seulement)"
        )
    return found


def _read_any_date(cell: Cell) -> date:
    """Return the date a cell holds, whatever its year; ValueError (French) otherwise."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    raw = read_text(cell)
    if match := _DAY_FIRST.fullmatch(raw):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        year += 2000 if len(match[4]) == 2 else 0
    elif match := _YEAR_FIRST.fullmatch(raw):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    else:
        raise ValueError(f"date illisible : « {raw} » (format attendu JJ/MM/AAAA)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"date impossible : « {raw} » (ce jour n'existe pas)") from None


def is_total_label(cell: Cell) -> bool:
    """Tell whether a cell reads as a total label: 'TOTAL', 'Sous-total HT', 'Total général'."""
    if not isinstance(cell, str):
        return False
    first = cell.lstrip()[:1]
    if first.isascii() and first.isalnum() and first.lower() not in _TOTAL_INITIALS:
        return False  # the usual invoice number: no total word starts with its first letter
    words = fold(cell).split()
    if not words or words[0] not in TOTAL_WORDS:
        return False
    return words[0] != "sous" or (len(words) > 1 and words[1] in {"total", "totaux"})


def read_paid(cell: Cell) -> bool:
    """Return the paid flag from oui/non, yes/no, x, 1/0, vrai/faux (a checkbox is a bool)."""
    if isinstance(cell, bool):
        return cell
    word = fold(read_text(cell))
    if word not in PAID_WORDS:
        raise ValueError(f"valeur non reconnue : « {read_text(cell)} » (attendu oui ou non)")
    return PAID_WORDS[word]


def read_kind(cell: Cell) -> str:
    """Return 'b2b' (professionnel, entreprise...) or 'b2c' (particulier, consommateur...)."""
    word = fold(read_text(cell))
    if word not in KIND_WORDS:
        raise ValueError(
            f"type de client non reconnu : « {read_text(cell)} » "
            "(attendu « professionnel » ou « particulier »)"
        )
    return KIND_WORDS[word]
