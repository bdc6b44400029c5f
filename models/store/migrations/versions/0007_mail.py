"""E-mail: contact.accounts_payable and the mailsent table (each message handed to the server)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 03:30:00

contact.accounts_payable: the person reminders by e-mail go to first. mailsent: each message
Relance handed to the SMTP server, written "pending" before sending and "sent" with its history
entry once accepted (recipients, subject, Message-ID, the PDF's path and SHA-256), so a batch
interrupted half-way resumes without sending anything twice.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One column on contact; one new table (each only if absent: a database whose revision
    was set back, as the migration tests of earlier revisions do, runs this again safely)."""
    inspector = sa.inspect(op.get_bind())
    columns = {c["name"] for c in inspector.get_columns("contact")}
    if "accounts_payable" not in columns:
        with op.batch_alter_table("contact", schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "accounts_payable", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )
    if inspector.has_table("mailsent"):
        return
    op.create_table(
        "mailsent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("invoice_ids", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("recipients", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attachment_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attachment_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("mailsent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mailsent_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mailsent_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mailsent_status"), ["status"], unique=False)


def downgrade() -> None:
    """Drop the table and the column."""
    op.drop_table("mailsent")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("accounts_payable")
