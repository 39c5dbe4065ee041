"""Campaigns: what is asked, of whom, how, on which scale, against which targets, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, UniqueConstraint
from sqlmodel import Field

from shared.db.typed import table_of
from shared.db.types import UtcDateTime
from surveys.db import SurveysModel


class Campaign(SurveysModel, table=True):
    """A regular (site, period) or special survey; an aggregate with a version."""

    __tablename__ = "campaign"
    __table_args__ = (
        # One regular campaign per site and period; special ones have no period.
        UniqueConstraint("site_id", "period"),
        Index("ix_campaign_site_id_created_at_id", "site_id", "created_at", "id"),
        Index("ix_campaign_created_at_id", "created_at", "id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    kind: str = Field(sa_type=String(10))
    title: str = Field(sa_type=String(200))
    period: str | None = Field(default=None, sa_type=String(20))
    status: str = Field(sa_type=String(10))
    version: int
    topics: list[str] = Field(sa_type=JSON)
    methods: list[str] = Field(sa_type=JSON)
    scale: list[dict[str, Any]] = Field(sa_type=JSON)
    satisfied_levels: list[str] = Field(sa_type=JSON)
    targets: dict[str, float] = Field(sa_type=JSON)
    buildings: list[str] | None = Field(default=None, sa_type=JSON)
    sampling: dict[str, Any] = Field(sa_type=JSON)
    recheck_rate: float
    remind_before_days: int = Field(default=3, description="0: no reminder")
    language: str = Field(sa_type=String(5))
    opens_at: datetime = Field(sa_type=UtcDateTime())
    closes_at: datetime = Field(sa_type=UtcDateTime())
    created_at: datetime = Field(sa_type=UtcDateTime())
    created_by: str = Field(sa_type=String(100))
    seed: int | None = Field(default=None, sa_type=BigInteger())
    drawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    drawn_by: str | None = Field(default=None, sa_type=String(100))
    frame_size: int | None = None
    key_size: int | None = None
    random_size: int | None = None
    opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


campaign = table_of(Campaign)
