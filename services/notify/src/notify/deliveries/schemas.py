"""API models of deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["queued", "sent", "delivered", "failed"]
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


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    next_cursor: str | None = None
