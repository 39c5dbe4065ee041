"""Corrective and preventive actions, and the cases each one was opened from.

Stable for other readers (the complaint report lists "recurring problems and the actions
taken"): table `corrective_action` with columns id, number, site_id, kind (corrective |
preventive), source (cases | survey | recurring), category, topic, campaign_id,
campaign_title, answers_before, problem, analysis, action, owner, status (open | planned |
completed | verified), opened_at, completed_at, verified_at, effective, complaints_before,
complaints_after; table
`corrective_action_case` with action_id, case_id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from routing.db import RoutingModel
from shared.db.types import UtcDateTime


class CorrectiveAction(RoutingModel, table=True):
    """A corrective or preventive action (纠正措施 / 预防措施); versioned by its events.

    `dedupe_key` makes automatic opening exactly-once in the database, whatever the
    deliveries: `survey:<site>:<campaign>:<topic>` for ever, `recurring:<site>:<category>`
    while the action is not yet verified (cleared then, so a later recurrence opens anew).
    """

    __tablename__ = "corrective_action"
    __table_args__ = (
        UniqueConstraint("number"),
        UniqueConstraint("dedupe_key"),
        Index("ix_corrective_action_site_id_status", "site_id", "status"),
        Index("ix_corrective_action_opened_at_id", "opened_at", "id"),
        Index("ix_corrective_action_site_id_topic_status", "site_id", "topic", "status"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    number: str = Field(sa_type=String(80))
    site_id: str = Field(sa_type=String(64))
    kind: str = Field(sa_type=String(12))
    source: str = Field(sa_type=String(12))
    dedupe_key: str | None = Field(default=None, sa_type=String(200))
    category: str | None = Field(default=None, sa_type=String(30))
    topic: str | None = Field(default=None, sa_type=String(30))
    campaign_id: str | None = Field(default=None, sa_type=String(64))
    # A survey's action: the campaign's title as surveys named it, and the answers it counted.
    campaign_title: str | None = Field(default=None, sa_type=String(200))
    answers_before: int | None = None
    problem: str = Field(sa_type=Text())
    analysis: str | None = Field(default=None, sa_type=Text())
    action: str | None = Field(default=None, sa_type=Text())
    owner: str | None = Field(default=None, sa_type=String(64))
    due_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    # Past its due time undone, an action goes one level up its owner's chain, once per due time.
    level: str = Field(
        default="handler", sa_type=String(10), sa_column_kwargs={"server_default": "handler"}
    )
    escalated_to: str | None = Field(default=None, sa_type=String(64))
    overdue_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    status: str = Field(sa_type=String(12))
    opened_by: str | None = Field(default=None, sa_type=String(64))
    opened_at: datetime = Field(sa_type=UtcDateTime())
    window_days: int = 30
    rate_before: float | None = None
    target: float | None = None
    complaints_before: int | None = None
    completed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    completion_note: str | None = Field(default=None, sa_type=Text())
    verified_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    verified_by: str | None = Field(default=None, sa_type=String(64))
    effective: bool | None = None
    basis: str | None = Field(default=None, sa_type=String(12))
    rate_after: float | None = None
    complaints_after: int | None = None
    verification: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    version: int = 0
    updated_at: datetime = Field(sa_type=UtcDateTime())


class CorrectiveActionCase(RoutingModel, table=True):
    """A case an action was opened from (or that made a recurring problem)."""

    __tablename__ = "corrective_action_case"
    __table_args__ = (Index("ix_corrective_action_case_case_id", "case_id"),)

    action_id: str = Field(primary_key=True, sa_type=String(64), foreign_key="corrective_action.id")
    case_id: str = Field(primary_key=True, sa_type=String(64), foreign_key="case.id")
