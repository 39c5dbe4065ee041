"""a callback keeps the resident's satisfaction levels: with the outcome, and with how the
complaint was handled (speed, attitude), on the five-level scale

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("callback", "callback_attempt")
LEVELS = ("outcome_level", "speed_level", "attitude_level")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in LEVELS:
                batch_op.add_column(sa.Column(name, sa.String(length=20), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(LEVELS):
                batch_op.drop_column(name)
