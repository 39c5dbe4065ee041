"""Events produced by notify: messages delivered and callbacks (return visits) done or given
up."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import Field

from shared.contracts.base import Event

SatisfactionLevel = Literal[
    "very_satisfied", "satisfied", "fairly_satisfied", "neutral", "dissatisfied"
]
"""The five-level scale of DESIGN.md's glossary (很满意、满意、较满意、一般、不满意), keyed as
surveys keys it."""

NoticeKind = Literal[
    "water_outage",
    "power_outage",
    "lift_maintenance",
    "water_tank_cleaning",
    "safety_warning",
    "regulation",
    "general",
]
"""What a site notice is about, in the order a form offers them."""
NOTICE_KINDS: tuple[NoticeKind, ...] = get_args(NoticeKind)
DISRUPTIONS: tuple[NoticeKind, ...] = NOTICE_KINDS[:4]
"""Work that disturbs residents' lives: announced beforehand, with its start and end."""
SIGNED: tuple[NoticeKind, ...] = (*DISRUPTIONS, "safety_warning")
"""Kinds that disturb safety or daily life, so a warning sign is posted on site."""


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
    recipient: str | None = Field(
        default=None,
        description=(
            "whom it went to, as a key with no personal data: household:<id>, staff:<id>,"
            " visitor:<complaint id> or developer:<site id>"
        ),
    )


class CallbackCompleted(Event):
    """A return visit asked the resident whether they are satisfied."""

    type = "callback.completed"
    source = "notify"

    callback_id: str
    case_id: str
    complaint_id: str
    site_id: str
    satisfied: bool = Field(description="the outcome level is very satisfied or satisfied")
    outcome_level: SatisfactionLevel | None = Field(
        default=None, description="satisfaction with the outcome; none from an old client"
    )
    speed_level: SatisfactionLevel | None = Field(
        default=None, description="satisfaction with how fast the complaint was handled"
    )
    attitude_level: SatisfactionLevel | None = Field(
        default=None, description="satisfaction with the staff's attitude while handling it"
    )
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


class WebhookSubscriptionPaused(Event):
    """A call-center's webhook subscription kept failing and notify paused it: its events
    wait, undelivered, until the integrator (or an admin) resumes it."""

    type = "webhook_subscription.paused"
    source = "notify"

    subscription_id: str
    owner: str = Field(description="token subject of the integration that manages it")
    site_ids: list[str] = Field(description="the sites it covers (`*`: every site)")
    reason: Literal["failing"] = "failing"
    consecutive_failures: int = Field(ge=1, description="deliveries failed for good in a row")
    last_error: str | None = Field(default=None, description="what the last attempt met")
    paused_at: datetime
