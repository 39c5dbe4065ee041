"""API models of rectifications: what each action takes, and how a rectification reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from routing.cases.schemas import Code, Text
from routing.inputs import ID_PATTERN
from shared.http.invalid import invalid

MAX_ITEMS = 50


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemIn(_Input):
    team: Code = Field(description="the rectification team: a department code of the site")
    task: Text = Field(description="what the team must do")
    due_at: AwareDatetime = Field(description="when the team's item must be done")


class RectificationCreate(_Input):
    site_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="required without a case"
    )
    case_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="the case (or staff finding) it is for"
    )
    title: str = Field(min_length=1, max_length=200)
    problem: Text
    measures: Text = Field(description="the rectification measures (整改措施)")
    due_at: AwareDatetime = Field(description="the completion time of the whole rectification")
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _where(self) -> Self:
        if self.site_id is None and self.case_id is None:
            raise invalid(
                "name the site_id, or the case_id it is opened from",
                "请填写 site_id（管理处），或整改所依据的投诉案件 case_id",
            )
        if any(item.due_at > self.due_at for item in self.items):
            raise invalid(
                "no item may be due after the rectification's completion time",
                "整改项的完成期限不能晚于整改的完成时间",
            )
        return self


class ReportIn(_Input):
    note: Text = Field(description="what the team did")
    done: bool = Field(default=False, description="true when the item is finished")


class AcceptIn(_Input):
    note: str | None = Field(default=None, max_length=4000, description="the inspection's note")


class RejectIn(_Input):
    reason: Text = Field(description="why the work did not pass acceptance")
    items: list[int] | None = Field(
        default=None, max_length=MAX_ITEMS, description="positions to reopen; all when omitted"
    )
    due_at: AwareDatetime | None = Field(default=None, description="a new due time for them")


class ItemRead(BaseModel):
    position: int
    team: str
    task: str
    due_at: datetime
    status: str
    overdue: bool
    level: str
    escalated_to: str | None
    reports: int
    done_at: datetime | None


class RectificationRead(BaseModel):
    id: str
    number: str
    site_id: str
    origin: str
    case_id: str | None
    case_reference: str | None = Field(description="the reference of the case it came from")
    complaint_id: str | None
    title: str
    problem: str
    measures: str
    due_at: datetime
    status: str
    overdue: bool = Field(
        description="not accepted, and past its completion time or with an item past its own"
    )
    opened_by: str
    opened_at: datetime
    submitted_at: datetime | None
    rejections: int
    accepted_by: str | None
    accepted_at: datetime | None
    acceptance_note: str | None
    version: int
    report_url: str
    items: list[ItemRead]


class EntryRead(BaseModel):
    version: int
    position: int | None
    type: str
    actor: str | None
    at: datetime
    data: dict[str, Any]


class RectificationDetail(RectificationRead):
    """A rectification with its whole history, and what the reader may do to it now."""

    history: list[EntryRead]
    actions: list[str] = Field(description="accept and reject, when the reader may decide now")
    reportable: list[int] = Field(description="positions of the items the reader may report on")
