"""Spreadsheet import vocabulary: accepted column headers, yes/no words and client kinds."""

from __future__ import annotations

import re
import unicodedata

# Canonical field -> header names accepted for it (docs/import.md lists them for users).
# Matching ignores case, accents, punctuation, "N°"/"Numéro"/"No" spellings and the small words
# "de", "du", "d'", "la", "le", "l'", "des", "en", "euros": "Date de facture" == "date facture".
# Only whole-header matches count, never a substring, so "Date règlement prévu" (due date) is
# never mistaken for "Date de règlement" (payment date).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "client": ("Client", "Nom client", "Nom du client", "Raison sociale", "Customer",
               "Customer name"),
    "number": ("N° facture", "Numéro de facture", "Numero facture", "N° de facture", "Facture",
               "Référence", "Réf. facture", "Invoice", "Invoice number", "Invoice no"),
    "issue_date": ("Date facture", "Date de facture", "Date d'émission", "Date", "Invoice date"),
    "due_date": ("Échéance", "Date d'échéance", "Date règlement prévu", "Date règlement prévue",
                 "Date de règlement prévue", "Date de paiement prévue", "Date limite de paiement",
                 "Due date"),
    "amount_ttc": ("Montant TTC", "Montant dû TTC", "Total TTC", "Montant", "Amount",
                   "Amount due"),
    "amount_ht": ("Montant HT", "Total HT"),
    "paid": ("Payé", "Payée", "Payé oui ou non", "Payé oui/non", "Réglé", "Réglée",
             "Réglé oui ou non", "Réglé oui/non", "Paid"),
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
    text = text.replace("°", "o").replace("º", "o")
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
        ("non", "n", "no", "0", "faux", "false", "impaye", "impayee", "non paye", "non payee",
         "non regle", "non reglee"),
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
