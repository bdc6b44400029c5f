"""The Ledger's settings half: company identity, policies, rates, buckets, backups."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import db
from models.aging import Buckets
from models.documents import Company
from models.errors import InputError
from models.policy import DEFAULT_POLICY, Policy, policy_from_json, policy_to_json, validate_policy
from models.rates import RateRow, RateTable, load_shipped
from models.settings import SPECS, check_setting, company_from, dumps
from models.tables import Setting


class SettingsMixin:
    """Settings read and written through the Ledger (one transaction per write)."""

    engine: Engine
    url: str
    _rates: RateTable | None
    _policies: dict[str | None, Policy] | None

    def _write(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    def setting(self, key: str) -> Any:
        """A setting's stored value, or its default."""
        with Session(self.engine) as s:
            row = s.get(Setting, key)
        if row is not None:
            return json.loads(row.value)
        spec = SPECS.get(key)
        return spec.default if spec else None

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting after checking it; a bad value changes nothing."""
        errors = check_setting(key, value)
        if errors:
            raise InputError(errors)
        with self._write() as s:
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=dumps(value)))
            else:
                row.value = dumps(value)
        self._rates = None
        self._changed()

    def company(self) -> Company:
        """The creditor's identity for letterheads."""
        return company_from(self.setting("company") or {})

    def contractual_rate(self) -> Decimal | None:
        """The penalty rate of the terms of sale, if one is set."""
        value = self.setting("contractual_penalty_rate")
        return Decimal(str(value).replace(",", ".")) if value not in ("", None) else None

    def rates(self) -> RateTable:
        """The rate table: shipped rows, replaced by the user's for the same half-year."""
        if self._rates is None:
            user = [RateRow(r["half_year"], dt.date.fromisoformat(r["start"]),
                            Decimal(r["ecb_refi"]), Decimal(r["default_penalty"]),
                            Decimal(r["legal_private"]), Decimal(r["legal_other"]), "saisi")
                    for r in self.setting("rates_user") or []]
            self._rates = load_shipped().with_user_rows(user)
        return self._rates

    def policy(self, name: str | None = None) -> Policy:
        """The default policy, or a client's own one by name."""
        if self._policies is None:
            stored = self.setting("policy")
            default = policy_from_json(stored) if stored else DEFAULT_POLICY
            self._policies = {None: default}
            for pname, text in (self.setting("policies") or {}).items():
                self._policies[pname] = policy_from_json(text)
        return self._policies.get(name) or self._policies[None]

    def set_policy(self, policy: Policy, name: str | None = None) -> None:
        """Store the default policy (or a named one for some clients) after validation."""
        errors = validate_policy(policy)
        if errors:
            raise InputError(errors)
        if name is None:
            self.set_setting("policy", policy_to_json(policy))
        else:
            named = dict(self.setting("policies") or {})
            named[name] = policy_to_json(policy)
            self.set_setting("policies", named)

    def buckets(self) -> Buckets:
        """The aged-balance buckets configured (30/60/90 by default)."""
        return Buckets(tuple(self.setting("aging_bounds")))

    def backup_dir(self) -> Path | None:
        """Where backups go: the setting, else `sauvegardes` next to the database file."""
        chosen = ""
        try:
            chosen = self.setting("backup_dir") or ""
        except Exception:
            chosen = ""
        return Path(chosen) if chosen else db.default_backup_dir(self.url)

