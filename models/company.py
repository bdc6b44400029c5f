"""The creditor's identity: its fields, how they are tidied and checked, what letters require."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

from models.errors import FieldError, InputError
from models.law.rates import RateRow, half_year_label
from models.letters.documents import Company
from models.money import format_rate
from models.validation import check_siren_siret

# Field -> French label, in the order the settings page shows them.
COMPANY_LABELS: dict[str, str] = {
    "name": "raison sociale",
    "legal_form": "forme juridique",
    "capital": "capital",
    "street": "adresse",
    "building": "complément d'adresse",
    "postal_code": "code postal",
    "city": "ville",
    "siren": "SIREN",
    "siret": "SIRET",
    "vat_number": "n° de TVA intracommunautaire",
    "rcs_city": "ville du RCS",
    "phone": "téléphone",
    "email": "e-mail",
    "iban": "IBAN",
    "bic": "BIC",
    "logo_path": "logo",
    "signature_path": "signature",
    "signatory": "signataire",
    "mediator_name": "médiateur de la consommation",
    "mediator_url": "site du médiateur",
}
COMPANY_FIELDS = tuple(COMPANY_LABELS)
# What every letter prints (letterhead, footer): C. com. L441-9 mentions and a return address.
REQUIRED_FOR_LETTERS = ("name", "street", "postal_code", "city", "siret")
# Letters from the second reminder on print the transfer details (reports.letter_tables).
NEEDS_IBAN = frozenset(
    {"reminder_2", "reminder_3", "formal_notice", "payment_plan", "penalty_statement"}
)
# C. conso. L612-1, L616-1: a business must offer consumers a mediator and name it to them.
NEEDS_FOR_B2C = ("mediator_name", "mediator_url")
MEDIATOR_WHY = (
    "un courrier à un particulier doit indiquer le médiateur de la consommation que vous "
    "proposez gratuitement (C. consom. L612-1 et L616-1) : renseignez son nom et son site "
    "dans Paramètres > Entreprise"
)
WEB_ADDRESS = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$", re.IGNORECASE)
IMAGE_SUFFIXES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LENGTH = 200


def normalize_company(data: dict[str, Any]) -> dict[str, str]:
    """Trim every value and write valid numbers in their usual printed form.

    SIREN '732 829 320', SIRET '732 829 320 00074', IBAN in groups of four, BIC and VAT in
    capitals without spaces; invalid values are kept as typed so the error can quote them.
    A missing SIREN is taken from a valid SIRET.
    """
    out = {k: " ".join(str("" if v is None else v).split()) for k, v in data.items()}
    for key, module in (("siren", stdnum_siren), ("siret", stdnum_siret), ("iban", stdnum_iban)):
        if out.get(key) and module.is_valid(out[key]):
            out[key] = module.format(out[key])
    for key, module in (("bic", stdnum_bic), ("vat_number", stdnum_tva)):
        if out.get(key) and module.is_valid(out[key]):
            out[key] = module.compact(out[key]).upper()
            if key == "vat_number":
                out[key] = "FR" + out[key].removeprefix("FR")
    if out.get("siret") and not out.get("siren") and stdnum_siret.is_valid(out["siret"]):
        out["siren"] = stdnum_siren.format(stdnum_siret.to_siren(out["siret"]))
    return out


def check_company(data: dict[str, Any]) -> list[FieldError]:
    """Every reason the identity cannot be stored; empty when it can (nothing is required here).

    Required fields are `missing_for_letter`'s business: a user may save half a form.
    """
    errors = [FieldError(k, "champ d'entreprise inconnu") for k in data if k not in COMPANY_LABELS]
    d = {k: str("" if v is None else v).strip() for k, v in data.items() if k in COMPANY_LABELS}
    for key, value in d.items():
        if len(value) > MAX_LENGTH:
            errors.append(FieldError(COMPANY_LABELS[key], f"{MAX_LENGTH} caractères au plus"))
    siren, siret = d.get("siren", ""), d.get("siret", "")
    errors += check_siren_siret(siren, siret)
    vat = d.get("vat_number", "")
    if vat and not stdnum_tva.is_valid(vat):
        errors.append(
            FieldError("n° de TVA", f"« {vat} » n'est pas un numéro de TVA français valide")
        )
    elif vat:
        owns = [stdnum_siren.compact(siren)] if stdnum_siren.is_valid(siren) else []
        owns += [stdnum_siret.compact(siret)[:9]] if stdnum_siret.is_valid(siret) else []
        if owns and stdnum_tva.compact(vat)[-9:] != owns[0]:
            errors.append(FieldError("n° de TVA", "le numéro de TVA ne correspond pas au SIREN"))
    iban = d.get("iban", "")
    if iban and not stdnum_iban.is_valid(iban):
        errors.append(
            FieldError("IBAN", f"« {iban} » n'est pas un IBAN valide (longueur ou clé fausse)")
        )
    bic = d.get("bic", "")
    if bic and not stdnum_bic.is_valid(bic):
        errors.append(FieldError("BIC", f"« {bic} » n'est pas un BIC valide (8 ou 11 caractères)"))
    email = d.get("email", "")
    if email and not EMAIL.match(email):
        errors.append(FieldError("e-mail", f"« {email} » n'est pas une adresse e-mail"))
    url = d.get("mediator_url", "")
    if url and not WEB_ADDRESS.match(url):
        errors.append(
            FieldError("site du médiateur", f"« {url} » n'est pas une adresse de site web")
        )
    postal = d.get("postal_code", "")
    if postal and not re.fullmatch(r"\d{5}", postal):
        errors.append(FieldError("code postal", f"« {postal} » : 5 chiffres attendus"))
    return errors


def missing_for_letter(
    data: dict[str, Any], kind: str | None = None, b2c: bool = False
) -> list[str]:
    """Labels of the identity fields a letter of this kind needs and the data lacks.

    A letter to a consumer also needs the consumer mediator (C. conso. L612-1, L616-1).
    """
    needed = REQUIRED_FOR_LETTERS + (("iban",) if kind in NEEDS_IBAN else ())
    needed += NEEDS_FOR_B2C if b2c else ()
    return [COMPANY_LABELS[k] for k in needed if not str(data.get(k) or "").strip()]


def require_mediator(company: Company, b2c: bool) -> None:
    """Refuse a letter to a consumer when the business names no consumer mediator.

    C. conso. L612-1: every consumer may use a mediator free of charge; L616-1: the business
    tells the consumer which one. InputError says why and where to fill it in.
    """
    if b2c and not (company.mediator_name.strip() and company.mediator_url.strip()):
        raise InputError([FieldError("médiateur de la consommation", MEDIATOR_WHY)])


def mediator_mention(company: Company) -> str:
    """The line a letter to a consumer prints (C. conso. L616-1), '' when none is set."""
    if not company.mediator_name.strip():
        return ""
    site = f" — {company.mediator_url.strip()}" if company.mediator_url.strip() else ""
    return (
        "En cas de litige, vous pouvez recourir gratuitement au médiateur de la consommation : "
        f"{company.mediator_name.strip()}{site} (C. consom. L612-1)."
    )


def image_problem(path: Path) -> str | None:
    """Why a file cannot serve as a logo or signature (PNG or JPEG), or None when it can."""
    magic = IMAGE_SUFFIXES.get(path.suffix.lower())
    if magic is None:
        return f"« {path.name} » : image PNG ou JPEG attendue"
    if not path.is_file():
        return f"fichier introuvable : {path}"
    with path.open("rb") as fh:
        head = fh.read(len(magic))
    if head != magic:
        return f"« {path.name} » n'est pas une image {path.suffix.lstrip('.').upper()} lisible"
    return None


def contractual_floor_warning(rate: Decimal, row: RateRow) -> str | None:
    """Warn when a contractual penalty rate is below 3 x the legal rate of that half-year.

    C. com. L441-10 II: terms of sale may set their own rate, never below three times the
    legal interest rate ("other cases" column, the creditor being a business); the penalties
    then apply that minimum (models.law.interest.contract_rate), which the warning says.
    """
    floor = 3 * row.legal_other
    if rate >= floor:
        return None
    return (
        f"taux contractuel {format_rate(rate)} inférieur au minimum légal de 3 fois le taux "
        f"d'intérêt légal ({format_rate(floor)} au {half_year_label(row.half_year)}, "
        "C. com. L441-10) : ce minimum sera appliqué à sa place"
    )
