"""API models of responses: interviewer entry, re-check verdicts, tasks and reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from shared.contracts.surveys import Language, Method
from shared.http.pagination import Page
from surveys.campaigns.schemas import AskedTopic, Closed, Name
from surveys.responses.rules import MAX_COMMENT

LevelKey = Annotated[str, StringConstraints(max_length=30)]
Answers = dict[AskedTopic, LevelKey | None]


def plain(answers: Answers) -> dict[str, str | None]:
    """The answers keyed by plain strings, as the rules read them."""
    return {str(topic): level for topic, level in answers.items()}


class EntryCreate(Closed):
    """A response a surveyor collected at the door, by phone, outdoors or on a paper form."""

    household_id: Name
    method: Method
    form: Literal["interview", "paper"] = "interview"
    paper_ref: str | None = Field(default=None, min_length=1, max_length=40)
    answers: Answers = Field(description="level per topic; a topic left out is a blank")
    comment: str | None = Field(default=None, max_length=MAX_COMMENT)
    language: Language = "zh-CN"


class RecheckIn(Closed):
    """A supervisor's verdict after comparing an entry with its paper form."""

    outcome: Literal["confirmed", "corrected"]
    answers: Answers | None = Field(default=None, description="the paper form's, if corrected")
    note: str | None = Field(default=None, max_length=1000)


class ResponseRead(BaseModel):
    id: str
    campaign_id: str
    household_id: str
    building: str
    unit: str | None = Field(default=None, description="from the frame; None if unknown")
    key: bool
    method: str
    source: str
    form: str
    paper_ref: str | None
    collected_by: str | None
    collector_name: str | None
    language: str
    comment: str | None
    submitted_at: datetime
    recheck_status: str | None
    rechecked_by: str | None
    rechecked_at: datetime | None
    answers: dict[str, str | None]


ResponsePage = Page[ResponseRead]


class TaskRead(BaseModel):
    id: str
    campaign_id: str
    household_id: str
    method: str
    building: str
    unit: str
    phone: str | None
    status: str
    done_at: datetime | None
    response_id: str | None


TaskPage = Page[TaskRead]
