"""API models of deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["queued", "sent", "delivered", "failed", "cancelled"]
ChannelName = Literal["sms", "email", "webhook", "phone_task"]


class DeliveryRead(BaseModel):
    """One message to one recipient on one channel, and how it went."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    message_id: int
    source_id: str
    kind: str
    complaint_id: str | None
    recipient_key: str
    channel: ChannelName
    site_id: str
    status: Status
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    building: str | None = None
    """The household's building as residents name it (None for staff and for households
    notify no longer knows)."""
    unit: str | None = None
    """The household's unit number within its building."""


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    next_cursor: str | None = None


class DeliveryCount(BaseModel):
    """How many deliveries of one message kind went out on one channel with one outcome."""

    kind: str
    channel: ChannelName
    status: Status
    count: int
    failing: int
    """Of these, how many failed their last try (failed, or queued again for a retry)."""


class DeliveryCounts(BaseModel):
    items: list[DeliveryCount]
