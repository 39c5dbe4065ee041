"""Rectifications, their plan items and their history.

Stable for other readers (the complaint report): table `rectification` with columns id,
number, site_id, origin, case_id, status, opened_at, due_at, accepted_at; table
`rectification_item` with rectification_id, position, team, status, due_at, done_at.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from routing.db import RoutingModel
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class Rectification(RoutingModel, table=True):
    """One rectification (整改); an aggregate whose version counts its events."""

    __tablename__ = "rectification"
    __table_args__ = (
        UniqueConstraint("number"),
        Index("ix_rectification_site_id_status", "site_id", "status"),
        Index("ix_rectification_case_id", "case_id"),
        Index("ix_rectification_opened_at_id", "opened_at", "id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    number: str = Field(sa_type=String(80))
    site_id: str = Field(sa_type=String(64))
    origin: str = Field(sa_type=String(20), description="case, finding or manager")
    case_id: str | None = Field(default=None, sa_type=String(64))
    complaint_id: str | None = Field(default=None, sa_type=String(64))
    correlation_id: str | None = Field(default=None, sa_type=String(64))
    title: str = Field(sa_type=String(200))
    problem: str = Field(sa_type=Text())
    measures: str = Field(sa_type=Text())
    due_at: datetime = Field(sa_type=UtcDateTime())
    status: str = Field(sa_type=String(20))
    opened_by: str = Field(sa_type=String(64))
    opened_at: datetime = Field(sa_type=UtcDateTime())
    submitted_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    rejections: int = 0
    accepted_by: str | None = Field(default=None, sa_type=String(64))
    accepted_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    acceptance_note: str | None = Field(default=None, sa_type=Text())
    version: int = 0
    updated_at: datetime = Field(sa_type=UtcDateTime())


class RectificationItem(RoutingModel, table=True):
    """One item of the plan, owned by a rectification team (整改小组: a department)."""

    __tablename__ = "rectification_item"
    __table_args__ = (
        UniqueConstraint("rectification_id", "position"),
        Index("ix_rectification_item_status_due_at", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    rectification_id: str = Field(sa_type=String(64), foreign_key="rectification.id")
    position: int
    team: str = Field(sa_type=String(64))
    task: str = Field(sa_type=Text())
    due_at: datetime = Field(sa_type=UtcDateTime())
    status: str = Field(sa_type=String(20))
    level: str = Field(default="handler", sa_type=String(10))
    escalated_to: str | None = Field(default=None, sa_type=String(64))
    overdue_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reports: int = 0
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class RectificationEntry(RoutingModel, table=True):
    """One event of a rectification's history (item events name their item's position)."""

    __tablename__ = "rectification_entry"
    __table_args__ = (UniqueConstraint("rectification_id", "version"),)

    seq: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    rectification_id: str = Field(sa_type=String(64), foreign_key="rectification.id")
    version: int
    position: int | None = None
    type: str = Field(sa_type=String(100))
    actor: str | None = Field(default=None, sa_type=String(200))
    at: datetime = Field(sa_type=UtcDateTime())
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
