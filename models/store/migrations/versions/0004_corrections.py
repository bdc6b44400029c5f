"""payment and action cancelled_on/cancel_reason, payment.replaced_by, the credit table

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 03:20:00

A payment typed wrong is corrected or cancelled, never deleted: it stays, flagged, with its
reason and the payment that replaced it. Money received beyond an invoice's balance is kept
to the client's credit (table credit) and used against another of its invoices. A history
line entered by mistake (or undone) is flagged cancelled the same way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Three columns on payment (existing rows: not cancelled) and the credit table.

    Each part is added only when missing: a database stamped at an older revision whose
    tables were already made whole (as tests that replay 0003 do) upgrades cleanly.
    """
    inspector = sa.inspect(op.get_bind())
    have = {c["name"] for c in inspector.get_columns("payment")}
    with op.batch_alter_table("payment", schema=None) as batch_op:
        if "cancelled_on" not in have:
            batch_op.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        if "cancel_reason" not in have:
            batch_op.add_column(
                sa.Column("cancel_reason", sa.String(), nullable=False, server_default="")
            )
        if "replaced_by" not in have:
            batch_op.add_column(sa.Column("replaced_by", sa.Integer(), nullable=True))
    have = {c["name"] for c in inspector.get_columns("action")}
    with op.batch_alter_table("action", schema=None) as batch_op:
        if "cancelled_on" not in have:
            batch_op.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        if "cancel_reason" not in have:
            batch_op.add_column(
                sa.Column("cancel_reason", sa.String(), nullable=False, server_default="")
            )
    if inspector.has_table("credit"):
        return
    op.create_table(
        "credit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sa.String(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_credit_client_id", "credit", ["client_id"])
    op.create_index("ix_credit_payment_id", "credit", ["payment_id"])


def downgrade() -> None:
    """Drop the credit table and the three columns."""
    op.drop_index("ix_credit_payment_id", table_name="credit")
    op.drop_index("ix_credit_client_id", table_name="credit")
    op.drop_table("credit")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_on")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_column("replaced_by")
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_on")
