"""Named settings: their defaults and how each is checked before it is stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.errors import FieldError
from models.files import writable_folder_problem
from models.law.aging import DEFAULT_BOUNDS
from models.letters.kinds import LETTER_KINDS
from models.mail.kinds import MAIL_KINDS, MAIL_TEMPLATE_PREFIX
from models.money import format_eur

if TYPE_CHECKING:  # the checks and the preview import what they use (start-up of every command)
    from models.law.rates import RateRow
    from models.letters.documents import Company, LetterData

__all__ = ["SPECS", "check_setting"]

TEMPLATE_PREFIX = "template."
COMPANY_PREFIX = "company."
RATE_KEYS = ("half_year", "start", "ecb_refi", "default_penalty", "legal_private", "legal_other")
_BACKUP_NAME = re.compile(r"relance-(\d{4}-\d{2}-\d{2}_\d{6})(?:-(.+))?")
BACKUP_REASONS = {
    "": "Sauvegarde",
    "avant-migration": "Avant mise à jour",
    "avant-restauration": "Copie de sécurité avant restauration",
}


@dataclass(frozen=True)
class SettingSpec:
    """A setting's key, default value and French description."""

    key: str
    default: Any
    description: str


SPECS = {
    s.key: s
    for s in (
        SettingSpec("company", {}, "identité de l'entreprise (nom, adresse, SIRET, IBAN...)"),
        SettingSpec("payment_terms_days", 30, "délai de paiement par défaut, en jours"),
        SettingSpec(
            "contractual_penalty_rate", "", "taux de pénalités des CGV, en % l'an (vide : BCE + 10)"
        ),
        SettingSpec(
            "aging_bounds", list(DEFAULT_BOUNDS), "bornes des tranches de la balance âgée, en jours"
        ),
        SettingSpec("backups_kept", 14, "nombre de sauvegardes quotidiennes conservées"),
        SettingSpec("backup_dir", "", "dossier des sauvegardes (vide : à côté de la base)"),
        SettingSpec("policy", "", "politique de relance par défaut (JSON)"),
        SettingSpec("policies", {}, "politiques propres à certains clients, par nom (JSON)"),
        SettingSpec("rates_user", [], "taux semestriels saisis par l'utilisateur"),
        SettingSpec("email", {}, "compte d'envoi des e-mails (JSON ; jamais le mot de passe)"),
        # Issue 19: the watched folders (Paramètres > Synchronisation), read on start and asked.
        SettingSpec(
            "sync_invoices_dir", "", "dossier où l'outil de facturation dépose ses factures"
        ),
        SettingSpec("sync_bank_dir", "", "dossier où sont enregistrés les relevés bancaires"),
        SettingSpec("sync_on_start", True, "lire les dossiers surveillés au démarrage"),
    )
}


def template_kind(key: str) -> str | None:
    """The letter kind of a 'template.<kind>' key, None for any other key."""
    return key.removeprefix(TEMPLATE_PREFIX) if key.startswith(TEMPLATE_PREFIX) else None


def mail_template_kind(key: str) -> str | None:
    """The step of a 'mail_template.<kind>' key, None for any other key."""
    return key.removeprefix(MAIL_TEMPLATE_PREFIX) if key.startswith(MAIL_TEMPLATE_PREFIX) else None


def is_known(key: str) -> bool:
    """Whether `key` names a setting (a template key counts only for a known letter kind)."""
    return (
        key in SPECS or template_kind(key) in LETTER_KINDS or mail_template_kind(key) in MAIL_KINDS
    )


def _int(value: Any) -> int | None:
    """An int setting as given (JSON number or digits); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def check_setting(key: str, value: Any) -> list[FieldError]:
    """Errors in a value for a known setting (unknown keys are refused)."""
    if not is_known(key):
        return [FieldError(key, "paramètre inconnu")]
    kind = template_kind(key)
    if kind is not None:
        if not isinstance(value, str):
            return [FieldError(key, "texte attendu")]
        from models.letters.templates import validate

        return [FieldError(f"modèle {kind}, {e.field}", e.message, e.row) for e in validate(value)]
    mail_kind = mail_template_kind(key)
    if mail_kind is not None:
        if not isinstance(value, str):
            return [FieldError(key, "texte attendu")]
        from models.mail.templates import validate_mail

        return [
            FieldError(f"e-mail {mail_kind}, {e.field}", e.message, e.row)
            for e in validate_mail(value)
        ]
    checker = _CHECKS.get(key)
    return checker(key, value) if checker else []


def _check_terms(key: str, value: Any) -> list[FieldError]:
    days = _int(value)
    if days is None or not 0 <= days <= 60:
        return [FieldError(key, "nombre de jours entre 0 et 60 (C. com. L441-10)")]
    return []


def parse_rate(value: Any) -> Decimal | None:
    """A percentage typed '12,5', '12.5 %' or given as a number; None when blank."""
    text = str(value).replace(",", ".").replace("%", "").strip()
    return Decimal(text) if text else None


def _check_contract_rate(key: str, value: Any) -> list[FieldError]:
    try:
        rate = parse_rate(value)
    except InvalidOperation:
        return [FieldError(key, f"« {value} » n'est pas un taux")]
    if rate is not None and not Decimal(0) < rate <= Decimal(100):
        return [FieldError(key, "taux entre 0 et 100 % attendu")]
    return []


def _check_bounds(key: str, value: Any) -> list[FieldError]:
    days = [_int(v) for v in value] if isinstance(value, list) else []
    whole = [d for d in days if d is not None and d > 0]
    if not days or len(whole) != len(days) or whole != sorted(set(whole)):
        return [FieldError(key, "des nombres de jours croissants, ex. 30,60,90")]
    return []


def _check_kept(key: str, value: Any) -> list[FieldError]:
    kept = _int(value)
    if kept is None or not 1 <= kept <= 365:
        return [FieldError(key, "entre 1 et 365 sauvegardes")]
    return []


def _check_company(key: str, value: Any) -> list[FieldError]:
    from models.company import check_company

    if not isinstance(value, dict):
        return [FieldError(key, 'objet attendu, ex. {"siret": "73282932000074"}')]
    return check_company(value)


def _check_backup_dir(key: str, value: Any) -> list[FieldError]:
    if not isinstance(value, str):
        return [FieldError(key, "chemin de dossier attendu")]
    if value:  # checked now, not at the next backup: exists or can be made, and writable
        problem = writable_folder_problem(Path(value).expanduser())
        if problem:
            return [FieldError(key, f"{problem} ; choisissez un autre dossier")]
    return []


def _check_watched_dir(key: str, value: Any) -> list[FieldError]:
    """A folder to read (it may be absent for now: a network drive not yet mounted)."""
    if not isinstance(value, str):
        return [FieldError(key, "chemin de dossier attendu")]
    if value and not Path(value).expanduser().is_absolute():
        return [FieldError(key, f"« {value} » : indiquez le chemin complet du dossier")]
    return []


def _check_bool(key: str, value: Any) -> list[FieldError]:
    return [] if isinstance(value, bool) else [FieldError(key, "oui ou non attendu")]


def _check_policy_text(where: str, text: Any) -> list[FieldError]:
    from models.law.policy import policy_from_json, validate_policy

    if not isinstance(text, str):
        return [FieldError(where, "politique au format JSON attendue")]
    try:
        policy = policy_from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        return [FieldError(where, f"politique illisible ({exc.__class__.__name__})")]
    return validate_policy(policy)


def _check_policy(key: str, value: Any) -> list[FieldError]:
    return _check_policy_text(key, value) if value != "" else []


def _check_policies(key: str, value: Any) -> list[FieldError]:
    if not isinstance(value, dict):
        return [FieldError(key, "objet {nom: politique} attendu")]
    errors: list[FieldError] = []
    for name, text in value.items():
        if not str(name).strip():
            errors.append(FieldError(key, "une politique sans nom"))
        errors += _check_policy_text(f"politique « {name} »", text)
    return errors


def _check_rates(key: str, value: Any) -> list[FieldError]:
    from models.law.rates import validate_rate_row

    if not isinstance(value, list):
        return [FieldError(key, "liste de semestres attendue")]
    errors: list[FieldError] = []
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) < set(RATE_KEYS):
            errors.append(FieldError(key, f"semestre n° {n} : clés {', '.join(RATE_KEYS)}"))
            continue
        row, problems = validate_rate_row(
            str(item["half_year"]),
            str(item["ecb_refi"]),
            str(item["legal_private"]),
            str(item["legal_other"]),
        )
        errors += problems
        if row is not None and str(item["start"]) != row.start.isoformat():
            errors.append(FieldError(key, f"{row.half_year} commence le {row.start.isoformat()}"))
    return errors


def _check_email(_key: str, value: Any) -> list[FieldError]:
    from models.mail.account import check_account

    return check_account(value)


_CHECKS = {
    "payment_terms_days": _check_terms,
    "contractual_penalty_rate": _check_contract_rate,
    "aging_bounds": _check_bounds,
    "backups_kept": _check_kept,
    "company": _check_company,
    "backup_dir": _check_backup_dir,
    "policy": _check_policy,
    "policies": _check_policies,
    "rates_user": _check_rates,
    "email": _check_email,
    "sync_invoices_dir": _check_watched_dir,
    "sync_bank_dir": _check_watched_dir,
    "sync_on_start": _check_bool,
}


def coerce(key: str, value: Any) -> Any:
    """The value as stored: numbers typed as text become ints (the CLI passes text)."""
    if key in ("payment_terms_days", "backups_kept"):
        number = _int(value)
        return value if number is None else number
    if key == "sync_on_start" and isinstance(value, str):
        word = value.strip().lower()
        yes, no = word in ("oui", "true", "1", "vrai"), word in ("non", "false", "0", "faux")
        return yes if yes or no else value
    if key == "aging_bounds" and isinstance(value, list):
        return [_int(v) if _int(v) is not None else v for v in value]
    return value


def rate_to_json(row: RateRow) -> dict[str, str]:
    """A user rate row as stored in 'rates_user' (string decimals, ISO start)."""
    return {
        "half_year": row.half_year,
        "start": row.start.isoformat(),
        "ecb_refi": str(row.ecb_refi),
        "default_penalty": str(row.default_penalty),
        "legal_private": str(row.legal_private),
        "legal_other": str(row.legal_other),
    }


def rate_from_json(item: dict[str, str]) -> RateRow:
    """Read a row stored by `rate_to_json`."""
    from models.law.rates import RateRow

    return RateRow(
        item["half_year"],
        dt.date.fromisoformat(item["start"]),
        Decimal(item["ecb_refi"]),
        Decimal(item["default_penalty"]),
        Decimal(item["legal_private"]),
        Decimal(item["legal_other"]),
        "saisi",
    )


def backup_time(path: Path) -> dt.datetime | None:
    """When a backup was made, read from its name ('relance-2026-11-23_140500.sqlite')."""
    match = _BACKUP_NAME.fullmatch(path.stem)
    if match is None:
        return None
    day, clock = match.group(1).split("_")
    return dt.datetime.fromisoformat(f"{day}T{clock[:2]}:{clock[2:4]}:{clock[4:]}")


def backup_reason(path: Path) -> str:
    """What a backup is, in French: a daily copy, before an upgrade, before a restore."""
    match = _BACKUP_NAME.fullmatch(path.stem)
    reason = (match.group(2) or "") if match else ""
    return BACKUP_REASONS.get(reason, reason.replace("-", " "))


def preview_letter(kind: str, text: str, company: Company, b2c: bool, on: dt.date) -> LetterData:
    """A sample letter from a template (the editor's preview): sample client and invoices.

    The sender is the user's own company; fields it fills ({entreprise}, {iban}...) take its
    values when set. Raises InputError when the template cannot be rendered.
    """
    from models.address import postal_lines
    from models.letters.documents import LetterData
    from models.letters.statement import CLAIMS_PENALTIES, ZERO, Statement, StatementLine
    from models.letters.templates import SAMPLE_VALUES, render

    own = {
        "entreprise": company.name,
        "signataire": company.signatory or company.name,
        "telephone": company.phone,
        "email": company.email,
        "iban": company.iban,
        "bic": company.bic,
    }
    indemnity = ZERO if b2c else Decimal("40.00")  # C. com. D441-5: B2B only
    samples = (
        ("FA-2026-014", dt.date(2026, 9, 15), dt.date(2026, 10, 15), 39, "834.56", "10.50"),
        ("FA-2026-019", dt.date(2026, 9, 30), dt.date(2026, 10, 30), 24, "400.00", "6.73"),
    )
    lines = [
        StatementLine(num, issued, due, late, Decimal(amt), ZERO, Decimal(amt), (), Decimal(pen))
        for num, issued, due, late, amt, pen in samples
    ]
    statement = Statement(
        lines=tuple(replace(line, indemnity=indemnity) for line in lines),
        b2c=b2c,
        claims_principal=kind != "penalty_statement",
        claims_penalties=kind in CLAIMS_PENALTIES,
        rate=Decimal("12.15"),
        rate_basis="taux BCE + 10 points",
    )
    # The sample's amounts come from its own statement, so the preview adds up as letters do.
    figures = {
        "montant_principal": format_eur(statement.principal),
        "penalites": format_eur(statement.penalties),
        "indemnite": format_eur(statement.indemnity),
        "total_du": format_eur(statement.total),
    }
    values = SAMPLE_VALUES | figures | {k: v for k, v in own.items() if v}
    filled = render(text, values, b2c)
    return LetterData(
        kind=kind,
        company=company,
        recipient=postal_lines(
            values["client"], "Service comptabilité", "", "12 rue des Lilas", "", "69003", "Lyon"
        ),
        client_name=values["client"],
        b2c=b2c,
        place=company.city,
        date=on,
        title=filled.title,
        subject=filled.subject,
        paragraphs=filled.paragraphs,
        closing=filled.closing,
        statement=statement,
        payment_reference="FA-2026-014 FA-2026-019",
        registered=kind == "formal_notice",
        signature_block=tuple(x for x in (company.signatory, company.name) if x),
    )


def dumps(value: Any) -> str:
    """JSON for the Setting table."""
    return json.dumps(value, ensure_ascii=False)
