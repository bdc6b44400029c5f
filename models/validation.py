"""Validators that return errors as data (Fava's habit); the Ledger refuses on any error."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from models.errors import FieldError
from models.law.deadlines import beyond_max_term, max_term_warning
from models.store.codes import B2B, B2C, PAYMENT_METHODS

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_siren_siret(siren: str, siret: str) -> list[FieldError]:
    """SIREN and SIRET checksums (Luhn), and a SIRET that starts with the SIREN given."""
    errors = []
    if siren and not stdnum_siren.is_valid(siren):
        errors.append(
            FieldError("SIREN", f"« {siren} » n'est pas un SIREN valide (9 chiffres, clé)")
        )
    if siret and not stdnum_siret.is_valid(siret):
        errors.append(
            FieldError("SIRET", f"« {siret} » n'est pas un SIRET valide (14 chiffres, clé)")
        )
    elif (
        siret
        and siren
        and stdnum_siren.is_valid(siren)
        and stdnum_siret.compact(siret)[:9] != stdnum_siren.compact(siren)
    ):
        errors.append(FieldError("SIRET", "le SIRET ne commence pas par le SIREN"))
    return errors


def check_client(
    name: str,
    kind: str,
    siren: str = "",
    siret: str = "",
    email: str = "",
    postal_code: str = "",
    country: str = "",
) -> list[FieldError]:
    """Errors in a client's identity: name required, kind, SIREN/SIRET checksums, e-mail."""
    errors = []
    if not name.strip():
        errors.append(FieldError("nom", "le nom du client est obligatoire"))
    if kind not in (B2B, B2C):
        errors.append(FieldError("type", f"« {kind} » : choisir professionnel ou particulier"))
    errors += check_siren_siret(siren, siret)
    if email and not EMAIL.match(email.strip()):
        errors.append(FieldError("e-mail", f"« {email} » n'est pas une adresse e-mail"))
    if postal_code and not country and not re.fullmatch(r"\d{5}", postal_code.strip()):
        errors.append(FieldError("code postal", f"« {postal_code} » : 5 chiffres attendus"))
    return errors


def check_invoice(
    number: str,
    issue_date: dt.date,
    due_date: dt.date | None,
    amount_ttc: Decimal,
    amount_ht: Decimal | None = None,
    deposit: Decimal = Decimal(0),
) -> list[FieldError]:
    """Errors in an invoice: number, amounts not negative, due date not before issue date."""
    errors = []
    if not number.strip():
        errors.append(FieldError("numéro", "le numéro de facture est obligatoire"))
    if amount_ttc < 0:
        errors.append(FieldError("montant TTC", f"montant négatif ({amount_ttc}) refusé"))
    if amount_ht is not None and amount_ht < 0:
        errors.append(FieldError("montant HT", f"montant négatif ({amount_ht}) refusé"))
    if amount_ht is not None and amount_ttc >= 0 and amount_ht > amount_ttc:
        errors.append(FieldError("montant HT", "le montant HT dépasse le montant TTC"))
    if deposit < 0:
        errors.append(FieldError("acompte", "acompte négatif refusé"))
    elif deposit > amount_ttc >= 0:
        errors.append(FieldError("acompte", "l'acompte dépasse le montant TTC"))
    if due_date is not None and due_date < issue_date:
        errors.append(
            FieldError(
                "échéance",
                f"l'échéance ({due_date:%d/%m/%Y}) précède la date de facture "
                f"({issue_date:%d/%m/%Y})",
            )
        )
    return errors


def term_warning(issue_date: dt.date, due_date: dt.date) -> str | None:
    """A warning when the payment term exceeds the legal maximum (C. com. L441-10 I)."""
    return max_term_warning(issue_date, due_date)


def term_row_warning(row: int | None, issue_date: dt.date, due_date: dt.date | None) -> str | None:
    """Import: a due date past the legal maximum, with the row and the limit date, else None.

    C. com. L441-10 I: 60 days from the invoice date, or 45 days end of month. The row is kept
    (the term is the parties' contract); the user may then count penalties from the limit.
    """
    limit = beyond_max_term(issue_date, due_date) if due_date is not None else None
    if limit is None or due_date is None:
        return None
    where = f"ligne {row} : " if row else ""
    return (
        f"{where}échéance au {due_date:%d/%m/%Y} au-delà du délai de paiement maximal légal "
        f"(limite : {limit:%d/%m/%Y}, C. com. L441-10 I)"
    )


def check_payment(on: dt.date, amount: Decimal, method: str) -> list[FieldError]:
    """Errors in a payment: a positive amount and a known method."""
    errors = []
    if amount <= 0:
        errors.append(FieldError("montant", "le montant du paiement doit être positif"))
    if method not in PAYMENT_METHODS:
        errors.append(FieldError("moyen de paiement", f"« {method} » inconnu"))
    return errors
