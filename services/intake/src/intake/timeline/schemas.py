"""API models of the timeline."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class TimelineEntryRead(BaseModel):
    at: datetime
    type: str = Field(description="the event type, e.g. case.assigned")
    source: str = Field(description="the service it came from: intake, routing or notify")
    actor: str | None
    description: str = Field(description="what happened, in a sentence")
    detail: str | None = Field(description="the note, reply or comment that came with it")
