"""Every service's first revision, 0001: the shared tables, created and dropped.

Each service's `migrations/versions/0001_shared_tables.py` takes its `upgrade` and
`downgrade` from here (named so, because Alembic logs "Running upgrade -> 0001" by the
function's name), so the five services build the outbox, inbox, timer, idempotency-key and
aggregate-position tables from one description. The steps are written out, not derived
from `shared.db.tables`: a migration is a record of what a revision did, and must not change
when the models do (a change to a shared table is a new revision in every service).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UNPUBLISHED = "published_at IS NULL"


def upgrade() -> None:
    """Create the shared tables and their indexes."""
    _create_aggregate_position()
    _create_idempotency_key()
    _create_inbox()
    _create_outbox()
    _create_timer()


def downgrade() -> None:
    """Drop what `upgrade` made, in the opposite order."""
    with op.batch_alter_table("timer", schema=None) as batch_op:
        batch_op.drop_index("uq_timer_kind_key")
        batch_op.drop_index("ix_timer_due_at")
    op.drop_table("timer")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_unpublished",
            postgresql_where=sa.text(_UNPUBLISHED),
            sqlite_where=sa.text(_UNPUBLISHED),
        )
    op.drop_table("outbox")
    op.drop_table("inbox")
    op.drop_table("idempotency_key")
    op.drop_table("aggregate_position")


def _create_aggregate_position() -> None:
    op.create_table(
        "aggregate_position",
        sa.Column("aggregate_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("aggregate_id", name=op.f("pk_aggregate_position")),
    )


def _create_idempotency_key() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_key")),
    )


def _create_inbox() -> None:
    op.create_table(
        "inbox",
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbox")),
    )


def _create_outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", _SEQ, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("id", name=op.f("uq_outbox_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_unpublished",
            ["seq"],
            unique=False,
            postgresql_where=sa.text(_UNPUBLISHED),
            sqlite_where=sa.text(_UNPUBLISHED),
        )


def _create_timer() -> None:
    op.create_table(
        "timer",
        sa.Column("id", _SEQ, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=True),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timer")),
    )
    with op.batch_alter_table("timer", schema=None) as batch_op:
        batch_op.create_index("ix_timer_due_at", ["due_at"], unique=False)
        batch_op.create_index("uq_timer_kind_key", ["kind", "key"], unique=True)
