"""an action opened by a survey keeps the campaign's title and the answers its rate came from

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("corrective_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("answers_before", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("corrective_action", schema=None) as batch_op:
        batch_op.drop_column("answers_before")
        batch_op.drop_column("campaign_title")
