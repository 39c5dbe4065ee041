"""a visitor's contact is kept with their complaint, so that they are answered and called
back, until retention clears it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_ref", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visitor_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("visitor_phone", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("visitor_email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("received_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint_ref", schema=None) as batch_op:
        batch_op.drop_column("received_at")
        batch_op.drop_column("visitor_email")
        batch_op.drop_column("visitor_phone")
        batch_op.drop_column("visitor_name")
