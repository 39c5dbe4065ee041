"""reminders of who has not answered, some days before the close

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 06:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Campaigns planned before reminders existed get the default, like new ones.
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('remind_before_days', sa.Integer(), nullable=False, server_default='3')
        )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminder_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_invitation_reminder_token_hash'), ['reminder_token_hash']
        )


def downgrade() -> None:
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invitation_reminder_token_hash'), type_='unique')
        batch_op.drop_column('reminder_token_hash')
        batch_op.drop_column('reminded_at')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('remind_before_days')
