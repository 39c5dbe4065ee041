"""Events produced by surveys: invitations and reminders, closed campaigns, missed targets and
callbacks."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import Event
from shared.contracts.topics import AskedTopic, Overall

Topic = Literal[AskedTopic, Overall]
Method = Literal["door_to_door", "phone", "outdoor", "questionnaire"]
Language = Literal["zh-CN", "en"]
CampaignKind = Literal["regular", "special"]


class SurveyInvitationIssued(Event):
    """A sampled household is invited to fill in the questionnaire through a single-use link."""

    type = "survey.invitation_issued"
    source = "surveys"

    invitation_id: str
    campaign_id: str
    site_id: str
    household_id: str
    title: str = Field(description="the campaign's title, for the message")
    url: str = Field(description="the questionnaire link; the token is its last segment")
    token: str = Field(description="the single-use token inside the link")
    expires_at: datetime
    language: Language = "zh-CN"


class SurveyReminderIssued(Event):
    """A sampled household that has not answered is reminded before the close, with a new link."""

    type = "survey.reminder_issued"
    source = "surveys"

    invitation_id: str = Field(description="the invitation reminded; either link spends it")
    campaign_id: str
    site_id: str
    household_id: str
    title: str = Field(description="the campaign's title, for the message")
    url: str = Field(description="a second single-use link to the same questionnaire")
    token: str = Field(description="the single-use token inside the link")
    expires_at: datetime
    language: Language = "zh-CN"


class TopicOutcome(BaseModel):
    """The satisfaction of one topic (or overall) when a campaign closed."""

    model_config = ConfigDict(frozen=True)

    topic: Topic
    valid: int = Field(ge=0, description="answers given; blanks and unreturned abstain")
    satisfied: int = Field(ge=0)
    rate: float | None = Field(default=None, description="satisfied / valid; null when none")
    target: float
    met: bool | None = Field(default=None, description="null when nobody answered")


class SurveyCompleted(Event):
    """A campaign closed; its results per topic and overall are final."""

    type = "survey.completed"
    source = "surveys"

    campaign_id: str
    site_id: str
    kind: CampaignKind
    title: str
    closed_at: datetime
    sample_size: int = Field(ge=0)
    responses: int = Field(ge=0)
    response_rate: float | None = None
    outcomes: list[TopicOutcome] = Field(default_factory=list)


class SurveyTargetMissed(Event):
    """A topic (or overall) closed under its quality target (DESIGN.md §1 rule 13)."""

    type = "survey.target_missed"
    source = "surveys"

    campaign_id: str
    site_id: str
    topic: Topic
    rate: float
    target: float
    valid: int = Field(ge=0, description="the answers the rate is computed from")
    ci_low: float | None = Field(default=None, description="95% Wilson interval, lower end")
    ci_high: float | None = Field(default=None, description="95% Wilson interval, upper end")
    closed_at: datetime
    title: str | None = Field(
        default=None, description="the campaign's title, for the documents that name it"
    )


class SurveyCallbackRequested(Event):
    """A resident left a low score with a comment: call them back before `due_at`."""

    type = "survey.callback_requested"
    source = "surveys"

    callback_key: str = Field(description="stable per campaign and household, for dedupe")
    campaign_id: str
    site_id: str
    household_id: str
    response_id: str
    topic: Topic = Field(description="the topic with the lowest score")
    level: str = Field(description="the scale level chosen, e.g. dissatisfied")
    score: int
    comment: str
    due_at: datetime
