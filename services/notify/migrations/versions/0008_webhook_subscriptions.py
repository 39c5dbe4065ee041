"""webhook subscriptions for call-center systems: each one's sites and delivery log, the
status changes held until their complaint is received; a delivery names its subscription;
a complaint keeps who filed it and their reference

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 11:18:20.254865
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('webhook_attempt',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('delivery_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempt'))
    )
    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_attempt_delivery_id', ['delivery_id'], unique=False)

    op.create_table('webhook_held_event',
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('complaint_id', sa.String(length=64), nullable=False),
    sa.Column('aggregate_version', sa.Integer(), nullable=True),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_webhook_held_event'))
    )
    with op.batch_alter_table('webhook_held_event', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_held_event_complaint_id', ['complaint_id'], unique=False)

    op.create_table('webhook_subscription',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('filer', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('event_types', sa.JSON(), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('previous_secret', sa.String(length=100), nullable=True),
    sa.Column('previous_secret_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('paused_reason', sa.String(length=20), nullable=True),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscription'))
    )
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_subscription_filer', ['filer'], unique=False)

    op.create_table('webhook_subscription_site',
    sa.Column('subscription_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('site_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('subscription_id', 'site_id', name=op.f('pk_webhook_subscription_site'))
    )
    with op.batch_alter_table('webhook_subscription_site', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_subscription_site_site_id', ['site_id'], unique=False)

    with op.batch_alter_table('complaint_ref', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('external_ref', sa.String(length=100), nullable=True))

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subscription_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index('ix_delivery_subscription_id_status', ['subscription_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_subscription_id_status')
        batch_op.drop_column('subscription_id')

    with op.batch_alter_table('complaint_ref', schema=None) as batch_op:
        batch_op.drop_column('external_ref')
        batch_op.drop_column('filed_by')

    with op.batch_alter_table('webhook_subscription_site', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_subscription_site_site_id')

    op.drop_table('webhook_subscription_site')
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_subscription_filer')

    op.drop_table('webhook_subscription')
    with op.batch_alter_table('webhook_held_event', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_held_event_complaint_id')

    op.drop_table('webhook_held_event')
    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_attempt_delivery_id')

    op.drop_table('webhook_attempt')
