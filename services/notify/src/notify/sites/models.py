"""Notify's settings of one site."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime


class NotifySite(NotifyModel, table=True):
    """What templates say about a site, and how notify behaves for it."""

    __tablename__ = "notify_site"

    site_id: str = Field(primary_key=True, sa_type=String(64))
    name: str = Field(default="", sa_type=String(100))
    contact_phone: str = Field(default="", sa_type=String(24))
    acknowledge: bool = Field(default=True, description="acknowledge complaints to residents")
    default_locale: str = Field(default="zh-CN", sa_type=String(8))
    callback_delay_hours: int = 24
    timezone: str = Field(default="Asia/Shanghai", sa_type=String(40))
    working_hours_start: str = Field(default="09:00", sa_type=String(5))
    working_hours_end: str = Field(default="18:00", sa_type=String(5))
    developer_name: str | None = Field(default=None, sa_type=String(100))
    developer_email: str | None = Field(default=None, sa_type=String(320))
    updated_at: datetime = Field(sa_type=UtcDateTime())


notify_site = table_of(NotifySite)
