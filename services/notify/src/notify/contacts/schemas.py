"""API models of contacts: household preferences and the staff directory."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.http.invalid import invalid

Channel = Literal["sms", "email", "webhook", "phone_task"]
Locale = Literal["zh-CN", "en"]
StaffRole = Literal["handler", "dept_head", "vp", "gm"]


def _http_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("https://", "http://")):
        raise invalid(
            "must be an http(s) URL; production accepts https only",
            "须是 http(s) 网址；正式环境只接受 https",
        )
    return value


class ContactPreferencesUpdate(BaseModel):
    """What a household chose; fields left out keep their value (PATCH)."""

    model_config = ConfigDict(extra="forbid")

    channels: list[Channel] | None = Field(
        default=None, description="channels to use; null: every channel with an address"
    )
    preferred_channel: Channel | None = None
    locale: Locale | None = None
    opted_out: bool | None = Field(default=None, description="no non-essential messages")
    webhook_url: str | None = Field(default=None, max_length=500, description="the app's hook")

    _url = field_validator("webhook_url")(_http_url)

    @model_validator(mode="after")
    def _preferred_is_chosen(self) -> ContactPreferencesUpdate:
        chosen = self.channels
        if chosen is not None and self.preferred_channel not in (None, *chosen):
            raise invalid(
                "preferred_channel must be one of channels",
                "preferred_channel（首选渠道）须是 channels（所选渠道）之一",
            )
        return self


class ContactRead(BaseModel):
    """How notify reaches one household; addresses are masked."""

    household_id: str
    site_id: str
    building_id: str | None
    unit_id: str | None
    unit: str
    phone: str | None
    email: str | None
    webhook_url: str | None
    channels: list[Channel] | None
    preferred_channel: Channel | None
    reached_on: list[Channel] = Field(description="the channels messages go out on now")
    locale: Locale | None
    opted_out: bool
    removed: bool
    updated_at: datetime
    preferences_at: datetime | None


class ContactPage(BaseModel):
    items: list[ContactRead]
    next_cursor: str | None = None


class StaffContactIn(BaseModel):
    """One member of staff notify can reach."""

    model_config = ConfigDict(extra="forbid")

    staff_id: str = Field(min_length=1, max_length=64)
    department: str | None = Field(default=None, max_length=64)
    role: StaffRole
    name: str = Field(default="", max_length=100)
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=24)
    webhook_url: str | None = Field(default=None, max_length=500)
    locale: Locale = "zh-CN"

    _url = field_validator("webhook_url")(_http_url)


class StaffDirectoryIn(BaseModel):
    """The whole staff directory of a site, replaced at once."""

    model_config = ConfigDict(extra="forbid")

    staff: list[StaffContactIn] = Field(max_length=5000)

    @model_validator(mode="after")
    def _unique(self) -> StaffDirectoryIn:
        ids = [s.staff_id for s in self.staff]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            listed = ", ".join(twice)
            raise invalid(
                f"staff_id listed more than once: {listed}",
                f"staff_id（员工编号）重复出现：{listed}",
            )
        return self


class StaffContactRead(StaffContactIn):
    model_config = ConfigDict(from_attributes=True)

    site_id: str


class StaffDirectoryRead(BaseModel):
    site_id: str
    staff: list[StaffContactRead]
