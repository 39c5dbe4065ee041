"""API models of the organisation: departments, staff, leadership, the whole site at once."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from routing.inputs import STAFF_PATTERN
from routing.organisation.rules import StaffRole

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$", description="e.g. engineering")]
StaffId = Annotated[str, Field(pattern=STAFF_PATTERN, description="the token's sub")]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DepartmentCreate(_Input):
    code: Code
    name: Name
    name_zh: str = Field(default="", max_length=100)
    head: StaffId | None = None


class DepartmentUpdate(_Input):
    name: Name | None = None
    name_zh: str | None = Field(default=None, max_length=100)
    head: StaffId | None = None


class DepartmentRead(BaseModel):
    code: str
    name: str
    name_zh: str
    head: str | None


class StaffCreate(_Input):
    id: StaffId
    name: Name
    role: StaffRole
    department: Code | None = None
    active: bool = True


class StaffUpdate(_Input):
    name: Name | None = None
    role: StaffRole | None = None
    department: Code | None = None
    active: bool | None = None


class StaffRead(BaseModel):
    id: str
    name: str
    role: StaffRole
    department: str | None
    active: bool


class LeadershipIn(_Input):
    site_name: str = Field(default="", max_length=100)
    region: Code | None = Field(default=None, description="the group's region the site is in")
    vp: StaffId | None = Field(default=None, description="the vice general manager in charge")
    gm: StaffId | None = Field(default=None, description="the group's general manager")


class OrganisationIn(LeadershipIn):
    """A whole site's organisation; it replaces what the site had."""

    departments: list[DepartmentCreate] = Field(default_factory=list, max_length=200)
    staff: list[StaffCreate] = Field(default_factory=list, max_length=5000)


class OrganisationRead(BaseModel):
    site_id: str
    site_name: str
    region: str | None = None
    vp: str | None
    gm: str | None
    departments: list[DepartmentRead]
    staff: list[StaffRead]
