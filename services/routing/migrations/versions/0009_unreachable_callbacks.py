"""a callback that reaches nobody closes the case as unreachable or escalates it, by site

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("site_policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "unreachable_callbacks",
                sa.String(length=10),
                server_default="close",
                nullable=False,
            )
        )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unreachable_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("closed_unreachable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_column("closed_unreachable")
        batch_op.drop_column("unreachable_count")
    with op.batch_alter_table("site_policy", schema=None) as batch_op:
        batch_op.drop_column("unreachable_callbacks")
