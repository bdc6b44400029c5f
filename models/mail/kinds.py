"""The kinds of e-mail, as the command line names them (no import: the parser offers them)."""

from __future__ import annotations

# The steps an e-mail carries, each with its letter (the PDF attached) of the same kind; then
# the e-mails that carry no letter.
MAIL_KINDS = (
    "preventive",
    "reminder_1",
    "reminder_2",
    "reminder_3",
    "formal_notice",
    "payment_plan",
    "promise",
)

# The setting that holds the user's text of an e-mail: "mail_template.<kind>" (models.settings).
MAIL_TEMPLATE_PREFIX = "mail_template."
