"""a withdrawn complaint is remembered, its messages are found by its id, and a phone
task can be cancelled

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_ref", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    # A withdrawal cancels every message still queued about the complaint.
    op.create_index("ix_message_complaint_id", "message", ["complaint_id"])
    with op.batch_alter_table("phone_task", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=8), type_=sa.String(length=10)
        )


def downgrade() -> None:
    op.execute("UPDATE phone_task SET status = 'done' WHERE status = 'cancelled'")
    with op.batch_alter_table("phone_task", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=10), type_=sa.String(length=8)
        )
    op.drop_index("ix_message_complaint_id", table_name="message")
    with op.batch_alter_table("complaint_ref", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_at")
