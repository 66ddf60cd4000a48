"""merges written back to their systems

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("group_stable_id", sa.String(length=40), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("proposed", sa.DateTime(), nullable=False),
        sa.Column("writeback_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["writeback_id"], ["writebacks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merges_group_stable_id"), ["group_stable_id"], unique=False
        )
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merge_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_fixes_merge_id"), ["merge_id"], unique=False)
        batch_op.create_foreign_key("fk_fixes_merge_id_merges", "merges", ["merge_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_fixes_merge_id_merges", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_fixes_merge_id"))
        batch_op.drop_column("merge_id")
    with op.batch_alter_table("merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merges_group_stable_id"))
    op.drop_table("merges")
