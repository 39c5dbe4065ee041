"""API models of the resident directory."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from intake.directory.models import DEFAULT_RETENTION_YEARS
from intake.inputs import Contact, Country, Email, Id, Label, Name, Phone, TimeZoneName, Title
from shared.http.invalid import invalid
from shared.http.pagination import Page

SiteCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,9}$")]
Occupancy = Literal["owner", "tenant"]
Phones = Annotated[list[Phone], Field(max_length=5)]
RetentionYears = Annotated[int, Field(ge=1, le=30)]
Floor = Annotated[int, Field(ge=-20, le=300)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Patch(_Input):
    """A partial update: absent fields stay; `null` clears only fields that may be empty."""

    not_null: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _refuse_null_for_required(self) -> Self:
        cleared = sorted(
            f for f in self.model_fields_set & self.not_null if getattr(self, f) is None
        )
        if cleared:
            fields = ", ".join(cleared)
            raise invalid(f"{fields} cannot be null", f"{fields} 不能为 null（不能清空）")
        return self

    def changes(self) -> dict[str, object]:
        """The fields the request named, with their new values."""
        return {f: getattr(self, f) for f in self.model_fields_set}


class SiteCreate(_Input):
    id: Id | None = Field(default=None, description="the site's id; generated when absent")
    code: SiteCode = Field(description="prefix of complaint references, e.g. GH")
    name: Title
    region: Title | None = None
    timezone: TimeZoneName = "Asia/Shanghai"
    country: Country = Field(
        default="CN",
        description=(
            "ISO 3166-1 alpha-2 country of the site: phone numbers written without a country"
            " code are its numbers; set once, since stored numbers are in its national form"
        ),
    )
    retention_years: RetentionYears = DEFAULT_RETENTION_YEARS
    developer_contact: Contact | None = None


class SiteUpdate(_Patch):
    """What may change; the code may not (it is in every reference already issued), nor the
    country (the stored phone numbers are in its national form)."""

    not_null = frozenset({"name", "timezone", "retention_years"})

    name: Title | None = None
    region: Title | None = None
    timezone: TimeZoneName | None = None
    retention_years: RetentionYears | None = None
    developer_contact: Contact | None = None


class SiteRead(BaseModel):
    id: str
    code: str
    name: str
    region: str | None
    timezone: str
    country: str
    retention_years: int
    developer_contact: str | None
    created_at: datetime
    updated_at: datetime


class BuildingCreate(_Input):
    code: Label
    name: Title | None = None


class BuildingUpdate(_Patch):
    not_null = frozenset({"code"})

    code: Label | None = None
    name: Title | None = None


class BuildingRead(BaseModel):
    id: str
    site_id: str
    code: str
    name: str | None


class UnitCreate(_Input):
    building_id: Id
    number: Label
    floor: Floor | None = None


class UnitUpdate(_Patch):
    not_null = frozenset({"number"})

    number: Label | None = None
    floor: Floor | None = None


class UnitRead(BaseModel):
    id: str
    site_id: str
    building_id: str
    building: str
    number: str
    floor: int | None


class HouseholdCreate(_Input):
    unit_id: Id
    name: Name
    phones: Phones = []
    email: Email | None = None
    occupancy: Occupancy = "owner"
    moved_in_on: date | None = None


class HouseholdUpdate(_Patch):
    not_null = frozenset({"unit_id", "name", "phones", "occupancy"})

    unit_id: Id | None = None
    name: Name | None = None
    phones: Phones | None = None
    email: Email | None = None
    occupancy: Occupancy | None = None
    moved_in_on: date | None = None


class HouseholdRead(BaseModel):
    id: str
    site_id: str
    unit_id: str
    building_id: str
    building: str
    unit: str
    name: str
    phones: list[str]
    email: str | None
    occupancy: str
    moved_in_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime
    removed_at: datetime | None


class ImportRow(_Input):
    """One household of a directory import: its unit (created when new) and its details."""

    building: Label
    unit: Label
    floor: Floor | None = None
    name: Name
    phones: Phones = []
    email: Email | None = None
    occupancy: Occupancy = "owner"
    moved_in_on: date | None = None


class ImportResult(BaseModel):
    rows: int
    buildings_created: int
    units_created: int
    households_created: int
    households_updated: int
    households_unchanged: int


SitePage = Page[SiteRead]
BuildingPage = Page[BuildingRead]
UnitPage = Page[UnitRead]
HouseholdPage = Page[HouseholdRead]
