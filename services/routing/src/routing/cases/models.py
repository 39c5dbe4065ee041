"""Cases, their history, transmittal slips and work assignment notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from routing.db import RoutingModel
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class Case(RoutingModel, table=True):
    """The workflow of one complaint; an aggregate whose version counts its events."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("complaint_id"),
        Index("ix_case_site_id_status", "site_id", "status"),
        Index("ix_case_site_id_department_status", "site_id", "department", "status"),
        Index("ix_case_handler_id_status", "handler_id", "status"),
        Index("ix_case_owner_id_status", "owner_id", "status"),
        Index("ix_case_opened_at_id", "opened_at", "id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    complaint_id: str = Field(sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    reference: str = Field(sa_type=String(64))
    correlation_id: str | None = Field(default=None, sa_type=String(64))
    channel: str = Field(sa_type=String(20))
    kind: str = Field(sa_type=String(20))
    category: str = Field(sa_type=String(30))
    severity: str = Field(sa_type=String(10))
    reporter_type: str = Field(sa_type=String(10))
    household_id: str | None = Field(default=None, sa_type=String(64))
    description: str = Field(sa_type=Text())
    location: str | None = Field(default=None, sa_type=Text())
    received_at: datetime = Field(sa_type=UtcDateTime())
    status: str = Field(sa_type=String(20))
    level: str = Field(sa_type=String(10))
    department: str = Field(sa_type=String(64))
    handler_id: str | None = Field(default=None, sa_type=String(64))
    owner_id: str | None = Field(default=None, sa_type=String(64))
    validity: str | None = Field(default=None, sa_type=String(10))
    invalid_reason: str | None = Field(default=None, sa_type=String(40))
    opened_at: datetime = Field(sa_type=UtcDateTime())
    acknowledged_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    acknowledge_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    acknowledge_breached_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    resolve_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    resolve_breached_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    forwarded_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reminders: int = 0
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    result: str | None = Field(default=None, sa_type=Text())
    reply: str | None = Field(default=None, sa_type=Text())
    # Answered on the spot when it was received: opened resolved, never in progress.
    answered_immediately: bool = False
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    reopen_count: int = 0
    escalation_count: int = 0
    # Callbacks that reached nobody, and whether the case was closed for that (not satisfied).
    unreachable_count: int = 0
    closed_unreachable: bool = False
    # The latest callback's answers on the five-level scale: the outcome, and how the
    # complaint was handled (speed, attitude), which the report measures apart.
    outcome_level: str | None = Field(default=None, sa_type=String(20))
    speed_level: str | None = Field(default=None, sa_type=String(20))
    attitude_level: str | None = Field(default=None, sa_type=String(20))
    version: int = 0
    updated_at: datetime = Field(sa_type=UtcDateTime())


class CaseEntry(RoutingModel, table=True):
    """One event of a case's history, as it was emitted (its version, type and data)."""

    __tablename__ = "case_entry"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    seq: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    case_id: str = Field(sa_type=String(64), foreign_key="case.id")
    version: int
    type: str = Field(sa_type=String(100))
    actor: str | None = Field(default=None, sa_type=String(200))
    at: datetime = Field(sa_type=UtcDateTime())
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())


class TransmittalSlip(RoutingModel, table=True):
    """A work transmittal slip (工作传签单): a holder hands the case to their superior."""

    __tablename__ = "transmittal_slip"
    __table_args__ = (UniqueConstraint("number"), Index("ix_transmittal_slip_case_id", "case_id"))

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    case_id: str = Field(sa_type=String(64), foreign_key="case.id")
    number: str = Field(sa_type=String(80))
    from_id: str = Field(sa_type=String(64))
    from_level: str = Field(sa_type=String(10))
    to_id: str | None = Field(default=None, sa_type=String(64))
    to_level: str = Field(sa_type=String(10))
    reason: str = Field(sa_type=Text())
    created_at: datetime = Field(sa_type=UtcDateTime())
    decision: str | None = Field(default=None, sa_type=Text())
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    outcome: str | None = Field(default=None, sa_type=Text())
    outcome_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class AssignmentNotice(RoutingModel, table=True):
    """A work assignment notice (工作安排通知单) to the main responsible department."""

    __tablename__ = "assignment_notice"
    __table_args__ = (
        UniqueConstraint("number"),
        Index("ix_assignment_notice_case_id", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    case_id: str = Field(sa_type=String(64), foreign_key="case.id")
    number: str = Field(sa_type=String(80))
    slip_number: str | None = Field(default=None, sa_type=String(80))
    issued_by: str = Field(sa_type=String(64))
    issued_level: str = Field(sa_type=String(10))
    department: str = Field(sa_type=String(64))
    handler_id: str | None = Field(default=None, sa_type=String(64))
    instructions: str = Field(sa_type=Text())
    due_at: datetime = Field(sa_type=UtcDateTime())
    created_at: datetime = Field(sa_type=UtcDateTime())
    outcome: str | None = Field(default=None, sa_type=Text())
    completed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
