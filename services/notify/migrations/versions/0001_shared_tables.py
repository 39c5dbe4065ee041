"""shared tables

Revision ID: 0001
Revises:
Create Date: 2026-11-27 06:08:53.696297

The outbox, inbox, timer, idempotency-key and aggregate-position tables every service has;
their steps are written once, in shared.db.shared_migration.
"""

from collections.abc import Sequence

from shared.db.shared_migration import create_shared_tables, drop_shared_tables

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_shared_tables()


def downgrade() -> None:
    drop_shared_tables()
