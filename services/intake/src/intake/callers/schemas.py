"""API models of the caller lookup (the call-center's screen pop)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from intake.complaints.schemas import ComplaintRead
from intake.directory.schemas import HouseholdRead


class CallerHousehold(HouseholdRead):
    open_complaints: list[ComplaintRead]
    recent_complaints: list[ComplaintRead] = Field(
        description="its last 10 complaints of any status, newest first"
    )


class CallerRead(BaseModel):
    phone: str = Field(
        description="the number searched, as stored: a mainland number's national digits, "
        "another country's in E.164"
    )
    households: list[CallerHousehold] = Field(description="households with this number")
    other_open_complaints: list[ComplaintRead] = Field(
        description="open complaints filed with this number by someone not in the directory"
    )
