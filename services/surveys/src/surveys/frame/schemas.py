"""API models of the frame and the complainant registry."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from shared.http.pagination import Page


class FrameRead(BaseModel):
    """A site's sampling frame now: households by building."""

    site_id: str
    households: int
    buildings: dict[str, int]


class ComplainantRead(BaseModel):
    """A household in the registry: how often it complained or grumbled, and when last."""

    household_id: str
    complaints: int
    grievances: int
    last_received_at: datetime | None
    reopens: int
    last_reopened_at: datetime | None


ComplainantPage = Page[ComplainantRead]
