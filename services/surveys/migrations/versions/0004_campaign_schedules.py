"""each site's campaign schedule: its regular campaign opened every period

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('campaign_schedule',
    sa.Column('site_id', sa.String(length=64), nullable=False),
    sa.Column('every', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('days_open', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=180), nullable=False),
    sa.Column('template', sa.JSON(), nullable=False),
    sa.Column('next_period', sa.String(length=20), nullable=False),
    sa.Column('next_opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_campaign_id', sa.String(length=64), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_campaign_schedule'))
    )


def downgrade() -> None:
    op.drop_table('campaign_schedule')
