"""Household contacts (from intake's events, plus the household's own preferences) and
notify's staff directory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, UniqueConstraint
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class HouseholdContact(NotifyModel, table=True):
    """How to reach one household. Addresses follow intake; preferences are the household's.

    `channels` None means "every channel it has an address for"; a list is the household's
    own choice, kept across intake's upserts.
    """

    __tablename__ = "household_contact"
    __table_args__ = (
        Index("ix_household_contact_site_id_building_id", "site_id", "building_id"),
        Index("ix_household_contact_site_id_unit_id", "site_id", "unit_id"),
    )

    household_id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    building_id: str | None = Field(default=None, sa_type=String(64))
    unit_id: str | None = Field(default=None, sa_type=String(64))
    building: str | None = Field(default=None, sa_type=String(64))
    unit: str = Field(default="", sa_type=String(32))
    name: str = Field(default="", sa_type=String(100))
    phone: str | None = Field(default=None, sa_type=String(24))
    email: str | None = Field(default=None, sa_type=String(320))
    webhook_url: str | None = Field(default=None, sa_type=String(500))
    channels: list[str] | None = Field(default=None, sa_type=JSON)
    preferred_channel: str | None = Field(default=None, sa_type=String(12))
    locale: str | None = Field(default=None, sa_type=String(8))
    opted_out: bool = False
    updated_at: datetime = Field(sa_type=UtcDateTime(), description="when intake's state was true")
    preferences_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    removed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class StaffContact(NotifyModel, table=True):
    """A member of staff notify can reach: routing's organisation has no addresses."""

    __tablename__ = "staff_contact"
    __table_args__ = (
        UniqueConstraint("site_id", "staff_id"),
        Index("ix_staff_contact_site_id_department", "site_id", "department"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    site_id: str = Field(sa_type=String(64))
    staff_id: str = Field(sa_type=String(64))
    department: str | None = Field(default=None, sa_type=String(64))
    role: str = Field(sa_type=String(12))
    name: str = Field(default="", sa_type=String(100))
    email: str | None = Field(default=None, sa_type=String(320))
    phone: str | None = Field(default=None, sa_type=String(24))
    webhook_url: str | None = Field(default=None, sa_type=String(500))
    locale: str = Field(default="zh-CN", sa_type=String(8))


household_contact = table_of(HouseholdContact)
staff_contact = table_of(StaffContact)
