"""a case keeps its latest callback's levels (outcome, speed, attitude) on the five-level
scale, so that the report measures how complaints were handled apart from their outcome

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVELS = ("outcome_level", "speed_level", "attitude_level")


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        for name in LEVELS:
            batch_op.add_column(sa.Column(name, sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        for name in reversed(LEVELS):
            batch_op.drop_column(name)
