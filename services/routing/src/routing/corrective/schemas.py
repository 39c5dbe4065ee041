"""API models of corrective and preventive actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from routing.cases.schemas import Text
from routing.inputs import ID_PATTERN, STAFF_PATTERN
from shared.contracts.intake import Category
from shared.contracts.surveys import Topic

Kind = Literal["corrective", "preventive"]
Source = Literal["cases", "survey", "recurring"]
MAX_CASES = 100

CaseRef = Annotated[str, Field(pattern=ID_PATTERN)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(_Input):
    analysis: Text = Field(description="the cause found by analysing the complaints")
    action: Text = Field(description="what will be done about it")
    owner: str = Field(pattern=STAFF_PATTERN, description="the staff id who carries it out")
    due_at: AwareDatetime
    kind: Kind | None = Field(default=None, description="change corrective <-> preventive")


class CorrectiveActionCreate(_Input):
    case_ids: list[CaseRef] = Field(
        min_length=1, max_length=MAX_CASES, description="the cases it is opened from (one site)"
    )
    kind: Kind
    problem: Text = Field(description="what the complaints show")
    category: Category | None = Field(
        default=None, description="verify by the complaint count of this category"
    )
    topic: Topic | None = Field(default=None, description="verify by the next survey's topic")
    plan: PlanIn | None = Field(default=None, description="the analysis and action, if known")


class CompleteIn(_Input):
    note: str | None = Field(default=None, max_length=4000, description="what was done")


class VerifyIn(_Input):
    effective: bool
    note: Text = Field(description="how the effectiveness was judged")


class ActionRead(BaseModel):
    id: str
    number: str
    site_id: str
    kind: str
    source: str
    status: str
    category: str | None
    topic: str | None
    campaign_id: str | None
    campaign_title: str | None = None
    answers_before: int | None = Field(
        default=None, description="the valid answers a survey's rate came from"
    )
    problem: str
    analysis: str | None
    action: str | None
    owner: str | None
    due_at: datetime | None
    overdue: bool
    opened_by: str | None
    opened_at: datetime
    window_days: int
    rate_before: float | None
    target: float | None
    complaints_before: int | None
    completed_at: datetime | None
    completion_note: str | None
    verified_at: datetime | None
    verified_by: str | None
    effective: bool | None
    basis: str | None
    rate_after: float | None
    complaints_after: int | None
    verification: dict[str, Any]
    version: int
    case_ids: list[str]


class CaseLink(BaseModel):
    """A case an action came from, as a list of them names it."""

    id: str
    reference: str
    category: str
    status: str
    received_at: datetime


class ActionDetail(ActionRead):
    """An action with the cases it came from, and what the reader may do to it now."""

    cases: list[CaseLink]
    actions: list[str] = Field(description="plan, complete, verify: the steps the reader may take")
