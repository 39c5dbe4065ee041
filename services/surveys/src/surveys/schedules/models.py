"""Schedules: a site's regular campaign, opened by itself each period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlmodel import Field

from shared.db.typed import table_of
from shared.db.types import UtcDateTime
from surveys.db import SurveysModel


class CampaignSchedule(SurveysModel, table=True):
    """When a site's regular campaign opens, and the campaign each period gets."""

    __tablename__ = "campaign_schedule"

    site_id: str = Field(primary_key=True, sa_type=String(64))
    every: str = Field(sa_type=String(10))
    day: int = Field(description="day of the period's first month it opens on")
    hour: int = Field(description="hour of that day, in the schedule's time zone")
    timezone: str = Field(sa_type=String(64))
    days_open: int
    title: str = Field(sa_type=String(180))
    template: dict[str, Any] = Field(sa_type=JSON, description="the campaign's shape")
    next_period: str = Field(sa_type=String(20))
    next_opens_at: datetime = Field(sa_type=UtcDateTime())
    last_campaign_id: str | None = Field(default=None, sa_type=String(64))
    set_at: datetime = Field(sa_type=UtcDateTime())
    set_by: str = Field(sa_type=String(100))


campaign_schedule = table_of(CampaignSchedule)
