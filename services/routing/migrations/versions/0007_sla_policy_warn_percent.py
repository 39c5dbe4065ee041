"""when each SLA policy warns the handler: the share (percent) of a deadline's time passed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("warn_percent", sa.Integer(), server_default="80", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.drop_column("warn_percent")
