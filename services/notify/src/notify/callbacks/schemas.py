"""API models of callbacks: the queue staff work, and the outcome they record."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from notify.callbacks.rules import MAX_COMMENT
from shared.contracts.notify import SatisfactionLevel
from shared.http.pagination import Page


class AttemptIn(BaseModel):
    """One call to the resident: reached or not, satisfied or not, what they said."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reached": True,
                    "outcome_level": "satisfied",
                    "speed_level": "very_satisfied",
                    "attitude_level": "satisfied",
                    "comment": "维修很及时",
                },
                {"reached": False, "comment": "无人接听"},
            ]
        },
    )

    reached: bool
    satisfied: bool | None = Field(
        default=None,
        description="required when reached, unless outcome_level says it (very satisfied or"
        " satisfied is satisfied)",
    )
    outcome_level: SatisfactionLevel | None = Field(
        default=None, description="satisfaction with the outcome, on the five-level scale"
    )
    speed_level: SatisfactionLevel | None = Field(
        default=None, description="satisfaction with how fast the complaint was handled"
    )
    attitude_level: SatisfactionLevel | None = Field(
        default=None, description="satisfaction with the staff's attitude"
    )
    comment: str | None = Field(default=None, max_length=MAX_COMMENT)


class AttemptRead(BaseModel):
    via: str
    by: str | None
    reached: bool
    satisfied: bool | None
    outcome_level: str | None = None
    speed_level: str | None = None
    attitude_level: str | None = None
    comment: str | None
    at: datetime


class CallbackContact(BaseModel):
    """Whom to call: the household as notify knows it from intake's directory, or the
    visitor as they gave their name and phone (no building or unit)."""

    name: str
    phone: str | None
    building: str | None
    unit: str | None


class CallbackRead(BaseModel):
    """A callback as the queue shows it; `state` is pending, due, overdue or finished."""

    id: str
    site_id: str
    origin: str
    case_id: str | None
    complaint_id: str | None
    household_id: str | None
    reference: str | None
    summary: str | None
    locale: str
    status: str
    state: str
    due_at: datetime
    overdue_at: datetime
    attempts: int
    created_at: datetime
    completed_at: datetime | None
    completed_via: str | None
    completed_by: str | None
    satisfied: bool | None
    outcome_level: str | None = None
    speed_level: str | None = None
    attitude_level: str | None = None
    comment: str | None
    link_expires_at: datetime | None
    contact: CallbackContact | None = Field(
        default=None,
        description="the household's or visitor's contact; none when notify has neither",
    )
    history: list[AttemptRead] | None = None


CallbackPage = Page[CallbackRead]
