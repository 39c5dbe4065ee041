"""Samples: who was drawn and why, and the frame they were drawn from (for audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, LargeBinary, String
from sqlmodel import Field

from shared.db.typed import table_of
from shared.db.types import UtcDateTime
from surveys.db import SurveysModel


class SampleMember(SurveysModel, table=True):
    """A household drawn into a campaign's sample, with the reason it was drawn."""

    __tablename__ = "sample_member"
    __table_args__ = (Index("ix_sample_member_household_id", "household_id"),)

    campaign_id: str = Field(primary_key=True, sa_type=String(64))
    household_id: str = Field(primary_key=True, sa_type=String(64))
    building: str = Field(sa_type=String(64))
    reason: str = Field(sa_type=String(30))
    detail: str | None = Field(default=None, sa_type=String(200))
    key: bool
    method: str = Field(sa_type=String(20))


class FrameSnapshot(SurveysModel, table=True):
    """The frame a sample was drawn from: every household id by building, and its digest."""

    __tablename__ = "frame_snapshot"

    campaign_id: str = Field(primary_key=True, sa_type=String(64))
    households: int
    strata: dict[str, int] = Field(sa_type=JSON)
    digest: str = Field(sa_type=String(64), description="sha256 of the uncompressed JSON")
    members: bytes = Field(
        sa_type=LargeBinary(), description="zlib-compressed JSON {building: [sorted ids]}"
    )
    excluded: int = Field(description="households rotated out or already in the key sample")
    taken_at: datetime = Field(sa_type=UtcDateTime())


sample_member = table_of(SampleMember)
frame_snapshot = table_of(FrameSnapshot)
