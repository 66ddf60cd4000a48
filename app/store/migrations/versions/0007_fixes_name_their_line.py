"""a fix to one line of a document names that line (its column and value)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("line", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        batch_op.drop_column("line")
