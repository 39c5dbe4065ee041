"""Departments, staff and each site's leadership: the escalation chain's people."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, UniqueConstraint
from sqlmodel import Field

from routing.db import RoutingModel

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class Department(RoutingModel, table=True):
    """A department of one site (customer service, engineering, security, ...) and its head."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    site_id: str = Field(sa_type=String(64))
    code: str = Field(sa_type=String(64))
    name: str = Field(sa_type=String(100))
    name_zh: str = Field(default="", sa_type=String(100))
    head_id: str | None = Field(default=None, sa_type=String(64))


class Staff(RoutingModel, table=True):
    """A member of staff on one site; `staff_id` is the `sub` of their token."""

    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("site_id", "staff_id"),
        Index("ix_staff_site_id_department_role", "site_id", "department", "role"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    site_id: str = Field(sa_type=String(64))
    staff_id: str = Field(sa_type=String(64))
    name: str = Field(sa_type=String(100))
    role: str = Field(sa_type=String(20))
    department: str | None = Field(default=None, sa_type=String(64))
    active: bool = True
    # Handlers take new cases in turn: the one with the lowest number is next (None: never).
    last_turn: int | None = None


class SiteLeadership(RoutingModel, table=True):
    """The vice general manager in charge of the site and the group's general manager."""

    __tablename__ = "site_leadership"

    site_id: str = Field(primary_key=True, sa_type=String(64))
    site_name: str = Field(default="", sa_type=String(100))
    # The group's regions (e.g. "south") gather sites for the complaint report.
    region: str | None = Field(default=None, sa_type=String(64))
    vp_id: str | None = Field(default=None, sa_type=String(64))
    gm_id: str | None = Field(default=None, sa_type=String(64))
