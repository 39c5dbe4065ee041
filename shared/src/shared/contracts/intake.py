"""Events produced by intake: the resident directory and complaints as received."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import Event
from shared.contracts.topics import AskedTopic

Channel = Literal[
    "call_center",
    "phone",
    "face_to_face",
    "suggestion_box",
    "letter",
    "web",
    "app",
    "callback",
    "staff_finding",
]
Kind = Literal["complaint", "grievance", "inquiry", "suggestion"]
Category = Literal[AskedTopic, "fees", "other"]
Severity = Literal["normal", "urgent", "safety"]
ReporterType = Literal["household", "visitor", "staff"]


class ImmediateReply(BaseModel):
    """The answer given on the spot by whoever received the complaint."""

    model_config = ConfigDict(frozen=True)

    text: str
    replied_by: str
    replied_at: datetime


class ComplaintReceived(Event):
    """A complaint, grievance, inquiry or suggestion was recorded (DESIGN.md §1 rules 1-2)."""

    type = "complaint.received"
    source = "intake"

    complaint_id: str
    reference: str
    site_id: str
    channel: Channel
    kind: Kind
    category: Category
    severity: Severity = "normal"
    description: str
    reporter_type: ReporterType
    household_id: str | None = Field(default=None, description="set when the reporter is known")
    staff_department: str | None = None
    location: str | None = None
    occurred_at: datetime | None = None
    received_at: datetime
    external_ref: str | None = None
    filed_by: str | None = Field(
        default=None,
        description=(
            "the token subject (sub) of whoever filed it: a call-center integration, a staff"
            " member or a web client; no personal data"
        ),
    )
    immediate_reply: ImmediateReply | None = None
    staff_member: str | None = Field(default=None, description="who found it (staff findings)")
    building_id: str | None = Field(default=None, description="where, when it is in a building")
    unit_id: str | None = Field(default=None, description="where, when it is in a unit")
    contact_given: bool = Field(
        default=False,
        description="a visitor left a phone or e-mail: complaint.contact_given carries it",
    )


class ComplaintContactGiven(Event):
    """How to answer a complainant who is not in the directory, as they gave it.

    Only notify keeps it, to answer and call them back: the contact travels only in this
    event, never in complaint.received, which routing and surveys read too (console's live
    listener hears complaint.* but takes only the ids, as a hint to refresh). Intake writes
    it to the outbox just before the complaint.received it belongs to.
    """

    type = "complaint.contact_given"
    source = "intake"

    complaint_id: str
    site_id: str
    name: str
    phone: str | None = None
    email: str | None = None


class ComplaintSupplemented(Event):
    """The resident added information to an open complaint."""

    type = "complaint.supplemented"
    source = "intake"

    complaint_id: str
    site_id: str
    text: str
    added_by: str
    added_at: datetime


class ComplaintWithdrawn(Event):
    """The resident withdrew the complaint."""

    type = "complaint.withdrawn"
    source = "intake"

    complaint_id: str
    site_id: str
    reason: str | None = None
    withdrawn_at: datetime


class SiteRetentionSet(Event):
    """A site's retention policy, set in intake and kept by every service (DESIGN.md §7)."""

    type = "site.retention_set"
    source = "intake"

    site_id: str
    retention_years: int = Field(
        ge=1, description="personal data of finished records is kept this many years"
    )
    timezone: str = Field(description="the site's IANA time zone: runs are at 03:00 there")
    set_at: datetime = Field(description="when it was set; a consumer keeps the latest")


class HouseholdUpserted(Event):
    """A household was added or changed; contact details travel only in this event."""

    type = "household.upserted"
    source = "intake"

    household_id: str
    site_id: str
    building: str | None = None
    unit: str
    building_id: str | None = None
    unit_id: str | None = None
    name: str
    phones: list[str] = Field(default_factory=list)
    email: str | None = None
    occupancy: Literal["owner", "tenant"] = "owner"
    moved_in_on: date | None = None


class HouseholdRemoved(Event):
    """A household left the directory."""

    type = "household.removed"
    source = "intake"

    household_id: str
    site_id: str
    removed_at: datetime
