"""What notify remembers about a complaint, so that later case events find the resident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, false
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime


class ComplaintRef(NotifyModel, table=True):
    """A complaint's household, site, reference and (once assigned) case and department.

    Filled by `complaint.received` and `case.assigned`, in whichever order they come, and
    marked by `case.withdrawn`;
    `received` tells a complaint that has no household (a visitor's, a staff finding) from
    one whose `complaint.received` has not arrived yet. A visitor who left a phone or e-mail
    is answered on `visitor_*` (from `complaint.contact_given`, the only place notify keeps
    it): retention clears them with the complaint's messages and callbacks.
    """

    __tablename__ = "complaint_ref"

    complaint_id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    household_id: str | None = Field(default=None, sa_type=String(64))
    reference: str | None = Field(default=None, sa_type=String(64))
    case_id: str | None = Field(default=None, sa_type=String(64))
    department: str | None = Field(default=None, sa_type=String(64))
    received: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    withdrawn_at: datetime | None = Field(
        default=None, sa_type=UtcDateTime(), description="set by case.withdrawn: send no more"
    )
    visitor_name: str | None = Field(default=None, sa_type=String(100))
    visitor_phone: str | None = Field(default=None, sa_type=String(24))
    visitor_email: str | None = Field(default=None, sa_type=String(320))
    received_at: datetime | None = Field(
        default=None, sa_type=UtcDateTime(), description="when intake received it (retention)"
    )
    filed_by: str | None = Field(
        default=None, sa_type=String(200), description="token subject that filed it (webhooks)"
    )
    external_ref: str | None = Field(
        default=None, sa_type=String(100), description="the filer's own reference for it"
    )


complaint_ref = table_of(ComplaintRef)
