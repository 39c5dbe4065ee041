"""Routing rules, SLA policies, each site's policy (calendar, default department) and holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, String
from sqlmodel import Field

from routing.db import RoutingModel

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class RoutingRule(RoutingModel, table=True):
    """category (and optionally kind and severity) -> responsible department, per site."""

    __tablename__ = "routing_rule"
    __table_args__ = (Index("ix_routing_rule_site_id", "site_id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    site_id: str = Field(sa_type=String(64))
    category: str | None = Field(default=None, sa_type=String(30))
    kind: str | None = Field(default=None, sa_type=String(20))
    severity: str | None = Field(default=None, sa_type=String(10))
    department: str = Field(sa_type=String(64))


class SlaPolicy(RoutingModel, table=True):
    """Time to acknowledge and to resolve for a category and/or severity of one site."""

    __tablename__ = "sla_policy"
    __table_args__ = (Index("ix_sla_policy_site_id", "site_id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    site_id: str = Field(sa_type=String(64))
    category: str | None = Field(default=None, sa_type=String(30))
    severity: str | None = Field(default=None, sa_type=String(10))
    acknowledge_seconds: int
    resolve_seconds: int
    clock: str = Field(sa_type=String(20))
    # The handler is warned when this share (percent) of a deadline's time has passed.
    warn_percent: int = Field(default=80, sa_column_kwargs={"server_default": "80"})


class SitePolicy(RoutingModel, table=True):
    """A site's own settings: default department, time zone, working week, follow-up pace."""

    __tablename__ = "site_policy"

    site_id: str = Field(primary_key=True, sa_type=String(64))
    default_department: str | None = Field(default=None, sa_type=String(64))
    timezone: str = Field(sa_type=String(64))
    # weekday number ("0" is Monday) -> ["09:00", "18:00"]
    working_hours: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    developer_follow_up_seconds: int
    # "cn": the State Council's holidays and make-up days; "none"; NULL: by the time zone.
    public_holidays: str | None = Field(default=None, sa_type=String(10))
    # What a callback that reaches nobody does to the case: "close" it, or "escalate" it.
    unreachable_callbacks: str = Field(
        default="close", sa_type=String(10), sa_column_kwargs={"server_default": "close"}
    )
    # The complaint-handling satisfaction rate (percent) the site aims at; below it, an alert.
    handling_satisfaction_target: int = Field(default=90, sa_column_kwargs={"server_default": "90"})


class Holiday(RoutingModel, table=True):
    """A day the site's office is closed, or (working=True) a make-up working day (调休)."""

    __tablename__ = "holiday"

    site_id: str = Field(primary_key=True, sa_type=String(64))
    day: date = Field(primary_key=True, sa_type=Date())
    name: str = Field(default="", sa_type=String(100))
    working: bool = False
