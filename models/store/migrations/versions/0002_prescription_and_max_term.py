"""invoice.completed_on and invoice.penalties_from_max_term

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 02:40:00

completed_on: the completion date of a consumer service, where prescription starts
(C. conso. L218-2). penalties_from_max_term: count penalties from the legal maximum term
(C. com. L441-10 I) rather than a later stated due date; off by default (warn only).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Two columns on invoice; existing rows get NULL and false."""
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "penalties_from_max_term",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_column("penalties_from_max_term")
        batch_op.drop_column("completed_on")
