"""Results frozen when a campaign closes: one row per topic, and one for overall."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlmodel import Field

from shared.db.typed import table_of
from shared.db.types import UtcDateTime
from surveys.db import SurveysModel


class TopicResult(SurveysModel, table=True):
    """A topic's satisfaction in a closed campaign, compared with its target."""

    __tablename__ = "topic_result"
    __table_args__ = (Index("ix_topic_result_site_id_topic", "site_id", "topic"),)

    campaign_id: str = Field(primary_key=True, sa_type=String(64))
    topic: str = Field(primary_key=True, sa_type=String(30))
    site_id: str = Field(sa_type=String(64))
    sample_size: int
    responses: int
    valid: int
    satisfied: int
    rate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    mean_score: float | None = None
    target: float
    met: bool | None = None
    distribution: dict[str, int] = Field(sa_type=JSON)
    closed_at: datetime = Field(sa_type=UtcDateTime())


topic_result = table_of(TopicResult)
