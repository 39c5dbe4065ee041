"""API models of schedules: what a site sets, what readers get back."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, Self
from zoneinfo import available_timezones

from pydantic import BaseModel, Field, field_validator, model_validator

from shared.http.invalid import invalid
from surveys.campaigns.schemas import CampaignShape, Closed
from surveys.schedules.rules import MONTHS, Every


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


class ScheduleIn(Closed):
    """The site's regular campaign, opened by itself each period with this shape."""

    every: Every
    title: str = Field(
        min_length=1, max_length=180, description="each campaign is titled '<title> <period>'"
    )
    day: int = Field(default=1, ge=1, le=28, description="of the period's first month")
    hour: int = Field(default=9, ge=0, le=23, description="in the site's time zone")
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    days_open: int = Field(default=14, ge=1, le=336, description="from the opening to the close")
    campaign: CampaignShape = Field(default_factory=CampaignShape)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in _zones():
            raise invalid(
                "not an IANA time zone (Asia/Shanghai, Asia/Hong_Kong)",
                "不是 IANA 时区名称（如 Asia/Shanghai、Asia/Hong_Kong）",
            )
        return value

    @model_validator(mode="after")
    def _fits(self) -> Self:
        if self.days_open > 28 * MONTHS[self.every]:
            raise invalid(
                "days_open: a campaign closes before the next period's opens",
                "days_open（开放天数）：测评活动须在下一期开始前结束",
            )
        return self


class ScheduleRead(BaseModel):
    """A site's schedule, with the period it opens next."""

    site_id: str
    every: str
    title: str
    day: int
    hour: int
    timezone: str
    days_open: int
    campaign: dict[str, Any] = Field(description="the shape each period's campaign gets")
    next_period: str
    next_opens_at: datetime
    next_closes_at: datetime
    last_campaign_id: str | None = Field(description="the campaign of the last period reached")
    set_at: datetime
    set_by: str
