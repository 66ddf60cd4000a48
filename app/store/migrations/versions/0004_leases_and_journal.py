"""leases held by live processes; a write-back's journal of file replacements

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token", sa.String(length=300), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started", sa.Float(), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("acquired", sa.DateTime(), nullable=False),
        sa.Column("heartbeat", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("writebacks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("journal", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("writebacks", schema=None) as batch_op:
        batch_op.drop_column("journal")
    op.drop_table("leases")
