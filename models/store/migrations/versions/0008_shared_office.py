"""Shared office: row versions, who did each history line, the change counter (issue 18)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:20:00

client, contact, invoice, payment: `version` (optimistic locking: an edit made on a stale copy
is refused), with who made the last change, when, and what it was. action.done_by: who
recorded the line (nullable: older lines do not say). change_counter: one row bumped by every
write, which the window polls to follow the changes made from other machines.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

VERSIONED = ("client", "contact", "invoice", "payment")


def _version_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column(
            "changed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
        ),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column(
            "change_note", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
        ),
    ]


def upgrade() -> None:
    """Add each column and the table only when absent (a stamp set back runs this again)."""
    inspector = sa.inspect(op.get_bind())
    for table in VERSIONED:
        present = {c["name"] for c in inspector.get_columns(table)}
        wanted = [c for c in _version_columns() if c.name not in present]
        if wanted:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for column in wanted:
                    batch_op.add_column(column)
    if "done_by" not in {c["name"] for c in inspector.get_columns("action")}:
        with op.batch_alter_table("action", schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("done_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
            )
    if not inspector.has_table("changecounter"):
        op.create_table(
            "changecounter",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
    if not op.get_bind().execute(sa.text("SELECT 1 FROM changecounter WHERE id = 1")).first():
        op.get_bind().execute(sa.text("INSERT INTO changecounter (id, n) VALUES (1, 0)"))


def downgrade() -> None:
    """Drop the table and the columns."""
    op.drop_table("changecounter")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_column("done_by")
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("change_note", "changed_at", "changed_by", "version"):
                batch_op.drop_column(column)
