"""API models of notices: what an office sends, what readers get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from notify.notices.rules import Channel, Kind, ScopeKind
from shared.http.pagination import Page

ScopeId = Annotated[str, Field(min_length=1, max_length=64)]


class Closed(BaseModel):
    """Refuses fields nobody asked for: a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid")


class NoticeCreate(Closed):
    """A notice to publish now or at `publish_at`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "site_id": "demo",
                    "scope": "site",
                    "kind": "water_outage",
                    "title": "12月8日停水通知",
                    "body": "因二次供水水箱清洗，12月8日9:00至15:00停水，请提前储水。",
                    "starts_at": "2026-12-08T09:00:00+08:00",
                    "ends_at": "2026-12-08T15:00:00+08:00",
                }
            ]
        },
    )

    site_id: str = Field(min_length=1, max_length=64)
    scope: ScopeKind = "site"
    scope_ids: list[ScopeId] = Field(
        default_factory=list,
        max_length=2000,
        description="units by id; buildings by id or by their code (3栋)",
    )
    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5000)
    starts_at: AwareDatetime | None = Field(default=None, description="the disruption starts")
    ends_at: AwareDatetime | None = Field(default=None, description="the disruption ends")
    publish_at: AwareDatetime | None = Field(default=None, description="default: now")
    channels: list[Channel] | None = Field(
        default=None, min_length=1, description="default: each household's own channels"
    )


class NoticeUpdate(Closed):
    """The fields to change; a published notice changes its text and times only."""

    scope: ScopeKind | None = None
    scope_ids: list[ScopeId] | None = Field(default=None, max_length=2000)
    kind: Kind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=5000)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    publish_at: AwareDatetime | None = None
    channels: list[Channel] | None = Field(default=None, min_length=1)


class NoticeCancel(Closed):
    """Why the work is off; told to the households that got the notice."""

    reason: str | None = Field(default=None, max_length=500)


class NoticeRead(BaseModel):
    """A notice as stored."""

    id: str
    site_id: str
    kind: str
    essential: bool
    scope: str
    scope_ids: list[str]
    title: str
    body: str
    starts_at: datetime | None
    ends_at: datetime | None
    publish_at: datetime
    channels: list[str] | None
    status: str
    revision: int
    recipients: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None


NoticePage = Page[NoticeRead]
