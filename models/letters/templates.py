"""Letter templates: plain French text with {fields} and [b2b]/[b2c] blocks, checked and filled."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from models.errors import FieldError, InputError, NotFoundError
from models.letters.kinds import LETTER_KINDS
from models.resources import resources_dir

# The format, for the template editor's help text and for anyone writing a template:
# - line 1: "Titre: ..." (required); line 2, optional: "Objet: ..."; then one blank line;
# - then paragraphs separated by blank lines; the last paragraph is the closing formula;
#   a single line break inside a paragraph is kept (rendered as "\n");
# - {field} is replaced by its value (names: FIELDS); "{{" and "}}" write a literal brace;
# - [b2b]...[/b2b] and [b2c]...[/b2c] keep their content only for a professional or a consumer
#   client; a block may hold part of a paragraph or whole paragraphs, but no other block, and
#   stays within the title, the subject or the body.
# Fields are found with our own scanner, never str.format: "{0.__class__}" is refused, not read.

RESOURCES = resources_dir()
TEMPLATES_DIR = RESOURCES / "templates"

CIVILITE_DEFAULT = "Madame, Monsieur,"

FIELDS: dict[str, str] = {
    "client": "Nom du client (société ou personne)",
    "civilite": "Formule d'appel, virgule comprise : « Madame, Monsieur, »",
    "entreprise": "Nom de votre entreprise",
    "signataire": "Nom et qualité du signataire",
    "telephone": "Votre numéro de téléphone",
    "email": "Votre adresse e-mail",
    "date_lettre": "Date du courrier en toutes lettres : « 23 novembre 2026 »",
    "nb_factures": "Nombre de factures concernées : « 2 »",
    "liste_factures": "Numéros des factures : « n° FA-1, FA-2 »",
    "factures": "Les factures avec leur article : « notre facture n° FA-1 », "
    "« nos factures n° FA-1 et FA-2 »",
    "date_facture": "Date de la facture la plus ancienne",
    "date_echeance": "Date d'échéance (la plus ancienne s'il y a plusieurs factures)",
    "jours_retard": "Jours de retard depuis l'échéance la plus ancienne : « 32 »",
    "echeances": "« attendu pour le 15 octobre 2026 », ou pour plusieurs échéances "
    "« attendu aux échéances rappelées dans le tableau ci-dessous »",
    "retard": "« un retard de 39 jours », ou pour plusieurs factures « des retards de 12 à 39 "
    "jours selon les factures »",
    "montant_principal": "Principal restant dû TTC : « 1 234,56 € »",
    "penalites": "Pénalités de retard à ce jour (professionnel) ; pour un particulier, "
    "intérêts au taux légal depuis la mise en demeure",
    "taux_penalites": "Taux appliqué, lu après « au taux de » : « 12,15 % l'an (taux BCE "
    "+ 10 points) » (professionnel) ou le taux légal (particulier)",
    "indemnite": "Indemnité forfaitaire pour frais de recouvrement, 40 € par facture "
    "(professionnel seulement)",
    "total_du": "Total réclamé par le courrier (pour un professionnel : principal, pénalités "
    "et indemnité)",
    "couverture_echeancier": "Ce que couvre l'échéancier (principal, pénalités, indemnité) ou "
    "l'abandon des pénalités s'il est respecté",
    "relances_precedentes": "Ce qui a précédé, selon l'historique : « Malgré nos relances "
    "restées sans effet », « Malgré notre mise en demeure du 15 juillet 2026, restée sans "
    "effet » ou « Sauf erreur de notre part »",
    "interets_legaux": "Pour un particulier : depuis quand les intérêts au taux légal courent "
    "(mise en demeure au dossier, la présente, ou aucune encore)",
    "delai_jours": "Délai de paiement accordé, en jours : « 8 »",
    "date_limite": "Date limite de paiement : « 1er décembre 2026 »",
    "iban": "IBAN de votre compte",
    "bic": "BIC de votre banque",
    "reference_paiement": "Référence à rappeler avec le paiement",
    "nb_echeances": "Nombre d'échéances de l'échéancier : « 3 »",
    "montant_echeance": "Montant d'une échéance (la dernière peut différer de quelques centimes)",
    "premiere_echeance": "Date de la première échéance",
    "derniere_echeance": "Date de la dernière échéance",
    "date_promesse": "Date de paiement promise au téléphone (e-mail de promesse seulement)",
    "montant_promis": "Montant promis au téléphone (e-mail de promesse seulement)",
}

_NBSP = "\u00a0"

# Plausible values for every field: the template editor's preview, and the tests.
SAMPLE_VALUES: dict[str, str] = {
    "client": "Boulangerie Martin",
    "civilite": CIVILITE_DEFAULT,
    "entreprise": "Atelier Durand",
    "signataire": "Claire Durand, gérante",
    "telephone": "01 23 45 67 89",
    "email": "contact@atelier-durand.fr",
    "date_lettre": "23 novembre 2026",
    "nb_factures": "2",
    "liste_factures": f"n°{_NBSP}FA-2026-014, FA-2026-019",
    "factures": f"nos factures n°{_NBSP}FA-2026-014 et FA-2026-019",
    "date_facture": "15 septembre 2026",
    "date_echeance": "15 octobre 2026",
    "jours_retard": "39",
    "echeances": "attendu aux échéances rappelées dans le tableau ci-dessous",
    "retard": "des retards de 12 à 39 jours selon les factures",
    "montant_principal": f"1{_NBSP}234,56{_NBSP}€",
    "penalites": f"17,23{_NBSP}€",
    "taux_penalites": f"12,15{_NBSP}% l'an (taux BCE + 10 points)",
    "indemnite": f"80,00{_NBSP}€",
    "total_du": f"1{_NBSP}331,79{_NBSP}€",
    "couverture_echeancier": "Cette somme correspond au principal restant dû "
    f"(1{_NBSP}234,56{_NBSP}€).",
    "relances_precedentes": "Malgré nos relances restées sans effet",
    "interets_legaux": "Conformément aux articles 1231-6 et 1344-1 du Code civil, cette somme "
    "produira des intérêts au taux légal à compter de la présente mise en demeure.",
    "delai_jours": "8",
    "date_limite": "1er décembre 2026",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": "AGRIFRPPXXX",
    "reference_paiement": "FA-2026-014",
    "nb_echeances": "3",
    "montant_echeance": f"411,52{_NBSP}€",
    "premiere_echeance": "5 décembre 2026",
    "derniere_echeance": "5 février 2027",
    "date_promesse": "30 novembre 2026",
    "montant_promis": f"1{_NBSP}234,56{_NBSP}€",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}|\[(/?)((?i:b2[bc]))\]|[{}]")
_BAD_FIELD = re.compile(r"\{[^{}\n]{0,60}\}")
_TITLE = re.compile(r"\s*titre\s*:(.*)", re.IGNORECASE)
_SUBJECT = re.compile(r"\s*objet\s*:(.*)", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_STOP = re.compile(r" (?=[,.])")
_SLOT = re.compile("\x00(\\d+)\x00")


@dataclass(frozen=True)
class RenderedLetter:
    """A filled template: title, subject ("" when none), body paragraphs and closing formula."""

    title: str
    subject: str
    paragraphs: tuple[str, ...]
    closing: str


@dataclass(frozen=True)
class _Token:
    """A piece of template: literal text, a field name, or a block tag (value 'b2b'/'b2c')."""

    kind: Literal["text", "field", "open", "close"]
    value: str
    line: int


@dataclass(frozen=True)
class _Parsed:
    """A template split into its title, subject and body tokens, with the errors found."""

    title: tuple[_Token, ...]
    subject: tuple[_Token, ...]
    body: tuple[_Token, ...]
    errors: tuple[FieldError, ...]


def template_path(kind: str) -> Path:
    """Return the path of the default template for a letter kind (one of LETTER_KINDS)."""
    if kind not in LETTER_KINDS:
        raise NotFoundError(
            [FieldError("kind", f"type de lettre inconnu : « {kind} » ({', '.join(LETTER_KINDS)})")]
        )
    return TEMPLATES_DIR / f"{kind}.txt"


def load_default(kind: str) -> str:
    """Return the default template text shipped for a letter kind."""
    return template_path(kind).read_text(encoding="utf-8")


def fields_in(text: str, b2c: bool | None = None) -> set[str]:
    """Return the field names used in `text`; with `b2c` set, only those kept for that client."""
    parsed = _parse(text)
    found: set[str] = set()
    for segment in (parsed.title, parsed.subject, parsed.body):
        tokens = segment if b2c is None else _keep(segment, b2c)
        found.update(t.value for t in tokens if t.kind == "field")
    return found


def validate(text: str) -> list[FieldError]:
    """Return what is wrong with a template (empty when it can be rendered); `row` is the line."""
    return list(_parse(text).errors)


def render(text: str, values: Mapping[str, str], b2c: bool) -> RenderedLetter:
    """Fill a template for a professional (`b2c` False) or a consumer client.

    Values are inserted literally (never read as fields or blocks). Raises InputError when the
    template is invalid or a field it uses for this client has no value (missing or blank).
    """
    parsed = _parse(text)
    if parsed.errors:
        raise InputError(list(parsed.errors))
    title_tokens = _keep(parsed.title, b2c)
    subject_tokens = _keep(parsed.subject, b2c)
    body_tokens = _keep(parsed.body, b2c)
    used: dict[str, int] = {}
    for token in (*title_tokens, *subject_tokens, *body_tokens):
        if token.kind == "field":
            used.setdefault(token.value, token.line)
    missing = [
        FieldError("{" + name + "}", "aucune valeur fournie pour ce champ", row=line)
        for name, line in used.items()
        if not (values.get(name) or "").strip()
    ]
    if missing:
        raise InputError(missing)
    title = " ".join(_fill(title_tokens, values))
    subject = " ".join(_fill(subject_tokens, values))
    paragraphs = _fill(body_tokens, values)
    client = "un particulier" if b2c else "un professionnel"
    if not title:
        raise InputError([FieldError("Titre", f"le titre est vide pour {client}", row=1)])
    if not paragraphs:
        raise InputError([FieldError("texte", f"aucun paragraphe à imprimer pour {client}")])
    return RenderedLetter(title, subject, tuple(paragraphs[:-1]), paragraphs[-1])


def format_invoice_list(numbers: Sequence[str]) -> str:
    """Return the {liste_factures} value: 'n° FA-1, FA-2' (no-break space after n°)."""
    return f"n°{_NBSP}" + ", ".join(numbers) if numbers else ""


def format_invoices_phrase(numbers: Sequence[str]) -> str:
    """Return the {factures} value: 'notre facture n° FA-1' or 'nos factures n° FA-1 et FA-2'."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"notre facture n°{_NBSP}{numbers[0]}"
    listed = ", ".join(numbers[:-1]) + " et " + numbers[-1]
    return f"nos factures n°{_NBSP}{listed}"


def _parse(text: str) -> _Parsed:
    """Split a template into header and body, scan each part, and check the whole."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    errors: list[FieldError] = []
    title: list[_Token] = []
    subject: list[_Token] = []
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title_match = _TITLE.fullmatch(lines[i]) if i < len(lines) else None
    if title_match is None:
        errors.append(FieldError("Titre", "la première ligne doit être « Titre: … »", row=i + 1))
    else:
        if not title_match.group(1).strip():
            errors.append(FieldError("Titre", "le titre est vide", row=i + 1))
        title = _scan(title_match.group(1), i + 1, errors)
        i += 1
        subject_match = _SUBJECT.fullmatch(lines[i]) if i < len(lines) else None
        if subject_match is not None:
            subject = _scan(subject_match.group(1), i + 1, errors)
            i += 1
        if i < len(lines) and lines[i].strip():
            errors.append(
                FieldError("Titre", "une ligne vide doit suivre la ligne Titre ou Objet", row=i + 1)
            )
    body_text = "\n".join(lines[i:])
    if not body_text.strip():
        errors.append(FieldError("texte", "le modèle ne contient aucun paragraphe"))
    body = _scan(body_text, i + 1, errors)
    for segment in (title, subject, body):
        _check_blocks(segment, errors)
    _check_names((*title, *subject, *body), errors)
    errors.sort(key=lambda e: e.row or 0)
    return _Parsed(tuple(title), tuple(subject), tuple(body), tuple(errors))


def _scan(segment: str, first_line: int, errors: list[FieldError]) -> list[_Token]:
    """Cut one part of a template into tokens; brace mistakes go to `errors`."""
    tokens: list[_Token] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            tokens.append(_Token("text", "".join(text), 0))
            text.clear()

    pos = 0
    while (match := _TOKEN.search(segment, pos)) is not None:
        text.append(segment[pos : match.start()])
        pos = match.end()
        line = first_line + segment.count("\n", 0, match.start())
        piece = match.group(0)
        if piece in ("{{", "}}"):
            text.append(piece[0])
        elif match.group(1) is not None:
            flush()
            tokens.append(_Token("field", match.group(1), line))
        elif match.group(3) is not None:
            flush()
            kind: Literal["open", "close"] = "close" if match.group(2) else "open"
            tokens.append(_Token(kind, match.group(3).lower(), line))
        elif piece == "{":
            bad = _BAD_FIELD.match(segment, match.start())
            if bad is not None:
                errors.append(FieldError(bad.group(0), _bad_name_message(bad.group(0)), row=line))
                pos = bad.end()
            else:
                message = "accolade ouvrante sans accolade fermante (accolade seule : {{)"
                errors.append(FieldError("{", message, row=line))
        else:
            errors.append(
                FieldError("}", "accolade fermante isolée (accolade seule : }})", row=line)
            )
    text.append(segment[pos:])
    flush()
    return tokens


def _bad_name_message(braced: str) -> str:
    """Explain why '{...}' is not a field name, suggesting the lower-case name when it exists."""
    lower = braced[1:-1].strip().lower()
    if lower in FIELDS:
        return f"nom de champ mal écrit : écrire {{{lower}}}"
    return "nom de champ invalide (lettres minuscules et _ ; accolade seule : {{ ou }})"


def _check_blocks(tokens: Iterable[_Token], errors: list[FieldError]) -> None:
    """Report [b2b]/[b2c] blocks that are nested, unopened or left open."""
    current: _Token | None = None
    for token in tokens:
        if token.kind == "open":
            if current is not None:
                message = (
                    f"bloc ouvert dans le bloc [{current.value}] : les blocs ne s'imbriquent pas"
                )
                errors.append(FieldError(f"[{token.value}]", message, row=token.line))
            else:
                current = token
        elif token.kind == "close":
            if current is None or current.value != token.value:
                message = f"[/{token.value}] sans [{token.value}] ouvrant"
                errors.append(FieldError(f"[/{token.value}]", message, row=token.line))
            else:
                current = None
    if current is not None:
        message = f"bloc jamais fermé : [/{current.value}] manquant"
        errors.append(FieldError(f"[{current.value}]", message, row=current.line))


def _check_names(tokens: Iterable[_Token], errors: list[FieldError]) -> None:
    """Report each unknown field name once, at its first line, with one suggestion at most."""
    seen: set[str] = set()
    for token in tokens:
        if token.kind != "field" or token.value in FIELDS or token.value in seen:
            continue
        seen.add(token.value)
        close = difflib.get_close_matches(token.value, FIELDS, n=1, cutoff=0.75)
        hint = f" (vouliez-vous écrire {{{close[0]}}} ?)" if close else ""
        errors.append(FieldError("{" + token.value + "}", "champ inconnu" + hint, row=token.line))


def _keep(tokens: Iterable[_Token], b2c: bool) -> list[_Token]:
    """Return the tokens kept for one kind of client, block tags removed."""
    wanted = "b2c" if b2c else "b2b"
    kept: list[_Token] = []
    block: str | None = None
    for token in tokens:
        if token.kind == "open":
            block = token.value
        elif token.kind == "close":
            block = None
        elif block is None or block == wanted:
            kept.append(token)
    return kept


def _fill(tokens: Sequence[_Token], values: Mapping[str, str]) -> list[str]:
    """Join tokens into tidy non-empty paragraphs, then put the values in, literally."""
    slots: list[str] = []
    parts: list[str] = []
    for token in tokens:
        if token.kind == "field":
            parts.append(f"\x00{len(slots)}\x00")
            slots.append(values[token.value])
        else:
            parts.append(token.value.replace("\x00", ""))
    paragraphs: list[str] = []
    for chunk in _PARAGRAPH_BREAK.split("".join(parts)):
        lines = (_tidy(line) for line in chunk.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(_SLOT.sub(lambda m: slots[int(m.group(1))], paragraph))
    return paragraphs


def _tidy(line: str) -> str:
    """Collapse the spaces a removed block leaves behind; no space before a comma or full stop."""
    return _SPACE_BEFORE_STOP.sub("", _SPACES.sub(" ", line)).strip()
