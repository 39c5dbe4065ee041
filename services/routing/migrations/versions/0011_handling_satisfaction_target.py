"""a site sets the complaint-handling satisfaction rate it aims at (percent, default 90)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("site_policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "handling_satisfaction_target",
                sa.Integer(),
                server_default="90",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("site_policy", schema=None) as batch_op:
        batch_op.drop_column("handling_satisfaction_target")
