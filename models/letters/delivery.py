"""How a letter left: what the history records for each output, and what a channel lacks.

The history is the user's evidence that they reminded the client, so it says only what
happened: a PDF produced is "préparée", a letter printed is "imprimée", an e-mail draft handed
to the mail program is only a draft (Relance cannot know it was sent), "envoyée en recommandé"
needs the LRAR number.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.errors import FieldError, InputError

# Delivery codes: what the user did with the letter.
PDF = "pdf"  # saved as a PDF file
PRINTED = "printed"  # printed through Relance's print dialog, printing done
EMAIL_DRAFT = "email_draft"  # a draft opened in the mail program (sending not confirmed)
EMAIL_SENT = "email_sent"  # a mail program or server accepted the message
SENT = "sent"  # the user records by hand a letter sent outside Relance
DELIVERIES = (PDF, PRINTED, EMAIL_DRAFT, EMAIL_SENT, SENT)

# What the history says (stored in Action.outcome, shown as the entry's type).
OUTCOMES = {
    PDF: "Lettre préparée (PDF)",
    PRINTED: "Lettre imprimée",
    EMAIL_DRAFT: "Brouillon d'e-mail ouvert (envoi non confirmé)",
    EMAIL_SENT: "Envoyée par e-mail",
    SENT: "",
}
REGISTERED_OUTCOME = "Envoyée en recommandé (LRAR)"
DELIVERY_OUTCOMES = frozenset({*(o for o in OUTCOMES.values() if o), REGISTERED_OUTCOME})

# The kind of history entry and channel a letter recorded by hand gets (older behaviour).
SENT_AS = {
    "preventive": ("email", "email"),
    "reminder_1": ("email", "email"),
    "reminder_2": ("letter", "letter"),
    "reminder_3": ("letter", "letter"),
    "formal_notice": ("formal_notice", "registered_letter"),
    "payment_plan": ("letter", "letter"),
    "penalty_statement": ("letter", "letter"),
}
# The letter's name in the notes (no claim about its sending: the outcome says that).
LETTER_TITLES = {
    "preventive": "Rappel préventif",
    "reminder_1": "Relance 1",
    "reminder_2": "Relance 2",
    "reminder_3": "Relance 3",
    "formal_notice": "Mise en demeure",
    "payment_plan": "Proposition d'échéancier",
    "penalty_statement": "Relevé de pénalités",
}
# What the notes said when every letter was recorded as sent (still used for SENT).
LETTER_NOTES = {
    "preventive": "Rappel préventif envoyé",
    "reminder_1": "Relance 1 envoyée",
    "reminder_2": "Relance 2 envoyée",
    "reminder_3": "Relance 3 envoyée",
    "formal_notice": "Mise en demeure envoyée (LRAR)",
    "payment_plan": "Proposition d'échéancier envoyée",
    "penalty_statement": "Relevé de pénalités envoyé",
}


@dataclass(frozen=True)
class Record:
    """What one letter's history entry holds: kind, channel, outcome and notes."""

    action_kind: str
    channel: str
    outcome: str
    notes: str


def record_for(kind: str, delivery: str, registered_number: str = "") -> Record:
    """The history entry for a letter of `kind` delivered so; InputError for an unknown code.

    The channel follows what was done, never the letter kind's usual channel: a PDF saved
    has no channel yet, a printed letter goes by post, a registered one only with its number.
    """
    if delivery not in DELIVERIES:
        raise InputError([FieldError("envoi", f"mode d'envoi inconnu « {delivery} »")])
    if delivery == SENT and not registered_number:
        action_kind, channel = SENT_AS[kind]
        if kind == "formal_notice":
            channel = "letter"  # no LRAR number: not recorded as registered
        return Record(action_kind, channel, "", LETTER_NOTES[kind])
    if registered_number:
        action_kind = "formal_notice" if kind == "formal_notice" else "registered_letter"
        return Record(action_kind, "registered_letter", REGISTERED_OUTCOME, LETTER_TITLES[kind])
    action_kind = "formal_notice" if kind == "formal_notice" else "letter"
    channel = {PDF: "", PRINTED: "letter", EMAIL_DRAFT: "email", EMAIL_SENT: "email"}[delivery]
    if delivery in (EMAIL_DRAFT, EMAIL_SENT) and kind != "formal_notice":
        action_kind = "email"
    return Record(action_kind, channel, OUTCOMES[delivery], LETTER_TITLES[kind])


# E-mails that go with a step without being the step: the formal notice's copy (the
# registered letter is the notice, C. civ. 1344), a payment plan's confirmation (the plan is
# recorded by its agreement), a promise's confirmation (the call is recorded by itself).
MAIL_ONLY_TITLES = {
    "formal_notice": "Copie de la mise en demeure",
    "payment_plan": "Confirmation de l'échéancier",
    "promise": "Confirmation de la promesse de paiement",
}


def mail_record(kind: str) -> tuple[Record, str]:
    """The history entry of an e-mail the server accepted, and the step it records ("" when
    it moves no invoice to a step: a copy or a confirmation)."""
    if kind in MAIL_ONLY_TITLES:
        return Record("email", "email", OUTCOMES[EMAIL_SENT], MAIL_ONLY_TITLES[kind]), ""
    entry = record_for(kind, EMAIL_SENT)
    step = kind if kind in ("preventive", "reminder_1", "reminder_2", "reminder_3") else ""
    return entry, step


def postal_gaps(street: str, locality: str, postal_code: str, city: str, country: str) -> list[str]:
    """What a postal address lacks for a letter by post (La Poste, NF Z 10-011): empty if none."""
    gaps = []
    if not (street.strip() or locality.strip()):
        gaps.append("rue (ou boîte postale)")
    if not country.strip() and not postal_code.strip():
        gaps.append("code postal")
    if not city.strip():
        gaps.append("ville")
    return gaps


def missing_for(channel: str, postal: list[str], has_email: bool) -> str:
    """What the client's record lacks for a channel, in words ('' when nothing is missing)."""
    if channel in ("letter", "registered_letter") and postal:
        return "adresse postale incomplète (" + ", ".join(postal) + ")"
    if channel == "email" and not has_email:
        return "pas d'adresse e-mail"
    return ""
