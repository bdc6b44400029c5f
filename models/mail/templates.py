"""E-mail texts per step: an "Objet:" line, a blank line, the body; the letters' {fields}.

They are written like the letter templates (models/letters/templates.py: same fields, same
[b2b]/[b2c] blocks, same checks) without the "Titre:" line; the user's version is stored in
the "mail_template.<kind>" setting, the shipped one is resources/mail/<kind>.txt.
"""

from __future__ import annotations

from collections.abc import Mapping

from models.errors import FieldError, InputError, NotFoundError
from models.letters.templates import RESOURCES, render, validate
from models.mail.kinds import MAIL_KINDS

MAIL_DIR = RESOURCES / "mail"
# "promise", the confirmation of a promise made on the phone, goes without a PDF
# (models/mail/promise.py): a letter attached would read as one more reminder to a client who
# has just agreed to pay, and its amounts are in the text.
MAIL_TITLES = {
    "preventive": "Rappel préventif",
    "reminder_1": "Relance 1",
    "reminder_2": "Relance 2",
    "reminder_3": "Relance 3",
    "formal_notice": "Copie de la mise en demeure",
    "payment_plan": "Confirmation d'échéancier",
    "promise": "Confirmation de promesse de paiement (après un appel)",
}
# The letter renderer wants a title line; an e-mail has none, so one is put before the text
# and the line numbers of errors are given back as the user sees them.
_TITLE_LINE = "Titre: e-mail\n"


def check_kind(kind: str) -> None:
    """NotFoundError for a kind that has no e-mail text."""
    if kind not in MAIL_KINDS:
        raise NotFoundError(f"pas de modèle d'e-mail pour « {kind} » ({', '.join(MAIL_KINDS)})")


def load_default_mail(kind: str) -> str:
    """The e-mail text shipped for a step."""
    check_kind(kind)
    return (MAIL_DIR / f"{kind}.txt").read_text(encoding="utf-8")


def _shift(errors: list[FieldError]) -> list[FieldError]:
    return [FieldError(e.field, e.message, e.row - 1 if e.row else e.row) for e in errors]


def validate_mail(text: str) -> list[FieldError]:
    """What is wrong with an e-mail text (empty when it can be filled); `row` is the line."""
    errors = _shift(validate(_TITLE_LINE + text))
    if not errors and not text.lstrip().lower().startswith("objet"):
        errors.append(FieldError("Objet", "la première ligne doit être « Objet: ... »", row=1))
    return errors


def render_mail(text: str, values: Mapping[str, str], b2c: bool) -> tuple[str, str]:
    """The subject and plain-text body of an e-mail filled with a letter's values."""
    errors = validate_mail(text)
    if errors:
        raise InputError(errors)
    try:
        filled = render(_TITLE_LINE + text, values, b2c)
    except InputError as exc:
        raise InputError(_shift(exc.errors)) from exc
    body = "\n\n".join((*filled.paragraphs, filled.closing))
    return filled.subject, body
