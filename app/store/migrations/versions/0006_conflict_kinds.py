"""conflicts keep their kind, and a chain exception the system behind and its age

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("behind", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("age_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_column("age_days")
        batch_op.drop_column("behind")
        batch_op.drop_column("kind")
