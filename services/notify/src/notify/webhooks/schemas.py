"""API models of webhook subscriptions and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from notify.webhooks import rules
from notify.webhooks.rules import EventType
from shared.http.invalid import invalid

SiteId = Annotated[str, Field(min_length=1, max_length=64)]
Status = Literal["active", "paused"]


class Closed(BaseModel):
    """Refuses fields nobody asked for: a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid")


def _url(value: str | None) -> str | None:
    problem = None if value is None else rules.url_problem(value)
    if problem:
        raise invalid(*problem)
    return value


class WebhookSubscriptionCreate(Closed):
    """Where to send the status changes of the complaints the caller files, and which."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://cc.example.com/careloop/hooks",
                    "event_types": ["complaint.received", "complaint.resolved"],
                    "site_ids": ["demo"],
                    "description": "呼叫中心工单系统",
                }
            ]
        },
    )

    url: str = Field(max_length=500, description="http(s) endpoint; https only in production")
    event_types: list[EventType] = Field(
        default_factory=lambda: list(rules.EVENT_TYPES),
        min_length=1,
        description="default: every status change",
    )
    site_ids: list[SiteId] = Field(
        min_length=1, max_length=200, description="sites of the caller's; `*` for every site"
    )
    secret: str | None = Field(
        default=None,
        max_length=100,
        description="a `whsec_<base64>` secret (24-64 bytes); default: one is generated and "
        "returned once",
    )
    description: str | None = Field(default=None, max_length=200)
    filer: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="whose complaints (a token subject); default and, for callcenter, only "
        "the caller's own",
    )

    _check_url = field_validator("url")(_url)

    @field_validator("secret")
    @classmethod
    def _check_secret(cls, value: str | None) -> str | None:
        problem = None if value is None else rules.secret_problem(value)
        if problem:
            raise invalid(*problem)
        return value


class WebhookSubscriptionUpdate(Closed):
    """The fields to change; `status` pauses or resumes the subscription."""

    url: str | None = Field(default=None, max_length=500)
    event_types: list[EventType] | None = Field(default=None, min_length=1)
    site_ids: list[SiteId] | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=200)
    status: Status | None = Field(
        default=None,
        description="paused: hold its deliveries; active: send them, and again those that "
        "failed while it was failing",
    )

    _check_url = field_validator("url")(_url)


class WebhookSubscriptionRead(BaseModel):
    """A subscription as its integrator sees it (never its secret)."""

    id: int
    owner: str
    filer: str
    url: str
    description: str | None
    event_types: list[EventType]
    site_ids: list[str]
    status: Status
    paused_reason: Literal["failing", "requested"] | None
    paused_at: datetime | None
    consecutive_failures: int = Field(description="deliveries failed for good in a row")
    failing_since: datetime | None
    previous_secret_until: datetime | None = Field(
        description="after a rotation, until when the old secret signs too"
    )
    created_at: datetime
    updated_at: datetime


class WebhookSubscriptionCreated(WebhookSubscriptionRead):
    """The new subscription with its secret, shown this once."""

    secret: str


class WebhookSecretRotated(BaseModel):
    """The subscription's new secret, shown this once; the old one signs too until
    `previous_secret_until`."""

    id: int
    secret: str
    previous_secret_until: datetime


class WebhookSubscriptionPage(BaseModel):
    items: list[WebhookSubscriptionRead]
    next_cursor: str | None = None


class WebhookAttemptRead(BaseModel):
    """One try: when, what the receiver answered, what came of it."""

    attempt: int
    attempted_at: datetime
    status_code: int | None
    outcome: Literal["sent", "retry", "failed"]
    error: str | None


class WebhookDeliveryRead(BaseModel):
    """One status change sent (or to be sent) to the subscription, with every try."""

    id: int
    webhook_id: str = Field(description="the `webhook-id` header: the same on every retry")
    type: str
    complaint_id: str | None
    status: Literal["queued", "sent", "failed", "cancelled"]
    attempts: int
    next_attempt_at: datetime | None = Field(description="when it is tried next, if queued")
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    tries: list[WebhookAttemptRead]


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryRead]
    next_cursor: str | None = None
