"""notices, their recipients, callbacks and callback attempts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_ids", sa.JSON(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _at("starts_at", True),
        _at("ends_at", True),
        _at("publish_at"),
        sa.Column("channels", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        _at("published_at", True),
        _at("cancelled_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notice_site_id_created_at_id", ["site_id", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_notice_status_publish_at", ["status", "publish_at"], unique=False)

    op.create_table(
        "notice_recipient",
        sa.Column("notice_id", sa.String(length=64), nullable=False),
        sa.Column("recipient_key", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint(
            "notice_id", "recipient_key", "channel", name=op.f("pk_notice_recipient")
        ),
    )
    op.create_table(
        "callback",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("origin_key", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("complaint_id", sa.String(length=64), nullable=True),
        sa.Column("household_id", sa.String(length=64), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        _at("due_at"),
        _at("overdue_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("completed_at", True),
        sa.Column("completed_via", sa.String(length=8), nullable=True),
        sa.Column("completed_by", sa.String(length=100), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        _at("link_expires_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
        sa.UniqueConstraint("origin_key", name=op.f("uq_callback_origin_key")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_callback_token_hash")),
    )
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.create_index("ix_callback_case_id", ["case_id"], unique=False)
        batch_op.create_index(
            "ix_callback_site_id_status_due_at_id",
            ["site_id", "status", "due_at", "id"],
            unique=False,
        )
        batch_op.create_index("ix_callback_status_due_at", ["status", "due_at"], unique=False)

    op.create_table(
        "callback_attempt",
        sa.Column("id", _Seq, autoincrement=True, nullable=False),
        sa.Column("callback_id", sa.String(length=64), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=True),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        _at("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_attempt")),
    )
    with op.batch_alter_table("callback_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_callback_attempt_callback_id_id", ["callback_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("callback_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_attempt_callback_id_id")
    op.drop_table("callback_attempt")
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_status_due_at")
        batch_op.drop_index("ix_callback_site_id_status_due_at_id")
        batch_op.drop_index("ix_callback_case_id")
    op.drop_table("callback")
    op.drop_table("notice_recipient")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_status_publish_at")
        batch_op.drop_index("ix_notice_site_id_created_at_id")
    op.drop_table("notice")
