"""Money columns 64-bit on PostgreSQL (a shared office's ledger)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:50:00

PostgreSQL's INTEGER is 32-bit: 2 147 483 647 cents, about 21 million euros, below the largest
amount Relance accepts (999 999 999,99 EUR). The cents columns become BIGINT there. SQLite's
INTEGER already holds 64 bits: nothing changes in a SQLite file. The mail table's two times
become TIMESTAMP WITH TIME ZONE there, like every other table's (what the tables declare).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MONEY = {
    "invoice": ("amount_ht_cents", "vat_cents", "amount_ttc_cents", "deposit_cents"),
    "payment": ("amount_cents",),
    "action": ("promise_amount_cents",),
    "instalment": ("amount_cents",),
    "credit": ("amount_cents",),
    "bank_entry": ("amount_cents",),
}


def upgrade() -> None:
    """BIGINT for each money column still INTEGER (PostgreSQL only; run twice, changes nothing)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    inspector = sa.inspect(bind)
    for table, columns in MONEY.items():
        if not inspector.has_table(table):
            continue
        found = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for column in columns:
            if column in found and not isinstance(found[column], sa.BigInteger):
                op.alter_column(
                    table, column, type_=sa.BigInteger(), existing_type=sa.Integer()
                )
    if inspector.has_table("mailsent"):
        found = {c["name"]: c["type"] for c in inspector.get_columns("mailsent")}
        for column in ("created_at", "sent_at"):
            if column in found and not getattr(found[column], "timezone", False):
                op.alter_column(
                    "mailsent",
                    column,
                    type_=sa.DateTime(timezone=True),
                    existing_type=sa.DateTime(),
                )


def downgrade() -> None:
    """The money columns stay 64-bit: narrowing them could lose amounts."""
