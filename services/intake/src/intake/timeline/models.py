"""The timeline: every event about a complaint, from intake, routing and notify."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlmodel import Field

from intake.db import IntakeModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
_Seq = BigInteger().with_variant(Integer(), "sqlite")


class TimelineEntry(IntakeModel, table=True):
    """One event about a complaint; `facts` hold its closed-set details, `detail` free text.

    The human description is rendered from `type` and `facts` when read, in the reader's
    language; `detail` (notes, replies, comments) is personal data the retention run clears.
    """

    __tablename__ = "timeline_entry"
    __table_args__ = (Index("ix_timeline_entry_complaint_id_at", "complaint_id", "at"),)

    seq: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    event_id: str = Field(sa_type=String(80), unique=True)
    complaint_id: str = Field(sa_type=String(64), foreign_key="complaint.id")
    type: str = Field(sa_type=String(100))
    source: str = Field(sa_type=String(20))
    at: datetime = Field(sa_type=UtcDateTime())
    actor: str | None = Field(default=None, sa_type=String(200))
    aggregate_version: int | None = None
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    detail: str | None = Field(default=None, sa_type=Text())


timeline_entry = table_of(TimelineEntry)
