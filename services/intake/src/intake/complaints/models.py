"""Complaints as received, and the per-site daily counters behind their references."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field

from intake.db import IntakeModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime


class Complaint(IntakeModel, table=True):
    """A complaint record (顾客投诉处理记录表) as received; an aggregate with a version.

    `status`, `case_id`, `department` and `closed_at` are projected from routing's case
    events; everything else is what the receiver recorded.
    """

    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("reference"),
        # The caller's own ticket id, per caller: a retried submission is the same complaint.
        UniqueConstraint("source", "external_ref"),
        Index("ix_complaint_site_id_received_at_id", "site_id", "received_at", "id"),
        Index("ix_complaint_received_at_id", "received_at", "id"),
        Index("ix_complaint_household_id", "household_id"),
        Index("ix_complaint_reporter_phone", "reporter_phone"),
        Index("ix_complaint_closed_at", "closed_at"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64), foreign_key="site.id")
    reference: str = Field(sa_type=String(40))
    version: int
    status: str = Field(sa_type=String(20))
    channel: str = Field(sa_type=String(20))
    kind: str = Field(sa_type=String(20))
    category: str = Field(sa_type=String(30))
    severity: str = Field(sa_type=String(10))
    description: str = Field(sa_type=Text())
    reporter_type: str = Field(sa_type=String(10))
    household_id: str | None = Field(default=None, sa_type=String(64), foreign_key="household.id")
    reporter_name: str | None = Field(default=None, sa_type=String(100))
    reporter_phone: str | None = Field(default=None, sa_type=String(24))
    reporter_email: str | None = Field(default=None, sa_type=String(254))
    staff_member: str | None = Field(default=None, sa_type=String(100))
    staff_department: str | None = Field(default=None, sa_type=String(100))
    building_id: str | None = Field(default=None, sa_type=String(64), foreign_key="building.id")
    unit_id: str | None = Field(default=None, sa_type=String(64), foreign_key="unit.id")
    common_area: str | None = Field(default=None, sa_type=String(200))
    location: str | None = Field(default=None, sa_type=String(300))
    occurred_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    received_at: datetime = Field(sa_type=UtcDateTime())
    received_by: str = Field(sa_type=String(100))
    source: str = Field(sa_type=String(200))
    external_ref: str | None = Field(default=None, sa_type=String(100))
    correlation_id: str = Field(sa_type=String(64))
    reply_text: str | None = Field(default=None, sa_type=Text())
    replied_by: str | None = Field(default=None, sa_type=String(100))
    replied_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    case_id: str | None = Field(default=None, sa_type=String(64))
    department: str | None = Field(default=None, sa_type=String(100))
    withdrawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    anonymised_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class ComplaintCounter(IntakeModel, table=True):
    """The last daily sequence number handed out per site and (site-local) day."""

    __tablename__ = "complaint_counter"

    site_id: str = Field(primary_key=True, sa_type=String(64))
    day: str = Field(primary_key=True, sa_type=String(8))
    last: int


complaint = table_of(Complaint)
complaint_counter = table_of(ComplaintCounter)
