"""API models of site settings."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.http.invalid import invalid

Locale = Literal["zh-CN", "en"]
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class SiteSettingsIn(BaseModel):
    """How notify speaks for one site and when its staff work."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    name: str = Field(min_length=1, max_length=100, description="shown in every message")
    contact_phone: str = Field(default="", max_length=24, description="the site's service line")
    acknowledge: bool = Field(default=True, description="acknowledge complaints to residents")
    default_locale: Locale = "zh-CN"
    callback_delay_hours: int = Field(default=24, ge=0, le=720)
    timezone: str = Field(default="Asia/Shanghai", max_length=40)
    working_hours_start: str = Field(default="09:00", pattern=HHMM)
    working_hours_end: str = Field(default="18:00", pattern=HHMM)
    developer_name: str | None = Field(
        default=None, min_length=1, max_length=100, description="whom complaints go to"
    )
    developer_email: str | None = Field(
        default=None,
        max_length=320,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="where a complaint forwarded to the developer is mailed",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise invalid(
                f"unknown time zone {value!r}; use an IANA name",
                f"未知的时区 {value!r}；请使用 IANA 时区名称（如 Asia/Shanghai）",
            ) from None
        return value

    @model_validator(mode="after")
    def _hours_in_order(self) -> SiteSettingsIn:
        if self.working_hours_start >= self.working_hours_end:
            raise invalid(
                "working_hours_start must come before working_hours_end",
                "working_hours_start（上班时间）须早于 working_hours_end（下班时间）",
            )
        return self


class SiteSettingsRead(SiteSettingsIn):
    """A site's settings as stored."""

    site_id: str
    updated_at: datetime
