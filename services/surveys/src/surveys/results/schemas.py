"""API models of results: per topic and overall, and broken down by building and sample."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TopicFigures(BaseModel):
    """One topic's satisfaction: rate with its 95% Wilson interval, mean, distribution."""

    topic: str
    valid: int = Field(description="answers given; blanks and unreturned forms abstain")
    blank: int = Field(description="returned forms that left this topic blank")
    satisfied: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    mean_score: float | None
    distribution: dict[str, int]
    target: float
    met: bool | None
    enough: bool | None = Field(
        default=None,
        description="valid answers (households, for overall) reach `needed`; None: not judged",
    )
    previous_rate: float | None = None
    change: float | None = Field(default=None, description="rate - previous_rate")


class GroupFigures(BaseModel):
    """The same figures for one building, or for the key or the random sample."""

    name: str
    sample_size: int
    responses: int
    response_rate: float | None
    topics: list[TopicFigures]


class ResultsRead(BaseModel):
    """A campaign's results: final once it is closed, provisional while it is open."""

    campaign_id: str
    site_id: str
    title: str
    status: str
    final: bool
    sample_size: int
    responses: int
    response_rate: float | None
    respondents: int = Field(default=0, description="households that answered some topic")
    confidence: float = Field(description="the campaign's precision: confidence level")
    margin: float = Field(description="the campaign's precision: margin of error")
    needed: int | None = Field(
        default=None, description="valid answers a topic needs at that precision (after the draw)"
    )
    previous_campaign_id: str | None
    topics: list[TopicFigures]
    by_building: list[GroupFigures]
    by_sample: list[GroupFigures]
