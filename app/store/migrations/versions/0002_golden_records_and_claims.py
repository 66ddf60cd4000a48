"""golden records and claims

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("item"),
    )
    op.create_table(
        "golden",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_stable_id", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("source_table", sa.String(length=120), nullable=True),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_stable_id", "field"),
    )
    with op.batch_alter_table("golden", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_golden_group_stable_id"), ["group_stable_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("golden", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_golden_group_stable_id"))

    op.drop_table("golden")
    op.drop_table("claims")
