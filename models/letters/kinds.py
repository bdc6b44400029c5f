"""The kinds of letter, as the command line names them (no import: the parser offers them)."""

from __future__ import annotations

# Letter kinds, as the CLI names them (DESIGN.md "The command line").
LETTER_KINDS = (
    "preventive",
    "reminder_1",
    "reminder_2",
    "reminder_3",
    "formal_notice",
    "payment_plan",
    "penalty_statement",
)
