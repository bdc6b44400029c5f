"""The dunning policy as data: ordered steps with offsets, channels and letter templates."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from models.errors import FieldError

CHANNEL_LABELS = {
    "call": "Appel",
    "email": "E-mail",
    "letter": "Courrier",
    "registered_letter": "Recommandé AR",
    "dossier": "Dossier",
}
REFERENCES = {"due": "l'échéance", "sent": "l'envoi de la facture"}
# Steps that move an invoice up the collection ladder, with their level (stages.py reads them).
ESCALATION_LEVELS = {
    "reminder_1": 1,
    "reminder_2": 2,
    "reminder_3": 3,
    "formal_notice": 4,
    "legal_action": 5,
}
REMINDERS = ("reminder_1", "reminder_2", "reminder_3")
MAX_OFFSET = 3650


@dataclass(frozen=True)
class Step:
    """One step: `offset_days` from the reference date (negative = before it, 0 = that day)."""

    code: str
    label: str
    offset_days: int
    channel: str
    reference: str = "due"  # "due": the due date; "sent": the day the invoice was sent
    template: str = ""  # letter kind (models.letters.documents.LETTER_KINDS) or "" for a call
    b2b: bool = True
    b2c: bool = True
    flagged_only: bool = False  # only for new clients and known late payers

    def applies_to(self, b2c: bool, flagged: bool) -> bool:
        """Whether the step concerns a client of this kind and with these flags."""
        if self.flagged_only and not flagged:
            return False
        return self.b2c if b2c else self.b2b

    def when_text(self) -> str:
        """The offset spelled out without sign ambiguity: '7 jours avant l'échéance'."""
        ref = REFERENCES.get(self.reference, self.reference)
        n = abs(self.offset_days)
        if n == 0:
            return f"le jour de {ref}"
        unit = "jour" if n == 1 else "jours"
        return f"{n} {unit} {'avant' if self.offset_days < 0 else 'après'} {ref}"


@dataclass(frozen=True)
class Policy:
    """An ordered list of steps, plus the preventive window and the formal-notice deadline."""

    name: str
    steps: tuple[Step, ...]
    preventive_window_days: int = 7
    notice_deadline_days: int = 8

    def step(self, code: str) -> Step | None:
        """The step with this code, if the policy has one."""
        return next((s for s in self.steps if s.code == code), None)


DEFAULT_POLICY = Policy(
    name="Standard",
    steps=(
        Step(
            "check_receipt",
            "Vérifier la réception et la conformité",
            7,
            "call",
            reference="sent",
            flagged_only=True,
        ),
        Step("preventive", "Rappel préventif", -7, "email", template="preventive"),
        Step("courtesy_call", "Appel de courtoisie", 1, "call"),
        Step("reminder_1", "Relance 1 (courtoise)", 7, "email", template="reminder_1"),
        Step("reminder_2", "Relance 2 (ferme)", 15, "letter", template="reminder_2"),
        Step(
            "reminder_3",
            "Relance 3 (dernière avant procédure)",
            25,
            "letter",
            template="reminder_3",
        ),
        Step(
            "formal_notice",
            "Mise en demeure (LRAR)",
            30,
            "registered_letter",
            template="formal_notice",
        ),
        # Notice + 8 days: the spacing rule in stages.py dates it from the notice actually sent.
        Step("legal_action", "Action en justice ou transmission", 38, "dossier"),
    ),
)


def validate_policy(policy: Policy) -> list[FieldError]:
    """Every reason the policy cannot be used; an empty list means it is valid."""
    errors: list[FieldError] = []
    if not policy.name.strip():
        errors.append(FieldError("nom", "la politique doit avoir un nom"))
    if not policy.steps:
        errors.append(FieldError("étapes", "la politique doit avoir au moins une étape"))
    seen: dict[str, int] = {}
    for i, s in enumerate(policy.steps, start=1):
        where = f"étape {i} ({s.label or s.code})"
        if not s.code.strip() or not s.label.strip():
            errors.append(FieldError(where, "code et libellé sont obligatoires"))
        if s.code in seen:
            errors.append(
                FieldError(where, f"code « {s.code} » déjà utilisé à l'étape {seen[s.code]}")
            )
        seen.setdefault(s.code, i)
        if s.channel not in CHANNEL_LABELS:
            errors.append(FieldError(where, f"canal inconnu « {s.channel} »"))
        if s.reference not in REFERENCES:
            errors.append(FieldError(where, f"date de référence inconnue « {s.reference} »"))
        if abs(s.offset_days) > MAX_OFFSET:
            errors.append(FieldError(where, f"décalage hors limites ({s.offset_days} jours)"))
        if not (s.b2b or s.b2c):
            errors.append(
                FieldError(where, "l'étape ne s'applique ni aux pros ni aux particuliers")
            )
    # Offsets must follow the order of the steps, for each reference date.
    for ref in REFERENCES:
        prev: Step | None = None
        for s in (s for s in policy.steps if s.reference == ref):
            if prev is not None and s.offset_days < prev.offset_days:
                errors.append(
                    FieldError(
                        s.label,
                        f"décalages dans le désordre : « {s.label} » ({s.when_text()}) "
                        f"vient après « {prev.label} » ({prev.when_text()})",
                    )
                )
            if prev is not None and (s.offset_days, s.channel) == (prev.offset_days, prev.channel):
                errors.append(
                    FieldError(
                        s.label,
                        f"deux étapes le même jour sur le même canal : « {prev.label} » "
                        f"et « {s.label} »",
                    )
                )
            prev = s
    codes = [s.code for s in policy.steps]
    if "formal_notice" in codes:
        notice_at = codes.index("formal_notice")
        if not any(c in REMINDERS for c in codes[:notice_at]):
            errors.append(
                FieldError(
                    "Mise en demeure", "une mise en demeure ne peut pas précéder toute relance"
                )
            )
    if (
        "legal_action" in codes
        and "formal_notice" in codes
        and codes.index("legal_action") < codes.index("formal_notice")
    ):
        errors.append(
            FieldError("Action en justice", "l'action en justice doit suivre la mise en demeure")
        )
    if policy.notice_deadline_days < 1:
        errors.append(
            FieldError("délai", "le délai de la mise en demeure doit être d'au moins 1 jour")
        )
    return errors


def policy_to_json(policy: Policy) -> str:
    """Serialise a policy for the Setting table."""
    return json.dumps(asdict(policy), ensure_ascii=False)


def policy_from_json(text: str) -> Policy:
    """Read a policy stored by `policy_to_json`; unknown keys are ignored."""
    data = json.loads(text)
    fields = set(Step.__dataclass_fields__)
    steps = tuple(Step(**{k: v for k, v in s.items() if k in fields}) for s in data["steps"])
    return Policy(
        name=data["name"],
        steps=steps,
        preventive_window_days=int(data.get("preventive_window_days", 7)),
        notice_deadline_days=int(data.get("notice_deadline_days", 8)),
    )


def without_steps(policy: Policy, codes: set[str], name: str) -> Policy:
    """A copy of `policy` without some steps (e.g. no calls for a large client)."""
    return replace(policy, name=name, steps=tuple(s for s in policy.steps if s.code not in codes))


def stored_policies(default: str, named: dict[str, str]) -> dict[str | None, Policy]:
    """The policies as the settings keep them: None -> the default one (DEFAULT_POLICY when none
    is stored), each name -> a client's own one."""
    policies: dict[str | None, Policy] = {
        None: policy_from_json(default) if default else DEFAULT_POLICY
    }
    for name, text in named.items():
        policies[name] = policy_from_json(text)
    return policies
