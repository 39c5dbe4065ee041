"""Callbacks (回访): the return-visit work queue, its attempts and the resident's link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class Callback(NotifyModel, table=True):
    """One return visit: after a case's final reply, or a survey's low score."""

    __tablename__ = "callback"
    __table_args__ = (
        UniqueConstraint("origin_key"),
        UniqueConstraint("token_hash"),
        Index("ix_callback_site_id_status_due_at_id", "site_id", "status", "due_at", "id"),
        Index("ix_callback_status_due_at", "status", "due_at"),
        Index("ix_callback_case_id", "case_id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    origin: str = Field(sa_type=String(8), description="case or survey")
    origin_key: str = Field(sa_type=String(200), description="dedupes a repeated event")
    case_id: str | None = Field(default=None, sa_type=String(64))
    complaint_id: str | None = Field(default=None, sa_type=String(64))
    household_id: str | None = Field(default=None, sa_type=String(64))
    reference: str | None = Field(default=None, sa_type=String(64))
    summary: str | None = Field(default=None, sa_type=Text(), description="reply or comment")
    locale: str = Field(default="zh-CN", sa_type=String(8))
    correlation_id: str | None = Field(default=None, sa_type=String(64))
    status: str = Field(sa_type=String(12))
    due_at: datetime = Field(sa_type=UtcDateTime())
    overdue_at: datetime = Field(sa_type=UtcDateTime())
    attempts: int = Field(default=0, sa_type=Integer())
    created_at: datetime = Field(sa_type=UtcDateTime())
    completed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    completed_via: str | None = Field(default=None, sa_type=String(8), description="staff, link")
    completed_by: str | None = Field(default=None, sa_type=String(100))
    satisfied: bool | None = None
    outcome_level: str | None = Field(default=None, sa_type=String(20))
    speed_level: str | None = Field(default=None, sa_type=String(20))
    attitude_level: str | None = Field(default=None, sa_type=String(20))
    comment: str | None = Field(default=None, sa_type=Text())
    token_hash: str | None = Field(default=None, sa_type=String(64))
    link_expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class CallbackAttempt(NotifyModel, table=True):
    """One try at asking the resident: by staff on the phone, or the resident's own answer."""

    __tablename__ = "callback_attempt"
    __table_args__ = (Index("ix_callback_attempt_callback_id_id", "callback_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    callback_id: str = Field(sa_type=String(64))
    via: str = Field(sa_type=String(8))
    by: str | None = Field(default=None, sa_type=String(100))
    reached: bool
    satisfied: bool | None = None
    outcome_level: str | None = Field(default=None, sa_type=String(20))
    speed_level: str | None = Field(default=None, sa_type=String(20))
    attitude_level: str | None = Field(default=None, sa_type=String(20))
    comment: str | None = Field(default=None, sa_type=Text())
    at: datetime = Field(sa_type=UtcDateTime())


callback = table_of(Callback)
callback_attempt = table_of(CallbackAttempt)
