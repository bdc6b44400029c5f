"""The Ledger's settings half: company identity, policies, rates, templates, backups."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from contextlib import AbstractContextManager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from models.errors import FieldError, InputError, NotFoundError
from models.ids import ClientId
from models.law.aging import Buckets
from models.letters.kinds import LETTER_KINDS
from models.settings import (
    COMPANY_PREFIX,
    SPECS,
    TEMPLATE_PREFIX,
    check_setting,
    coerce,
    dumps,
    is_known,
    mail_template_kind,
    parse_rate,
    rate_from_json,
    rate_to_json,
    template_kind,
)
from models.store import backups as copies
from models.store import db

if TYPE_CHECKING:  # imported by the methods that use them (start-up of every command)
    from sqlmodel import Session

    from models.law.policy import Policy
    from models.law.rates import RateRow, RateTable
    from models.letters.documents import Company


class SettingsMixin:
    """Settings read and written through the Ledger (one transaction per write)."""

    engine: Engine
    url: str
    _rates: RateTable | None
    _policies: dict[str | None, Policy] | None
    _scratch: Path | None = None  # data folder of an in-memory database (tests, previews)
    backup_problem: str | None

    def _write(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    # -- any setting -------------------------------------------------------------------------
    def setting(self, key: str) -> Any:
        """A setting's stored value, or its default; 'company.iban' reads one identity field."""
        if key.startswith(COMPANY_PREFIX):
            from models.company import COMPANY_LABELS

            field = key.removeprefix(COMPANY_PREFIX)
            if field not in COMPANY_LABELS:
                raise InputError([FieldError(key, "champ d'entreprise inconnu")])
            return (self.setting("company") or {}).get(field, "")
        if not is_known(key):
            raise InputError([FieldError(key, "paramètre inconnu")])
        stored = self._stored(key)
        if stored is not None:
            return json.loads(stored)
        kind = template_kind(key)
        if kind is not None:
            from models.letters.templates import load_default

            return load_default(kind)
        mail_kind = mail_template_kind(key)
        if mail_kind is not None:
            from models.mail.templates import load_default_mail

            return load_default_mail(mail_kind)
        return SPECS[key].default

    def _stored(self, key: str) -> str | None:
        """A setting's stored JSON text, None when unset.

        One plain query, not the ORM's: opening the ledger reads settings (the backup folder),
        and a command that reads nothing else then needs none of the mappers set up.
        """
        with self.engine.connect() as conn:
            value = conn.execute(
                text("SELECT value FROM setting WHERE key = :key"), {"key": key}
            ).scalar()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting after checking it; a bad value changes nothing.

        'company.iban VALUE' changes one identity field and keeps the others.
        """
        self.set_settings({key: value})

    def set_settings(self, values: dict[str, Any]) -> None:
        """Store several settings in one transaction, all checked first: any error, none saved."""
        from models.company import normalize_company
        from models.store.tables import Setting

        prepared: dict[str, Any] = {}
        for key, value in values.items():
            if key.startswith(COMPANY_PREFIX):
                base = prepared.get("company", self.setting("company") or {})
                text = "" if value is None else str(value)
                value = dict(base) | {key.removeprefix(COMPANY_PREFIX): text}
                key = "company"
            if key == "company" and isinstance(value, dict):
                value = normalize_company(value)
            prepared[key] = coerce(key, value)
        errors = [e for key, value in prepared.items() for e in check_setting(key, value)]
        if errors:
            raise InputError(errors)
        with self._write() as s:
            for key, value in prepared.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=dumps(value)))
                else:
                    row.value = dumps(value)
        self._rates = None
        self._changed()

    def _delete_setting(self, key: str) -> None:
        """Forget a stored value: the default applies again."""
        from models.store.tables import Setting

        with self._write() as s:
            row = s.get(Setting, key)
            if row is not None:
                s.delete(row)
        self._rates = None
        self._changed()

    # -- company -----------------------------------------------------------------------------
    def company(self) -> Company:
        """The creditor's identity for letterheads."""
        from models.letters.documents import company_from

        return company_from(self.setting("company") or {})

    def company_data(self) -> dict[str, str]:
        """The stored identity fields as typed (for the settings form)."""
        return {k: str(v) for k, v in (self.setting("company") or {}).items()}

    def set_company(self, data: dict[str, Any]) -> None:
        """Change identity fields; those not given keep their value.

        Refused (nothing saved) on a bad SIRET, IBAN, BIC, VAT number, e-mail or postal code.
        """
        self.set_setting("company", self.company_data() | data)

    def company_missing(self, kind: str | None = None, b2c: bool = False) -> list[str]:
        """What a letter of this kind needs from the identity and is not set yet (French labels).

        `b2c`: the letter goes to a consumer, so the consumer mediator is needed too.
        """
        from models.company import missing_for_letter

        return missing_for_letter(self.company_data(), kind, b2c)

    def contractual_rate(self) -> Decimal | None:
        """The penalty rate of the terms of sale, if one is set."""
        return parse_rate(self.setting("contractual_penalty_rate") or "")

    def contractual_rate_warning(self, as_of: dt.date, rate: Any = None) -> str | None:
        """Warn when the contractual rate is below 3 x the legal rate (C. com. L441-10 II).

        `rate` is a value as typed (the live form), else the stored rate is checked against
        the legal rate of as_of's half-year. None when there is nothing to say.
        """
        from models.company import contractual_floor_warning

        try:
            value = self.contractual_rate() if rate is None else parse_rate(rate)
        except InvalidOperation:
            return None
        if value is None:
            return None
        return contractual_floor_warning(value, self.rates().lookup(as_of).row)

    def data_dir(self) -> Path:
        """The database file's folder (images are copied there); a temporary one in memory.

        A PostgreSQL ledger's folder is this machine's: files attached on one machine are
        not on the others (their paths are in the ledger).
        """
        path = db.sqlite_path(self.url)
        if path is not None:
            return path.parent
        if db.is_server(self.url):
            # A shared ledger: this machine's files for it (letters, pieces, images) in the
            # user's data folder, one folder per server and database.
            return db.default_db_path().parent / "bases-partagees" / db.server_folder(self.url)
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="relance-"))
        return self._scratch

    def save_logo(self, path: Path) -> Path:
        """Copy an image into the data folder and use it as the letterhead logo."""
        return self._save_image(Path(path), "logo")

    def save_signature(self, path: Path) -> Path:
        """Copy an image into the data folder and print it above the signatory's name."""
        return self._save_image(Path(path), "signature")

    def _save_image(self, path: Path, what: str) -> Path:
        from models.company import image_problem

        problem = image_problem(path)
        if problem:
            raise InputError([FieldError(what, problem)])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        dest = self.data_dir() / "images" / f"{what}-{digest}{path.suffix.lower()}"
        db.copy_file(path, dest)
        self.set_company({f"{what}_path": str(dest)})
        return dest

    # -- letter texts ------------------------------------------------------------------------
    def template(self, kind: str) -> str:
        """The user's text for a letter kind, else the one shipped in resources/templates."""
        self._check_kind(kind)
        return str(self.setting(TEMPLATE_PREFIX + kind))

    def template_is_custom(self, kind: str) -> bool:
        """Whether the user changed this letter's text."""
        self._check_kind(kind)
        return self._stored(TEMPLATE_PREFIX + kind) is not None

    def set_template(self, kind: str, text: str) -> None:
        """Store the user's text for a letter kind; an unknown {field} or a bad block is refused."""
        self._check_kind(kind)
        self.set_setting(TEMPLATE_PREFIX + kind, text)

    def reset_template(self, kind: str) -> None:
        """Go back to the shipped text for a letter kind."""
        self._check_kind(kind)
        self._delete_setting(TEMPLATE_PREFIX + kind)

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in LETTER_KINDS:
            raise NotFoundError(f"type de lettre inconnu « {kind} » ({', '.join(LETTER_KINDS)})")

    # -- rates -------------------------------------------------------------------------------
    def rates(self) -> RateTable:
        """The rate table: shipped rows, replaced by the user's for the same half-year."""
        from models.law.rates import load_shipped

        if self._rates is None:
            self._rates = load_shipped().with_user_rows(self.user_rates())
        return self._rates

    def user_rates(self) -> list[RateRow]:
        """The half-year rates the user entered, oldest first."""
        rows = [rate_from_json(r) for r in self.setting("rates_user") or []]
        return sorted(rows, key=lambda r: r.start)

    def set_user_rate(self, code: str, ecb: str, legal_private: str, legal_other: str) -> None:
        """Enter (or replace) a half-year's rates, e.g. ('2026-H2', '2,15', '6,67', '2,62').

        The default penalty rate is derived: ECB + 10 points (C. com. L441-10).
        """
        from models.law.rates import validate_rate_row

        row, errors = validate_rate_row(code.strip(), ecb, legal_private, legal_other)
        if row is None:
            raise InputError(errors)
        kept = [r for r in self.user_rates() if r.half_year != row.half_year]
        stored = sorted([*kept, row], key=lambda r: r.start)
        self.set_setting("rates_user", [rate_to_json(r) for r in stored])

    def delete_user_rate(self, code: str) -> None:
        """Forget a half-year the user entered (the shipped rate, if any, applies again)."""
        rows = self.user_rates()
        if code not in {r.half_year for r in rows}:
            raise NotFoundError(f"aucun taux saisi pour le semestre {code}")
        self.set_setting("rates_user", [rate_to_json(r) for r in rows if r.half_year != code])

    def rate_warning(self, as_of: dt.date) -> str | None:
        """'taux du 2e semestre 2026 non renseigné : …' when as_of's half-year has no rate."""
        from models.law.rates import half_year_label

        found = self.rates().lookup(as_of)
        if found.exact:
            return None
        return (
            f"taux du {half_year_label(found.wanted)} non renseigné : le dernier taux connu "
            f"({half_year_label(found.row.half_year)}) est utilisé"
        )

    # -- policies ----------------------------------------------------------------------------
    def policy(self, name: str | None = None) -> Policy:
        """The default policy, or a client's own one by name."""
        from models.law.policy import stored_policies

        if self._policies is None:
            self._policies = stored_policies(self.setting("policy"), self.setting("policies") or {})
        return self._policies.get(name) or self._policies[None]

    def policy_names(self) -> list[str]:
        """Names of the policies some clients may follow instead of the default one."""
        return sorted(self.setting("policies") or {}, key=str.lower)

    def set_policy(self, policy: Policy, name: str | None = None) -> None:
        """Store the default policy (or a named one for some clients) after validation."""
        from models.law.policy import policy_to_json, validate_policy

        errors = validate_policy(policy)
        if errors:
            raise InputError(errors)
        if name is None:
            self.set_setting("policy", policy_to_json(policy))
        else:
            if not name.strip():
                raise InputError([FieldError("nom", "la politique doit avoir un nom")])
            named = dict(self.setting("policies") or {})
            named[name.strip()] = policy_to_json(policy)
            self.set_setting("policies", named)

    def reset_policy(self) -> None:
        """Go back to the default policy of DESIGN.md."""
        self._delete_setting("policy")

    def delete_policy(self, name: str) -> None:
        """Remove a named policy; refused while a client follows it."""
        from sqlmodel import Session, col, func, select

        from models.store.tables import Client

        named = dict(self.setting("policies") or {})
        if name not in named:
            raise NotFoundError(f"politique inconnue : « {name} »")
        with Session(self.engine) as s:
            users = s.exec(
                select(func.count()).select_from(Client).where(col(Client.policy_name) == name)
            ).one()
        if users:
            raise InputError(
                [FieldError("politique", f"« {name} » est suivie par {users} client(s)")]
            )
        del named[name]
        self.set_setting("policies", named)

    def set_client_policy(self, client_id: ClientId, name: str | None) -> None:
        """Make a client follow a named policy, or the default one (None)."""
        from models.store.tables import Client

        if name is not None and name not in self.policy_names():
            raise InputError([FieldError("politique", f"politique inconnue : « {name} »")])
        with self._write() as s:
            client = s.get(Client, client_id)
            if client is None:
                raise NotFoundError(f"client introuvable (n° {client_id})")
            client.policy_name = name
        self._changed()

    def buckets(self) -> Buckets:
        """The aged-balance buckets configured (30/60/90 by default)."""
        return Buckets(tuple(self.setting("aging_bounds")))

    # -- backups -----------------------------------------------------------------------------
    def backup_dir(self) -> Path | None:
        """Where backups go: the setting, else `sauvegardes` next to the database file."""
        chosen = ""
        try:
            chosen = self.setting("backup_dir") or ""
        except Exception:  # before the first migration the settings table does not exist
            chosen = ""
        if db.sqlite_path(self.url) is None:
            return None
        return Path(chosen) if chosen else db.default_backup_dir(self.url)

    def _backup_folder(self) -> Path:
        folder = self.backup_dir()
        if folder is None:
            raise InputError("sauvegarde : seule une base SQLite locale peut être copiée")
        return folder

    def backup_now(self, now: dt.datetime) -> Path:
        """Copy the database into the backup folder now, then prune the oldest copies.

        Only daily and pre-upgrade copies beyond `backups_kept` are deleted, never the safety
        copies made before a restore. A success clears the warning of a failed automatic one.
        """
        folder = self._backup_folder()
        made = copies.backup(self.engine, folder, now)
        copies.prune_backups(folder, int(self.setting("backups_kept")))
        self.backup_problem = None
        return made

    def backup_to(self, dest: Path) -> Path:
        """Copy the database to a file of the user's choice (checked, written whole)."""
        return copies.backup_to(self.engine, Path(dest))

    def backups(self) -> list[Path]:
        """The backups in the backup folder, newest first."""
        folder = self.backup_dir()
        return copies.list_backups(folder) if folder is not None else []

    def restore_backup(self, path: Path, now: dt.datetime) -> Path:
        """Replace the database by a backup, after a safety copy of it (returned).

        The backup is checked first (a Relance file, intact, not from a newer version): a
        refusal changes nothing.
        """
        folder = self._backup_folder()
        safety = copies.restore(self.engine, Path(path), folder, now)
        self.engine.dispose()  # no pooled connection may keep a view of the old file
        db.migrate(self.engine)  # a backup made by an older version is upgraded
        db.mark(self.engine)
        self._rates = None
        self._changed()
        return safety
