"""Notices (outages, maintenance, warnings, bulletin posts) and whom each one reached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime


class Notice(NotifyModel, table=True):
    """One notice to the households of a site, or of some of its buildings or units."""

    __tablename__ = "notice"
    __table_args__ = (
        Index("ix_notice_site_id_created_at_id", "site_id", "created_at", "id"),
        Index("ix_notice_status_publish_at", "status", "publish_at"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    kind: str = Field(sa_type=String(24))
    scope: str = Field(sa_type=String(10))
    scope_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    title: str = Field(sa_type=String(200))
    body: str = Field(sa_type=Text())
    starts_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    publish_at: datetime = Field(sa_type=UtcDateTime())
    channels: list[str] | None = Field(default=None, sa_type=JSON)
    status: str = Field(sa_type=String(10))
    revision: int = Field(default=1, sa_type=Integer())
    recipients: int = Field(default=0, sa_type=Integer())
    created_by: str = Field(sa_type=String(100))
    created_at: datetime = Field(sa_type=UtcDateTime())
    updated_at: datetime = Field(sa_type=UtcDateTime())
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class NoticeRecipient(NotifyModel, table=True):
    """A household channel a published notice reached; its updates go to exactly these."""

    __tablename__ = "notice_recipient"

    notice_id: str = Field(primary_key=True, sa_type=String(64))
    recipient_key: str = Field(primary_key=True, sa_type=String(100))
    channel: str = Field(primary_key=True, sa_type=String(12))
    address: str = Field(sa_type=String(500))
    locale: str = Field(sa_type=String(8))


notice = table_of(Notice)
notice_recipient = table_of(NoticeRecipient)
