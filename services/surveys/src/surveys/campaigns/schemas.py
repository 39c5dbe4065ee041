"""API models of campaigns: what a planner sends, what readers get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from shared.contracts.surveys import CampaignKind, Language, Method, Topic
from shared.contracts.topics import TOPICS
from shared.contracts.topics import AskedTopic as AskedTopic  # what a campaign may ask
from shared.http.invalid import invalid
from shared.http.pagination import Page
from surveys.campaigns.rules import DEFAULT_RECHECK_RATE, DEFAULT_REMIND_BEFORE_DAYS

Rate = Annotated[float, Field(ge=0, le=1)]
Name = Annotated[str, Field(min_length=1, max_length=64)]


class Closed(BaseModel):
    """Refuses fields nobody asked for: a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid")


class LevelIn(Closed):
    """One level of a custom scale."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,29}$")
    score: int = Field(ge=0, le=100)
    zh: str = Field(min_length=1, max_length=20)
    en: str = Field(min_length=1, max_length=40)


class SamplingIn(Closed):
    """How the random part of the sample is sized; the key sample always comes on top."""

    rate: float | None = Field(default=None, gt=0, le=1, description="share of the frame")
    size: int | None = Field(default=None, ge=1, le=1_000_000, description="households")
    confidence: float = Field(default=0.95, ge=0.5, le=0.999)
    margin: float = Field(default=0.05, ge=0.005, le=0.5)
    stratify: bool = Field(default=True, description="proportional to each building")
    rotate: bool = Field(default=False, description="leave out last campaign's households")
    key_min_complaints: int = Field(default=3, ge=0, le=100, description="0: off")

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.rate is not None and self.size is not None:
            raise invalid(
                "give a rate or a size, not both (or neither, for a precision)",
                "抽样比例（rate）和样本量（size）只填其一，不能都填（都不填则按精度计算）",
            )
        return self


class CampaignShape(Closed):
    """What is asked, how, on which scale and against which targets: a campaign's shape, and
    what a schedule gives each period's campaign."""

    topics: list[AskedTopic] = Field(default_factory=lambda: list(TOPICS), min_length=1)
    methods: list[Method] = Field(default=["questionnaire", "door_to_door"], min_length=1)
    scale: list[LevelIn] | None = Field(default=None, min_length=2, max_length=11)
    satisfied_levels: list[str] | None = Field(default=None, max_length=11)
    targets: dict[Topic, Rate] | None = None
    buildings: list[Name] | None = Field(default=None, min_length=1, max_length=500)
    sampling: SamplingIn = Field(default_factory=SamplingIn)
    recheck_rate: Rate = DEFAULT_RECHECK_RATE
    language: Language = "zh-CN"
    remind_before_days: int = Field(
        default=DEFAULT_REMIND_BEFORE_DAYS,
        ge=0,
        le=90,
        description="days before the close that who has not answered is reminded; 0: never",
    )

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.topics)) != len(self.topics) or len(set(self.methods)) != len(self.methods):
            raise invalid(
                "topics and methods must not repeat",
                "测评项目（topics）和征询方式（methods）不能重复",
            )
        return self


class CampaignCreate(CampaignShape):
    """A new campaign, regular (site and period) or special (any topic, any buildings)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "site_id": "demo",
                    "kind": "regular",
                    "title": "2026年第四季度满意度调查",
                    "period": "2026-Q4",
                    "opens_at": "2026-12-07T09:00:00+08:00",
                    "closes_at": "2026-12-21T18:00:00+08:00",
                    "methods": ["questionnaire", "door_to_door"],
                    "sampling": {"confidence": 0.95, "margin": 0.05},
                }
            ]
        },
    )

    site_id: Name
    kind: CampaignKind = "regular"
    title: str = Field(min_length=1, max_length=200)
    period: str | None = Field(default=None, pattern=r"^\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$")
    opens_at: AwareDatetime
    closes_at: AwareDatetime

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.closes_at <= self.opens_at:
            raise invalid(
                "closes_at must be after opens_at",
                "closes_at（结束时间）须晚于 opens_at（开始时间）",
            )
        if self.kind == "regular" and self.period is None:
            raise invalid(
                "a regular campaign names its period (2026-Q4, 2026-H2, 2026-11)",
                "满意度征询（regular）须填写期间（period，如 2026-Q4、2026-H2、2026-11）",
            )
        if self.kind == "special" and self.period is not None:
            raise invalid(
                "a special campaign has no period", "专项调查（special）不填写期间（period）"
            )
        return self


class LevelRead(BaseModel):
    key: str
    score: int
    zh: str
    en: str


class CampaignRead(BaseModel):
    """A campaign as stored, with its sample's figures once drawn."""

    id: str
    site_id: str
    kind: str
    title: str
    period: str | None
    status: str
    version: int
    topics: list[str]
    methods: list[str]
    scale: list[LevelRead]
    satisfied_levels: list[str]
    targets: dict[str, float]
    buildings: list[str] | None
    sampling: dict[str, Any]
    recheck_rate: float
    remind_before_days: int
    language: str
    opens_at: datetime
    closes_at: datetime
    created_at: datetime
    created_by: str
    seed: int | None
    drawn_at: datetime | None
    drawn_by: str | None = None
    frame_size: int | None
    key_size: int | None
    random_size: int | None
    opened_at: datetime | None
    closed_at: datetime | None


CampaignPage = Page[CampaignRead]


class DrawIn(Closed):
    """Draw the sample; a seed given here replays an earlier draw exactly."""

    seed: int | None = Field(default=None, ge=0, le=2**62)
