"""The XML inside a Factur-X / ZUGFeRD PDF (a PDF/A-3 carrying its invoice as an attachment).

The `factur-x` package finds the invoice among the PDF's embedded files (factur-x.xml,
zugferd-invoice.xml, xrechnung.xml...). The embedded files are looked at first for a DOCTYPE
or an ENTITY, so no untrusted declaration ever reaches an XML parser.
"""

from __future__ import annotations

import io
import logging
import re

from models.einvoice.invoice import Refusal, RefusedError

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def embedded_xml(data: bytes, name: str) -> bytes:
    """The invoice XML a PDF carries; RefusedError naming the file when it has none."""
    from facturx import get_xml_from_pdf
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise RefusedError([Refusal(name, "PDF protégé par un mot de passe : illisible")])
        attached = [(a.name, a.content) for a in reader.attachment_list]
    except RefusedError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise RefusedError([Refusal(name, "PDF illisible ou endommagé")]) from None
    if any(_DECLARATION.search(content or b"") for _n, content in attached):
        raise RefusedError(
            [Refusal(name, "XML joint refusé : déclaration DOCTYPE ou ENTITY (jamais utile)")]
        )
    quiet = logging.getLogger("factur-x")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # it logs every attachment it looks at
    try:
        _filename, xml = get_xml_from_pdf(data, check_xsd=False)
    except Exception:  # factur-x raises bare Exceptions on what it cannot read
        xml = None
    finally:
        quiet.setLevel(level)
    if not xml:
        what = (
            "aucune facture XML jointe (ce n'est pas une facture Factur-X ou ZUGFeRD)"
            if not attached
            else "les fichiers joints ne sont pas une facture Factur-X ou ZUGFeRD lisible"
        )
        raise RefusedError([Refusal(name, f"PDF sans facture électronique : {what}")])
    return bytes(xml)
