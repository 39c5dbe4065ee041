"""complaint reports, sites' regions, and the report's indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('complaint_report',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=30), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('complaints', sa.Integer(), nullable=False),
    sa.Column('valid', sa.Integer(), nullable=False),
    sa.Column('invalid', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_report')),
    sa.UniqueConstraint('site_id', 'period', name=op.f('uq_complaint_report_site_id_period'))
    )
    with op.batch_alter_table('complaint_report', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_report_published_at_id', ['published_at', 'id'], unique=False)

    with op.batch_alter_table('site_leadership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=64), nullable=True))

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_site_id_received_at', ['site_id', 'received_at'], unique=False)
        batch_op.create_index(
            'ix_case_escalated', ['id'], unique=False,
            postgresql_include=['site_id', 'received_at'],
            postgresql_where=sa.text('escalation_count > 0'),
            sqlite_where=sa.text('escalation_count > 0'),
        )

    escalated = sa.text("type = 'case.escalated'")
    with op.batch_alter_table('case_entry', schema=None) as batch_op:
        batch_op.create_index(
            'ix_case_entry_escalated_at', ['at'], unique=False,
            postgresql_where=escalated, sqlite_where=escalated,
        )


def downgrade() -> None:
    with op.batch_alter_table('case_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_case_entry_escalated_at')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_escalated')
        batch_op.drop_index('ix_case_site_id_received_at')

    with op.batch_alter_table('site_leadership', schema=None) as batch_op:
        batch_op.drop_column('region')

    with op.batch_alter_table('complaint_report', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_report_published_at_id')

    op.drop_table('complaint_report')
