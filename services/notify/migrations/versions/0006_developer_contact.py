"""a site's developer contact, so that a complaint forwarded to the developer and its
follow-up reminders are mailed to them

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notify_site", schema=None) as batch_op:
        batch_op.add_column(sa.Column("developer_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("developer_email", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notify_site", schema=None) as batch_op:
        batch_op.drop_column("developer_email")
        batch_op.drop_column("developer_name")
