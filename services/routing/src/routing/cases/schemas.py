"""API models of cases: what each action takes, and how a case reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from routing.inputs import STAFF_PATTERN
from shared.contracts.routing import InvalidReason
from shared.http.invalid import invalid

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
Queue = Literal["all", "mine", "department", "escalated_to_me", "overdue", "waiting_on_developer"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgressIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "已联系维修班组，今天下午上门检查"}]},
    )

    note: Text = Field(description="what was done; the resident sees it")


class ValidityIn(_Input):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"valid": False, "reason": "developer"}]}
    )

    valid: bool
    reason: InvalidReason | None = Field(default=None, description="required when invalid")

    @model_validator(mode="after")
    def _reason_with_invalid(self) -> Self:
        if self.valid and self.reason is not None:
            raise invalid("a valid complaint takes no reason", "有效投诉不填写无效原因")
        if not self.valid and self.reason is None:
            raise invalid("an invalid complaint needs a reason", "无效投诉须填写原因（reason）")
        return self


class TransmitIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "涉及外墙，需工程部与发展商协调"}]},
    )

    reason: Text = Field(description="why the holder cannot deal with the case")


class NoticeIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "department": "engineering",
                    "instructions": "三日内修复外墙渗水",
                    "due_at": "2026-12-06T18:00:00+08:00",
                }
            ]
        },
    )

    department: Code = Field(description="the main responsible department")
    instructions: Text
    due_at: AwareDatetime = Field(description="when the work must be done")
    handler: str | None = Field(default=None, pattern=STAFF_PATTERN, description="a named handler")


class ForwardIn(_Input):
    note: str | None = Field(default=None, max_length=4000)


class AnswerIn(_Input):
    answer: Text = Field(description="what the developer answered")


class ResolveIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"result": "更换了楼道灯", "reply": "楼道灯已修好，感谢您的反馈"}]
        },
    )

    result: Text = Field(description="what was done about it")
    reply: Text = Field(description="the final reply given to the resident")


class CaseRead(BaseModel):
    id: str
    complaint_id: str
    site_id: str
    reference: str
    channel: str
    kind: str
    category: str
    severity: str
    reporter_type: str
    household_id: str | None
    location: str | None
    summary: str = Field(description="the complaint's first 140 characters, '…' when cut")
    status: str
    level: str
    department: str
    handler: str | None
    owner: str | None
    validity: str | None
    invalid_reason: str | None
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledge_due_at: datetime | None
    acknowledge_breached_at: datetime | None
    resolve_due_at: datetime | None
    resolve_breached_at: datetime | None
    overdue: bool
    forwarded_at: datetime | None
    reminders: int
    resolved_at: datetime | None
    result: str | None
    reply: str | None
    closed_at: datetime | None
    reopen_count: int
    escalation_count: int
    version: int


class EntryRead(BaseModel):
    version: int
    type: str
    actor: str | None
    at: datetime
    data: dict[str, Any]


class SlipRead(BaseModel):
    number: str
    from_id: str
    from_level: str
    to_id: str | None
    to_level: str
    reason: str
    created_at: datetime
    decision: str | None
    decided_at: datetime | None
    outcome: str | None
    outcome_at: datetime | None


class NoticeRead(BaseModel):
    number: str
    slip_number: str | None
    issued_by: str
    issued_level: str
    department: str
    handler: str | None
    instructions: str
    due_at: datetime
    created_at: datetime
    outcome: str | None
    completed_at: datetime | None


class CaseDetail(CaseRead):
    """A case with its complaint, its full history, its slips and its notices."""

    description: str
    received_at: datetime
    actions: list[str] = Field(
        description="what you may do to the case now, in this order when allowed: accept, "
        "progress, judge_validity, transmit, issue_notice, forward_to_developer, "
        "record_developer_answer, resolve"
    )
    history: list[EntryRead]
    slips: list[SlipRead]
    notices: list[NoticeRead]


class CaseCounts(BaseModel):
    """How many cases each work queue of yours lists (what `GET /v1/cases?queue=` shows)."""

    mine: int
    department: int
    escalated_to_me: int
    overdue: int
    waiting_on_developer: int
