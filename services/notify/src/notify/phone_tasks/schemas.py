"""API models of phone tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["open", "done", "cancelled"]


class PhoneTaskRead(BaseModel):
    """A call to make: whom, which number, what to say."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    delivery_id: int
    site_id: str
    recipient_key: str
    phone: str
    kind: str
    subject: str
    body: str
    status: Status
    created_at: datetime
    done_at: datetime | None
    done_by: str | None
    reached: bool | None
    note: str | None


class PhoneTaskPage(BaseModel):
    items: list[PhoneTaskRead]
    next_cursor: str | None = None


class PhoneTaskDone(BaseModel):
    """How the call went."""

    model_config = ConfigDict(extra="forbid")

    reached: bool = Field(default=True, description="the person was reached and told")
    note: str | None = Field(default=None, max_length=2000)
