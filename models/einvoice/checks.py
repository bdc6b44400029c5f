"""What every electronic invoice must satisfy before Relance keeps it, whatever its syntax.

EN 16931 BR-CO-15: total incl. VAT = total excl. VAT + VAT; a due date not before the issue
date; euros only (Relance counts in euros); a credit note (type 381) is not a debt.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from models.einvoice.invoice import Buyer, EInvoice, RefusedError
from models.einvoice.xml import Fields
from models.money import format_eur

CREDIT_NOTE_CODES = frozenset({"381", "261", "262", "296", "308", "396", "420", "458", "532"})
ZERO = Decimal("0.00")


def check_document(
    f: Fields,
    *,
    path: Path,
    fmt: str,
    number: str,
    type_code: str,
    currency: str,
    issue: dt.date | None,
    due: dt.date | None,
    buyer: Buyer,
    amounts: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None],
    payment_terms: str,
    order_reference: str,
) -> EInvoice:
    """The EInvoice, or RefusedError with every refusal gathered in `f` and found here."""
    if type_code in CREDIT_NOTE_CODES:
        f.fail("type de document", f"avoir (code {type_code}) : seules les factures s'importent")
    if currency and currency.upper() != "EUR":
        f.fail("devise", f"{currency} : Relance ne suit que des factures en euros")
    ht, vat, ttc, prepaid = amounts
    if ht is not None and ttc is not None:
        vat = vat if vat is not None else ttc - ht
        if ht + vat != ttc:
            f.fail(
                "total TTC",
                f"{format_eur(ttc)} ≠ total HT {format_eur(ht)} + TVA {format_eur(vat)}",
            )
        if ttc <= 0:
            f.fail("total TTC", f"{format_eur(ttc)} : une facture doit avoir un montant dû")
    if prepaid is not None and ttc is not None and not ZERO <= prepaid <= ttc:
        f.fail("acompte versé", f"{format_eur(prepaid)} hors de 0 à {format_eur(ttc)}")
    if issue is not None and due is not None and due < issue:
        f.fail(
            "date d'échéance",
            f"{due:%d/%m/%Y} antérieure à la date de facture ({issue:%d/%m/%Y})",
        )
    if f.refusals or issue is None or ht is None or vat is None or ttc is None:
        raise RefusedError(f.refusals)
    return EInvoice(
        path=path,
        format=fmt,
        number=number,
        issue_date=issue,
        due_date=due,
        buyer=buyer,
        amount_ht=ht,
        vat=vat,
        amount_ttc=ttc,
        prepaid=prepaid or ZERO,
        payment_terms=payment_terms,
        order_reference=order_reference,
    )
