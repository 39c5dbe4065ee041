"""Events produced by notify: messages delivered and callbacks (return visits) done or given
up."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts.base import Event


class NotificationSent(Event):
    """A message about a complaint reached (or was handed to) its channel."""

    type = "notification.sent"
    source = "notify"

    notification_id: str
    site_id: str
    complaint_id: str | None = None
    kind: str
    channel: Literal["sms", "email", "webhook", "phone_task", "app"]
    sent_at: datetime


class CallbackCompleted(Event):
    """A return visit asked the resident whether they are satisfied."""

    type = "callback.completed"
    source = "notify"

    callback_id: str
    case_id: str
    complaint_id: str
    site_id: str
    satisfied: bool
    comment: str | None = None
    by: str | None = None
    completed_at: datetime


class CallbackUnreachable(Event):
    """The return visit's last call went unanswered: the resident could not be reached.

    The case's site decides what becomes of the case: closed as unreachable, or escalated.
    """

    type = "callback.unreachable"
    source = "notify"

    callback_id: str
    case_id: str
    complaint_id: str
    site_id: str
    attempts: int = Field(ge=1, description="the calls made, none of them answered")
    by: str | None = Field(default=None, description="staff id of whoever made the last call")
    unreachable_at: datetime
