"""E-invoices and watched folders: invoice.payment_terms and the syncedfile table

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02 13:10:00

invoice.payment_terms: the terms of payment an e-invoice states (EN 16931 BT-20). syncedfile:
each file a watched folder held, by SHA-256, so that it is read once (issue 19).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One column and one table, each only if absent (a test resets the stamp and reruns it)."""
    inspector = sa.inspect(op.get_bind())
    columns = {c["name"] for c in inspector.get_columns("invoice")}
    if "payment_terms" not in columns:
        with op.batch_alter_table("invoice", schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "payment_terms",
                    sqlmodel.sql.sqltypes.AutoString(),
                    nullable=False,
                    server_default="",
                )
            )
    if inspector.has_table("syncedfile"):
        return
    op.create_table(
        "syncedfile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("folder", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("syncedfile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_syncedfile_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    """Drop the table and the column."""
    op.drop_table("syncedfile")
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_column("payment_terms")
