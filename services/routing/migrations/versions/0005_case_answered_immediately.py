"""cases answered on the spot, marked so that their validity can still be judged

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('answered_immediately', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Only a case opened resolved has its case.resolved as its second event: any other case
    # was accepted (or handed a notice) before it could be resolved.
    op.execute(
        "UPDATE \"case\" SET answered_immediately = TRUE WHERE id IN ("
        "SELECT case_id FROM case_entry WHERE type = 'case.resolved' AND version = 2)"
    )


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('answered_immediately')
