"""Webhook subscriptions, the sites each covers, and every attempt of their deliveries.

A subscription's deliveries are rows of `delivery` (channel webhook, `subscription_id` set),
so the dispatcher sends, retries and backs them off like any other; `webhook_attempt` is the
log its integrator reads: one row per try, with the receiver's status code.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class WebhookSubscription(NotifyModel, table=True):
    """One integrator's endpoint: where, signed with what, for which status changes of the
    complaints `filer` filed; active, or paused (by request, or because it kept failing)."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (Index("ix_webhook_subscription_filer", "filer"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    owner: str = Field(sa_type=String(200), description="token subject that manages it")
    filer: str = Field(sa_type=String(200), description="token subject whose complaints it hears")
    url: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=String(200))
    event_types: list[str] = Field(sa_type=JSON)
    secret: str = Field(sa_type=String(100))
    previous_secret: str | None = Field(default=None, sa_type=String(100))
    previous_secret_until: datetime | None = Field(default=None, sa_type=UtcDateTime())
    status: str = Field(default="active", sa_type=String(10))
    paused_reason: str | None = Field(default=None, sa_type=String(20))
    paused_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    consecutive_failures: int = 0
    failing_since: datetime | None = Field(default=None, sa_type=UtcDateTime())
    created_at: datetime = Field(sa_type=UtcDateTime())
    updated_at: datetime = Field(sa_type=UtcDateTime())


class WebhookSubscriptionSite(NotifyModel, table=True):
    """A site whose complaints the subscription hears of (`*`: every site)."""

    __tablename__ = "webhook_subscription_site"
    __table_args__ = (Index("ix_webhook_subscription_site_site_id", "site_id"),)

    subscription_id: int = Field(primary_key=True, sa_type=_Seq)
    site_id: str = Field(primary_key=True, sa_type=String(64))


class WebhookAttempt(NotifyModel, table=True):
    """One try of one subscription delivery: when, what the receiver answered, what came of it."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_delivery_id", "delivery_id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    delivery_id: int = Field(sa_type=_Seq)
    attempt: int
    attempted_at: datetime = Field(sa_type=UtcDateTime())
    status_code: int | None = None
    outcome: str = Field(sa_type=String(10), description="sent, retry or failed")
    error: str | None = Field(default=None, sa_type=Text)


webhook_subscription = table_of(WebhookSubscription)
webhook_subscription_site = table_of(WebhookSubscriptionSite)
webhook_attempt = table_of(WebhookAttempt)


class WebhookHeldEvent(NotifyModel, table=True):
    """A status change that overtook its complaint's `complaint.received` (notify does not
    know the filer yet): kept, and fanned out right after that complaint's received."""

    __tablename__ = "webhook_held_event"
    __table_args__ = (Index("ix_webhook_held_event_complaint_id", "complaint_id"),)

    source_id: str = Field(primary_key=True, sa_type=String(200))
    complaint_id: str = Field(sa_type=String(64))
    aggregate_version: int | None = None
    envelope: str = Field(sa_type=Text, description="the event's envelope, as JSON")
    created_at: datetime = Field(sa_type=UtcDateTime())


webhook_held_event = table_of(WebhookHeldEvent)
