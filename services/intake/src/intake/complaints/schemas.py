"""API models of complaints: what a receiver records and what a reader sees."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from intake.complaints import rules
from intake.inputs import Description, Email, ExternalRef, Id, Name, Note, Phone, Title
from intake.timeline.schemas import TimelineEntryRead
from shared.clock import utcnow
from shared.contracts.intake import Category, Channel, Kind, Severity
from shared.http.invalid import invalid
from shared.http.pagination import Page

Status = Literal[
    "received", "assigned", "in_progress", "resolved", "closed", "reopened", "withdrawn"
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HouseholdReporter(_Input):
    """A resident in the directory."""

    type: Literal["household"]
    household_id: Id


class VisitorReporter(_Input):
    """Someone not in the directory: a visitor, a new tenant, a passer-by. They leave a phone
    number or an e-mail address (or both), so that they are answered and called back."""

    type: Literal["visitor"]
    name: Name
    phone: Phone | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if not (self.phone or self.email):
            raise invalid(
                "a visitor leaves a phone or an e-mail address to be answered on",
                "访客须留下电话或电子邮箱，以便答复",
            )
        return self


class StaffReporter(_Input):
    """A staff member reporting what they found in their daily work."""

    type: Literal["staff"]
    staff_member: Name
    department: Name


Reporter = Annotated[
    HouseholdReporter | VisitorReporter | StaffReporter, Field(discriminator="type")
]


class LocationIn(_Input):
    building_id: Id | None = None
    unit_id: Id | None = None
    common_area: Title | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if not (self.building_id or self.unit_id or self.common_area):
            raise invalid(
                "name a building_id, a unit_id or a common_area",
                "请填写 building_id（楼栋）、unit_id（单元）或 common_area（公共区域）",
            )
        return self


class ReplyIn(_Input):
    """The answer the receiver gave on the spot (即时答复)."""

    text: Note
    replied_by: Name
    replied_at: AwareDatetime | None = Field(default=None, description="now when absent")


class ComplaintCreate(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "site_id": "demo",
                    "channel": "call_center",
                    "kind": "complaint",
                    "category": "maintenance",
                    "description": "电梯异响，晚上尤其明显",
                    "reporter": {"type": "household", "household_id": "hh-0042"},
                    "external_ref": "CC-2026-000123",
                },
                {
                    "site_id": "demo",
                    "channel": "phone",
                    "kind": "complaint",
                    "category": "security",
                    "description": "小区东门夜间无人值守",
                    "reporter": {"type": "visitor", "name": "周先生", "phone": "139 1111 2222"},
                    "location": {"common_area": "东门"},
                },
            ]
        },
    )

    site_id: Id
    channel: Channel
    kind: Kind
    category: Category
    description: Description
    reporter: Reporter
    location: LocationIn | None = None
    occurred_at: AwareDatetime | None = None
    severity: Severity = "normal"
    external_ref: ExternalRef | None = Field(
        default=None, description="your own ticket id: the same one returns the same complaint"
    )
    immediate_reply: ReplyIn | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problem = rules.reporter_problem(self.channel, self.reporter.type)
        if problem:
            raise invalid(*problem)
        now = utcnow()
        reply_at = self.immediate_reply.replied_at if self.immediate_reply else None
        if rules.in_the_future(self.occurred_at, now=now) or rules.in_the_future(reply_at, now=now):
            raise invalid(
                "occurred_at and replied_at cannot be in the future",
                "occurred_at（发生时间）和 replied_at（答复时间）不能晚于现在",
            )
        return self


class SupplementCreate(_Input):
    text: Note
    added_by: Name | None = Field(default=None, description="who adds it; you when absent")


class WithdrawalCreate(_Input):
    reason: Note | None = None


class ReporterRead(BaseModel):
    type: str
    household_id: str | None = None
    name: str | None = Field(
        default=None, description="a household's from the directory; a visitor's as given"
    )
    phone: str | None = Field(
        default=None, description="a household's first number in the directory; a visitor's"
    )
    email: str | None = Field(default=None, description="a visitor's, when they left one")
    staff_member: str | None = None
    department: str | None = None


class LocationRead(BaseModel):
    building_id: str | None = None
    unit_id: str | None = None
    common_area: str | None = None
    text: str | None = None


class ReplyRead(BaseModel):
    text: str
    replied_by: str | None
    replied_at: datetime | None


class Links(BaseModel):
    self: str
    by_reference: str
    supplements: str
    withdrawal: str


class ComplaintSummary(BaseModel):
    """What a write returns: enough to find the complaint again."""

    id: str
    reference: str
    status: Status
    version: int
    links: Links


class ComplaintRead(ComplaintSummary):
    site_id: str
    channel: Channel
    kind: Kind
    category: Category
    severity: Severity
    description: str
    reporter: ReporterRead
    location: LocationRead | None
    occurred_at: datetime | None
    received_at: datetime
    received_by: str
    external_ref: str | None
    immediate_reply: ReplyRead | None
    answered: bool = Field(description="answered on the spot (immediate reply)")
    case_id: str | None
    department: str | None
    withdrawn_at: datetime | None
    closed_at: datetime | None
    anonymised: bool


class ComplaintDetail(ComplaintRead):
    timeline: list[TimelineEntryRead]


ComplaintPage = Page[ComplaintRead]
