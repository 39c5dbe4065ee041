"""API models of the complaint report: headline figures, breakdown lines, actions taken."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.contracts.reports import Dimension as Dimension  # the report's breakdowns
from shared.contracts.reports import Drillable as Drillable  # the figures behind /cases

Scope = Literal["site", "region", "group"]
Format = Literal["json", "csv", "html"]
Number = int | float


class Figure(BaseModel):
    """One headline figure of the period beside the previous period's (null: no data)."""

    name: str
    value: Number | None
    previous: Number | None
    change: Number | None


class Line(BaseModel):
    """One line of a breakdown: complaints (or escalations) with one value of a dimension."""

    dimension: Dimension
    key: str
    value: int
    valid: int | None = None
    invalid: int | None = None
    unjudged: int | None = None
    previous: int
    change: int


class HandlingLine(BaseModel):
    """A site's complaint-handling satisfaction this period, against its own target."""

    site_id: str
    answers: int = Field(description="callback answers on the speed and on the attitude")
    satisfied: int = Field(description="of which very satisfied or satisfied")
    rate: float | None = Field(description="satisfied / answers; null without answers")
    target: int = Field(description="the site's handling_satisfaction_target, in percent")
    below_target: bool | None = Field(description="rate under target; null without answers")


class PeriodRead(BaseModel):
    """Days `first` to `last` in the report's zone; `start`/`end` in UTC, end exclusive."""

    label: str
    first: date
    last: date
    start: datetime
    end: datetime


class ActionTaken(BaseModel):
    """A corrective or preventive action of the report's sites, open during the period."""

    id: str
    number: str
    site_id: str
    kind: str
    source: str
    category: str | None
    topic: str | None
    # What routing's own actions were opened on, to say the problem in words; published
    # reports made before these were kept have none of them.
    campaign_title: str | None = None
    rate_before: float | None = None
    target: float | None = None
    answers_before: int | None = None
    complaints_before: int | None = None
    window_days: int | None = None
    problem: str
    action: str | None
    status: str
    opened_at: datetime
    completed_at: datetime | None
    verified_at: datetime | None
    effective: bool | None


class ComplaintReportRead(BaseModel):
    """The complaint report (顾客投诉报告) of a site, a region or the group."""

    scope: Scope
    site_id: str | None = None
    region: str | None = None
    name: str
    sites: list[str]
    timezone: str
    period: PeriodRead
    previous_period: PeriodRead
    generated_at: datetime
    figures: list[Figure]
    lines: list[Line]
    handling: list[HandlingLine] = Field(
        default_factory=list, description="each site's complaint-handling satisfaction rate"
    )
    recurring: list[ActionTaken]
    actions: list[ActionTaken]

    def figure(self, name: str) -> Figure:
        """The headline figure called `name`."""
        return next(f for f in self.figures if f.name == name)


class PublishedReport(BaseModel):
    """A monthly report as it was published for a site."""

    id: str
    site_id: str
    period: str
    period_start: datetime
    period_end: datetime
    complaints: int
    valid: int
    invalid: int
    published_at: datetime
    url: str


# What a report may be asked for, and the cases behind its figures.


class SiteScope(BaseModel):
    """A site the principal may report on, with its name and region."""

    site_id: str
    name: str
    region: str | None


class RegionScope(BaseModel):
    """A region every one of whose sites the principal sees."""

    region: str
    sites: list[str]


class DepartmentName(BaseModel):
    """A department code of the principal's sites and its names (the first site's)."""

    code: str
    name: str
    name_zh: str


class ScopesRead(BaseModel):
    """What the principal may ask a report of (sites, whole regions, the group), and the
    names of the departments its figures are broken down by."""

    group: bool
    regions: list[RegionScope]
    sites: list[SiteScope]
    departments: list[DepartmentName]


class OpenLine(BaseModel):
    """Open cases of one site, department and status now, and how many are overdue."""

    site_id: str
    department: str
    status: str
    count: int
    overdue: int


class OpenCasesRead(BaseModel):
    """The cases still open now in a site, a region or the group, as the queues list them."""

    scope: Scope
    site_id: str | None = None
    region: str | None = None
    sites: list[str]
    as_of: datetime
    open: int
    overdue: int
    lines: list[OpenLine]
