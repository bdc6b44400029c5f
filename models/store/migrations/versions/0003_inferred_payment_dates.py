"""Older imports: a payment whose date was supposed is never dated after the day it was known.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Before this revision a spreadsheet row "Payé : oui" with no payment date was recorded as paid on
the invoice's due date, even when that date was still to come: the invoice then counted as owed
(and was chased) until its due date although the file said it was paid. Those payments carry the
reference "import (date supposée)". The import date itself was not stored, but the file was
imported before this migration runs, so the payment happened no later than today: a supposed
date still in the future becomes today's date (CURRENT_DATE, in UTC, so never after the user's
local date). Payments dated by the file, or already in the past, are left as they are.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Bring supposed payment dates in the future back to today."""
    op.execute(
        "UPDATE payment SET date = CURRENT_DATE "
        "WHERE reference = 'import (date supposée)' AND date > CURRENT_DATE"
    )


def downgrade() -> None:
    """Nothing to undo: the due dates the old rule used are not kept."""
