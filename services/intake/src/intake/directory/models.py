"""The resident directory: sites, buildings, units, households and their phone numbers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, UniqueConstraint
from sqlmodel import Field

from intake.db import IntakeModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

DEFAULT_RETENTION_YEARS = 2


class Site(IntakeModel, table=True):
    """A management office and the estate it runs; `code` prefixes complaint references."""

    __tablename__ = "site"

    id: str = Field(primary_key=True, sa_type=String(64))
    code: str = Field(sa_type=String(10), unique=True)
    name: str = Field(sa_type=String(200))
    region: str | None = Field(default=None, sa_type=String(200))
    timezone: str = Field(sa_type=String(64))
    country: str = Field(default="CN", sa_type=String(2), sa_column_kwargs={"server_default": "CN"})
    """ISO 3166-1 alpha-2: the region of phone numbers written without a country code."""
    retention_years: int = DEFAULT_RETENTION_YEARS
    developer_contact: str | None = Field(default=None, sa_type=String(500))
    created_at: datetime = Field(sa_type=UtcDateTime())
    updated_at: datetime = Field(sa_type=UtcDateTime())


class Building(IntakeModel, table=True):
    """A building of a site, known by its code."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64), foreign_key="site.id")
    code: str = Field(sa_type=String(32))
    name: str | None = Field(default=None, sa_type=String(200))


class Unit(IntakeModel, table=True):
    """A flat, shop or office in a building."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("building_id", "number"),
        Index("ix_unit_site_id", "site_id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64), foreign_key="site.id")
    building_id: str = Field(sa_type=String(64), foreign_key="building.id")
    number: str = Field(sa_type=String(32))
    floor: int | None = None


class Household(IntakeModel, table=True):
    """The owner or tenant household living in a unit; an aggregate with a version."""

    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_site_id_unit_id", "site_id", "unit_id"),
        Index("ix_household_unit_id", "unit_id"),
        Index("ix_household_removed_at", "removed_at"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64), foreign_key="site.id")
    unit_id: str = Field(sa_type=String(64), foreign_key="unit.id")
    name: str = Field(sa_type=String(100))
    email: str | None = Field(default=None, sa_type=String(254))
    occupancy: str = Field(sa_type=String(10))
    moved_in_on: date | None = Field(default=None, sa_type=Date())
    version: int
    created_at: datetime = Field(sa_type=UtcDateTime())
    updated_at: datetime = Field(sa_type=UtcDateTime())
    removed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    anonymised_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class HouseholdPhone(IntakeModel, table=True):
    """One phone number of a household; indexed for the call-center's caller lookup."""

    __tablename__ = "household_phone"
    __table_args__ = (Index("ix_household_phone_phone", "phone"),)

    household_id: str = Field(
        sa_type=String(64),
        sa_column_kwargs={"primary_key": True},
        foreign_key="household.id",
    )
    phone: str = Field(primary_key=True, sa_type=String(24))
    position: int = 0


site = table_of(Site)
building = table_of(Building)
unit = table_of(Unit)
household = table_of(Household)
household_phone = table_of(HouseholdPhone)
