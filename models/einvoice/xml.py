"""Reading untrusted invoice XML safely, and the values both syntaxes share (dates, amounts).

The parser expands no entity, loads no DTD and fetches nothing from the network; a document
that declares a DOCTYPE is refused outright (an invoice never needs one, an attack always does).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from models.einvoice.invoice import Refusal, RefusedError
from models.importing.headers import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT
from models.money import CENT

Element = Any  # lxml's _Element: lxml ships no type hints mypy reads
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DIGITS = re.compile(r"\D")


def parse_xml(data: bytes, name: str) -> Element:
    """The document's root element; RefusedError naming the file if malformed or unsafe."""
    if _DECLARATION.search(data):
        raise RefusedError(
            [Refusal(name, "déclaration DOCTYPE ou ENTITY refusée (jamais utile à une facture)")]
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = f" (ligne {exc.lineno})" if exc.lineno else ""
        raise RefusedError(
            [Refusal(name, f"XML mal formé{line} : fichier incomplet ou abîmé")]
        ) from None
    if root is None or root.getroottree().docinfo.doctype:
        raise RefusedError([Refusal(name, "déclaration DOCTYPE refusée")])
    return root


def local(tag: object) -> str:
    """An element's name without its namespace: '{urn:...}Invoice' -> 'Invoice'."""
    return str(tag).rpartition("}")[2]


class Fields:
    """Reads the values of one document by XPath, gathering a refusal per bad field."""

    def __init__(self, root: Element, namespaces: dict[str, str], name: str) -> None:
        self.root, self.ns, self.name = root, namespaces, name
        self.refusals: list[Refusal] = []

    def fail(self, field: str, message: str) -> None:
        """Record that `field` is refused, and why."""
        self.refusals.append(Refusal(self.name, message, field))

    def nodes(self, path: str, at: Element | None = None) -> list[Element]:
        """The elements at `path` (relative to `at`, else to the root)."""
        found = (self.root if at is None else at).xpath(path, namespaces=self.ns)
        return [n for n in found if isinstance(n.tag, str)] if isinstance(found, list) else []

    def text(self, path: str, at: Element | None = None) -> str:
        """The first element's text at `path`, spaces collapsed, or ''."""
        for node in self.nodes(path, at):
            value = " ".join("".join(node.itertext()).split())
            if value:
                return value
        return ""

    def required(self, path: str, field: str, at: Element | None = None) -> str:
        """A text that must be there; a refusal names the field when it is missing."""
        value = self.text(path, at)
        if not value:
            self.fail(field, "absent du fichier")
        return value

    def amount(self, path: str, field: str, *, required: bool = True) -> Decimal | None:
        """A total in euros, two places at most (EN 16931 BR-DEC), not beyond Relance's bound."""
        raw = self.text(path)
        if not raw:
            if required:
                self.fail(field, "absent du fichier")
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(field, f"montant illisible : « {raw} »")
            return None
        if not value.is_finite() or value != value.quantize(CENT, rounding="ROUND_DOWN"):
            self.fail(field, f"montant avec plus de deux décimales : « {raw} »")
            return None
        if abs(value) > MAX_AMOUNT:
            self.fail(field, f"montant trop élevé : « {raw} »")
            return None
        return value.quantize(CENT)

    def date(self, raw: str, field: str, fmt: str = "") -> dt.date | None:
        """A date written YYYYMMDD (CII format 102) or YYYY-MM-DD (UBL), within 1990-2100."""
        if not raw:
            return None
        try:
            if fmt == "102" or (not fmt and re.fullmatch(r"\d{8}", raw)):
                value = dt.datetime.strptime(raw, "%Y%m%d").date()  # noqa: DTZ007
            elif fmt:
                self.fail(field, f"format de date {fmt} non pris en charge (attendu 102)")
                return None
            else:
                value = dt.date.fromisoformat(raw[:10])
        except ValueError:
            self.fail(field, f"date illisible : « {raw} »")
            return None
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail(field, f"date hors limites : « {raw} »")
            return None
        return value


def identifiers(
    fields: Fields, found: list[tuple[str, str]], vat_number: str, field: str
) -> tuple[str, str]:
    """The buyer's SIREN and SIRET from its identifiers (scheme, value) and VAT number.

    ISO 6523 scheme 0002 is a SIREN, 0009 a SIRET; an identifier without scheme counts when
    its digits are a valid one. A French VAT number FRkk + SIREN gives the SIREN too.
    """
    siren = siret = ""
    for scheme, value in found:
        digits = _DIGITS.sub("", value)
        if not value.strip():
            continue  # an empty element says nothing
        if scheme == "0009" or (not scheme and stdnum_siret.is_valid(digits)):
            if not stdnum_siret.is_valid(digits):
                fields.fail(f"SIRET {field}", f"« {value} » n'est pas un SIRET valide")
            siret = siret or digits
        elif scheme == "0002" or (not scheme and stdnum_siren.is_valid(digits)):
            if not stdnum_siren.is_valid(digits):
                fields.fail(f"SIREN {field}", f"« {value} » n'est pas un SIREN valide")
            siren = siren or digits
    compact = vat_number.replace(" ", "").upper()
    if not siren and compact.startswith("FR") and stdnum_siren.is_valid(compact[-9:]):
        siren = compact[-9:]
    if siret and not siren:
        siren = siret[:9]
    elif siret and siren and siret[:9] != siren:
        fields.fail(f"SIRET {field}", f"le SIRET {siret} n'est pas un établissement du {siren}")
    return siren, siret
