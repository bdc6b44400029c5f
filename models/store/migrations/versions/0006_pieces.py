"""piece: documents kept as evidence for a dossier (issue 16)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 03:20:00

One row per document attached to a client (and one of its invoices): the file itself lives in
`pieces/` beside the database under its SHA-256, so the row keeps the original name, the kind,
the document's date and a note. Rows are never deleted (removed_on, dossier_on).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the piece table and its indexes (once: a stamp set back finds it made)."""
    # A database whose revision stamp was set back (tests/models/importing/test_apply.py
    # replays 0003 that way) already has the table: nothing to create again.
    if sa.inspect(op.get_bind()).has_table("piece"):
        return
    op.create_table(
        "piece",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("original_name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(), nullable=False, server_default=""),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("dossier_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("piece", schema=None) as batch_op:
        batch_op.create_index("ix_piece_client_id", ["client_id"], unique=False)
        batch_op.create_index("ix_piece_invoice_id", ["invoice_id"], unique=False)
        batch_op.create_index("ix_piece_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    """Drop the piece table (the files in pieces/ stay)."""
    op.drop_table("piece")
