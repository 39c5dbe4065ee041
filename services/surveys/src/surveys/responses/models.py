"""Invitations (single-use links), interviewer tasks, responses and their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from shared.db.typed import table_of
from shared.db.types import UtcDateTime
from surveys.db import SurveysModel


class Invitation(SurveysModel, table=True):
    """A questionnaire link sent to one household, and a second one in its reminder; only the
    tokens' hashes are kept."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        UniqueConstraint("reminder_token_hash"),
        UniqueConstraint("campaign_id", "household_id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    campaign_id: str = Field(sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    household_id: str = Field(sa_type=String(64))
    token_hash: str = Field(sa_type=String(64))
    language: str = Field(sa_type=String(5))
    issued_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reminded_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reminder_token_hash: str | None = Field(default=None, sa_type=String(64))


class InterviewTask(SurveysModel, table=True):
    """A household a surveyor is to visit, call or meet outdoors."""

    __tablename__ = "interview_task"
    __table_args__ = (
        UniqueConstraint("campaign_id", "household_id"),
        Index("ix_interview_task_campaign_id_status_id", "campaign_id", "status", "id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    campaign_id: str = Field(sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    household_id: str = Field(sa_type=String(64))
    method: str = Field(sa_type=String(20))
    building: str = Field(sa_type=String(64))
    unit: str = Field(sa_type=String(32))
    phone: str | None = Field(default=None, sa_type=String(24))
    status: str = Field(sa_type=String(10))
    created_at: datetime = Field(sa_type=UtcDateTime())
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    response_id: str | None = Field(default=None, sa_type=String(64))


class Response(SurveysModel, table=True):
    """One household's answers in one campaign, by link or entered by an interviewer."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("campaign_id", "household_id"),
        Index("ix_response_campaign_id_id", "campaign_id", "id"),
        Index("ix_response_campaign_id_recheck_status", "campaign_id", "recheck_status"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    campaign_id: str = Field(sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    household_id: str = Field(sa_type=String(64))
    building: str = Field(sa_type=String(64))
    key: bool
    method: str = Field(sa_type=String(20))
    source: str = Field(sa_type=String(12))
    form: str = Field(sa_type=String(10))
    paper_ref: str | None = Field(default=None, sa_type=String(40))
    collected_by: str | None = Field(default=None, sa_type=String(100))
    collector_name: str | None = Field(default=None, sa_type=String(100))
    language: str = Field(sa_type=String(5))
    comment: str | None = Field(default=None, sa_type=Text())
    submitted_at: datetime = Field(sa_type=UtcDateTime())
    recheck_status: str | None = Field(default=None, sa_type=String(10))
    rechecked_by: str | None = Field(default=None, sa_type=String(100))
    rechecked_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    recheck_note: str | None = Field(default=None, sa_type=Text())
    original_answers: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class Answer(SurveysModel, table=True):
    """The level chosen for one topic; null level and score are a blank (an abstention)."""

    __tablename__ = "answer"
    __table_args__ = (Index("ix_answer_campaign_id_topic", "campaign_id", "topic"),)

    response_id: str = Field(primary_key=True, sa_type=String(64))
    topic: str = Field(primary_key=True, sa_type=String(30))
    campaign_id: str = Field(sa_type=String(64))
    level: str | None = Field(default=None, sa_type=String(30))
    score: int | None = None


invitation = table_of(Invitation)
interview_task = table_of(InterviewTask)
response = table_of(Response)
answer = table_of(Answer)
