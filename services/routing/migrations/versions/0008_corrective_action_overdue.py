"""a corrective action past its due time goes up its owner's chain: its level and holder

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("corrective_action", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=10), server_default="handler", nullable=False)
        )
        batch_op.add_column(sa.Column("escalated_to", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("corrective_action", schema=None) as batch_op:
        batch_op.drop_column("overdue_at")
        batch_op.drop_column("escalated_to")
        batch_op.drop_column("level")
