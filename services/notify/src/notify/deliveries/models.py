"""Messages and deliveries.

A message is one kind rendered once per locale for one source (an event id, or
`notice:<id>:<revision>`); a delivery is that message to one recipient on one channel. The
unique (source_id, recipient_key, channel) is the "at most one message per event, recipient
and channel" rule: duplicates die in the database, not in process memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class Message(NotifyModel, table=True):
    """One rendered text (subject and body) of one kind, source and locale."""

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("source_id", "kind", "locale"),
        Index("ix_message_complaint_id", "complaint_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    source_id: str = Field(sa_type=String(200))
    kind: str = Field(sa_type=String(40))
    locale: str = Field(sa_type=String(8))
    site_id: str = Field(sa_type=String(64))
    complaint_id: str | None = Field(default=None, sa_type=String(64))
    correlation_id: str | None = Field(default=None, sa_type=String(64))
    subject: str = Field(sa_type=Text)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime())


class Delivery(NotifyModel, table=True):
    """One message to one recipient on one channel: queued, sent, delivered or failed —
    or cancelled while queued, when its complaint was withdrawn."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("source_id", "recipient_key", "channel"),
        Index("ix_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_delivery_site_id_created_at", "site_id", "created_at"),
        Index("ix_delivery_message_id", "message_id"),
        Index("ix_delivery_subscription_id_status", "subscription_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    message_id: int = Field(sa_type=_Seq)
    source_id: str = Field(sa_type=String(200))
    recipient_key: str = Field(sa_type=String(100))
    channel: str = Field(sa_type=String(12))
    address: str = Field(default="", sa_type=String(500))
    site_id: str = Field(sa_type=String(64))
    status: str = Field(default="queued", sa_type=String(10))
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    last_error: str | None = Field(default=None, sa_type=Text)
    provider_ref: str | None = Field(default=None, sa_type=String(100))
    created_at: datetime = Field(sa_type=UtcDateTime())
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    failed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    subscription_id: int | None = Field(
        default=None, sa_type=_Seq, description="set for a webhook subscription's status event"
    )


message = table_of(Message)
delivery = table_of(Delivery)
