"""The sampling frame (households, from intake's events) and the complainant registry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlmodel import Field

from shared.db.typed import table_of
from shared.db.types import UtcDateTime
from surveys.db import SurveysModel


class FrameHousehold(SurveysModel, table=True):
    """A household that can be sampled; `removed_at` keeps it out of later frames."""

    __tablename__ = "frame_household"
    __table_args__ = (Index("ix_frame_household_site_id_removed_at", "site_id", "removed_at"),)

    household_id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    building: str = Field(sa_type=String(64), description="building code: the stratum")
    unit: str = Field(sa_type=String(32))
    phone: str | None = Field(default=None, sa_type=String(24))
    has_contact: bool = False
    occupancy: str = Field(sa_type=String(10))
    updated_at: datetime = Field(sa_type=UtcDateTime(), description="when the state was true")
    removed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class ComplaintMark(SurveysModel, table=True):
    """One complaint or grievance of a household, and whether its case was reopened.

    Keyed by complaint so that `case.reopened` may arrive before `complaint.received`.
    """

    __tablename__ = "complaint_mark"
    __table_args__ = (
        Index("ix_complaint_mark_household_id", "household_id"),
        Index("ix_complaint_mark_site_id_received_at", "site_id", "received_at"),
    )

    complaint_id: str = Field(primary_key=True, sa_type=String(64))
    household_id: str | None = Field(default=None, sa_type=String(64))
    site_id: str | None = Field(default=None, sa_type=String(64))
    kind: str | None = Field(default=None, sa_type=String(20))
    category: str | None = Field(default=None, sa_type=String(30))
    received_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reopened_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reopens: int = 0


frame_household = table_of(FrameHousehold)
complaint_mark = table_of(ComplaintMark)
