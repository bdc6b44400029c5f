"""Files in, invoices out: a Factur-X PDF, a UBL or a CII XML file -> EInvoice, or refusals.

Each refusal names the file (and the field when one is at fault); nothing touches the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from models.einvoice.cii import ROOT_TAG as CII_TAG
from models.einvoice.cii import read_cii
from models.einvoice.invoice import CII, FACTURX, UBL, EInvoice, Refusal, RefusedError
from models.einvoice.pdf import embedded_xml
from models.einvoice.ubl import CREDIT_NOTE_TAG, read_ubl
from models.einvoice.ubl import ROOT_TAG as UBL_TAG
from models.einvoice.xml import local, parse_xml

# The suffixes an invoicing tool gives these files (the dialog and the watched folder use them).
SUFFIXES = (".pdf", ".xml")
_ZUGFERD_1 = "CrossIndustryDocument"


def read_invoice(path: Path) -> EInvoice:
    """The invoice one file states; RefusedError naming the file and each field at fault."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RefusedError([Refusal(name, f"fichier introuvable ({path})")]) from None
    except IsADirectoryError:
        raise RefusedError([Refusal(name, "c'est un dossier, pas un fichier")]) from None
    except OSError as exc:
        raise RefusedError([Refusal(name, f"lecture impossible ({exc.strerror})")]) from None
    if not data.strip():
        raise RefusedError([Refusal(name, "fichier vide")])
    if data.startswith(b"%PDF"):
        return _from_xml(embedded_xml(data, name), path, FACTURX)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or data.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        return _from_xml(data, path, "")
    raise RefusedError(
        [Refusal(name, "ni un PDF Factur-X ni un fichier XML (UBL ou CII) : format inconnu")]
    )


def _from_xml(data: bytes, path: Path, fmt: str) -> EInvoice:
    """Read the XML by its root element: CII (Factur-X, ZUGFeRD 2) or UBL Invoice."""
    root = parse_xml(data, path.name)
    if root.tag == CII_TAG:
        return read_cii(root, path, fmt or CII)
    if root.tag == UBL_TAG:
        return read_ubl(root, path, fmt or UBL)
    if root.tag == CREDIT_NOTE_TAG:
        message = "avoir UBL (CreditNote) : seules les factures s'importent"
    elif local(root.tag) == _ZUGFERD_1:
        message = "ZUGFeRD 1.0 n'est pas pris en charge : exportez la facture en Factur-X"
    else:
        message = f"ce XML n'est pas une facture UBL ou CII (élément racine « {local(root.tag)} »)"
    raise RefusedError([Refusal(path.name, message)])


def read_invoices(paths: Iterable[Path]) -> tuple[list[EInvoice], list[Refusal]]:
    """Every file read: the invoices, and the refusals of the files that could not be."""
    invoices: list[EInvoice] = []
    refusals: list[Refusal] = []
    for path in paths:
        try:
            invoices.append(read_invoice(path))
        except RefusedError as exc:
            refusals.extend(exc.refusals)
    return invoices, refusals
