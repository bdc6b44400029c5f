"""Bank statements: the bank_entry table (each credit read, once) and its link to payments

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 13:10:00

bank_entry: each credit read from a bank statement, unique by account and bank identity (the
bank's reference or a SHA-256 of date, amount and text), with what became of it (applied, to
reconcile, not ours) and the history line it wrote. bank_entry_payment: the payments it made.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Two new tables (each only if absent: a database whose revision was set back runs this
    again safely)."""
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("bank_entry"):
        op.create_table(
            "bank_entry",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("account", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("identity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("booking_date", sa.Date(), nullable=False),
            sa.Column("amount_cents", sa.Integer(), nullable=False),
            sa.Column("debtor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("end_to_end_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("bank_reference", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("imported_on", sa.Date(), nullable=False),
            sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("client_id", sa.Integer(), nullable=True),
            sa.Column("action_id", sa.Integer(), nullable=True),
            sa.Column("resolved_on", sa.Date(), nullable=True),
            sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.ForeignKeyConstraint(["action_id"], ["action.id"]),
            sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("account", "identity"),
        )
        with op.batch_alter_table("bank_entry", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_bank_entry_booking_date"), ["booking_date"], unique=False
            )
            batch_op.create_index(batch_op.f("ix_bank_entry_status"), ["status"], unique=False)
            batch_op.create_index(
                batch_op.f("ix_bank_entry_client_id"), ["client_id"], unique=False
            )
    if not inspector.has_table("bank_entry_payment"):
        op.create_table(
            "bank_entry_payment",
            sa.Column("bank_entry_id", sa.Integer(), nullable=False),
            sa.Column("payment_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["bank_entry_id"], ["bank_entry.id"]),
            sa.ForeignKeyConstraint(["payment_id"], ["payment.id"]),
            sa.PrimaryKeyConstraint("bank_entry_id", "payment_id"),
        )
        with op.batch_alter_table("bank_entry_payment", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_bank_entry_payment_payment_id"), ["payment_id"], unique=False
            )


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("bank_entry_payment")
    op.drop_table("bank_entry")
