"""Named settings: their defaults and how each is checked before it is stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from models.aging import DEFAULT_BOUNDS
from models.documents import Company
from models.errors import FieldError

COMPANY_FIELDS = (
    "name", "legal_form", "capital", "street", "building", "postal_code", "city", "siren",
    "siret", "vat_number", "rcs_city", "phone", "email", "iban", "bic", "logo_path",
    "signature_path", "signatory",
)


@dataclass(frozen=True)
class SettingSpec:
    """A setting's key, default value and French description."""

    key: str
    default: Any
    description: str


SPECS = {s.key: s for s in (
    SettingSpec("company", {}, "identité de l'entreprise (nom, adresse, SIRET, IBAN...)"),
    SettingSpec("payment_terms_days", 30, "délai de paiement par défaut, en jours"),
    SettingSpec("contractual_penalty_rate", "", "taux de pénalités des CGV, en % l'an (vide : BCE + 10)"),
    SettingSpec("aging_bounds", list(DEFAULT_BOUNDS), "bornes des tranches de la balance âgée, en jours"),
    SettingSpec("backups_kept", 14, "nombre de sauvegardes quotidiennes conservées"),
    SettingSpec("backup_dir", "", "dossier des sauvegardes (vide : à côté de la base)"),
    SettingSpec("policy", "", "politique de relance par défaut (JSON)"),
    SettingSpec("policies", {}, "politiques propres à certains clients, par nom (JSON)"),
    SettingSpec("rates_user", [], "taux semestriels saisis par l'utilisateur"),
)}


def check_setting(key: str, value: Any) -> list[FieldError]:
    """Errors in a value for a known setting (unknown keys are refused)."""
    if key not in SPECS and not key.startswith("template."):
        return [FieldError(key, "paramètre inconnu")]
    if key == "payment_terms_days":
        if not isinstance(value, int) or not 0 <= value <= 60:
            return [FieldError(key, "nombre de jours entre 0 et 60 (C. com. L441-10)")]
    if key == "contractual_penalty_rate" and value != "":
        try:
            rate = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            return [FieldError(key, f"« {value} » n'est pas un taux")]
        if not Decimal(0) < rate <= Decimal(100):
            return [FieldError(key, "taux entre 0 et 100 % attendu")]
    if key == "aging_bounds":
        ok = isinstance(value, list) and value and all(isinstance(v, int) and v > 0 for v in value)
        if not ok or list(value) != sorted(set(value)):
            return [FieldError(key, "des nombres de jours croissants, ex. 30,60,90")]
    if key == "backups_kept" and (not isinstance(value, int) or not 1 <= value <= 365):
        return [FieldError(key, "entre 1 et 365 sauvegardes")]
    if key == "company" and not isinstance(value, dict):
        return [FieldError(key, "objet attendu")]
    return []


def company_from(data: dict[str, Any]) -> Company:
    """The letterhead identity from the stored 'company' setting."""
    get = lambda k: str(data.get(k, "") or "")  # noqa: E731
    town = " ".join(p for p in (get("postal_code"), get("city").upper()) if p)
    lines = tuple(x for x in (get("building"), get("street"), town) if x)
    return Company(
        name=get("name") or "Votre entreprise", legal_form=get("legal_form"),
        capital=get("capital"), address_lines=lines, city=get("city"), siren=get("siren"),
        siret=get("siret"), vat_number=get("vat_number"), rcs_city=get("rcs_city"),
        phone=get("phone"), email=get("email"), iban=get("iban"), bic=get("bic"),
        logo_path=get("logo_path"), signature_path=get("signature_path"),
        signatory=get("signatory"),
    )


def dumps(value: Any) -> str:
    """JSON for the Setting table."""
    return json.dumps(value, ensure_ascii=False)
