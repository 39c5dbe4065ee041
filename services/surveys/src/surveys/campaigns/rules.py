"""The vocabulary of surveys and the pure decisions about a campaign's shape and life.

Topics, methods and the default scale come from the group's satisfaction evaluation
standard (DESIGN.md §1 rule 12 and the glossary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from shared.contracts import topics as standard
from shared.contracts.surveys import Method, Topic
from shared.words import Lang

OVERALL: Topic = standard.OVERALL
METHODS: tuple[Method, ...] = ("door_to_door", "phone", "outdoor", "questionnaire")
INTERVIEW_METHODS: tuple[Method, ...] = ("door_to_door", "phone", "outdoor")
DEFAULT_TARGET = 0.9
DEFAULT_RECHECK_RATE = 0.1
DEFAULT_REMIND_BEFORE_DAYS = 3
Status = Literal["draft", "drawn", "open", "closed"]


@dataclass(frozen=True)
class Level:
    """One step of a satisfaction scale: its key, its score and its labels."""

    key: str
    score: int
    zh: str
    en: str

    def label(self, language: str) -> str:
        """The label in `language` (zh-CN or en)."""
        return self.zh if language == "zh-CN" else self.en


DEFAULT_SCALE = (
    Level("very_satisfied", 5, "很满意", "Very satisfied"),
    Level("satisfied", 4, "满意", "Satisfied"),
    Level("fairly_satisfied", 3, "较满意", "Fairly satisfied"),
    Level("neutral", 2, "一般", "Neutral"),
    Level("dissatisfied", 1, "不满意", "Dissatisfied"),
)
DEFAULT_SATISFIED = ("very_satisfied", "satisfied", "fairly_satisfied")


def scale_of(stored: list[dict[str, Any]]) -> tuple[Level, ...]:
    """The scale as stored on a campaign."""
    return tuple(Level(**item) for item in stored)


def scale_problem(
    scale: tuple[Level, ...], satisfied: tuple[str, ...], lang: Lang = "en"
) -> str | None:
    """Why a scale cannot be used, in `lang`; or None when it can."""
    keys = [level.key for level in scale]
    if len(scale) < 2:
        return _said(lang, "a scale needs at least two levels", "量表至少要有两个等级")
    if len(set(keys)) != len(keys):
        return _said(lang, "the scale's level keys must be distinct", "量表各等级的 key 不能重复")
    if not satisfied:
        return _said(lang, "at least one level must count as satisfied", "至少要有一个等级算作满意")
    unknown = ", ".join(sorted(set(satisfied) - set(keys)))
    if unknown:
        return _said(
            lang,
            f"satisfied_levels names levels the scale does not have: {unknown}",
            f"satisfied_levels 中有量表没有的等级：{unknown}",
        )
    if set(satisfied) == set(keys):
        return _said(
            lang, "at least one level must count as not satisfied", "至少要有一个等级算作不满意"
        )
    return None


def _said(lang: Lang, english: str, chinese: str) -> str:
    return chinese if lang == "zh" else english


def targets_for(topics: list[str], given: dict[str, float] | None) -> dict[str, float]:
    """The quality target of every topic asked and overall; DEFAULT_TARGET where not given."""
    given = given or {}
    return {topic: float(given.get(topic, DEFAULT_TARGET)) for topic in [*topics, OVERALL]}


def may_draw(status: str) -> bool:
    """A sample is drawn once, before the campaign opens."""
    return status == "draft"


def may_close(status: str) -> bool:
    """Any campaign not closed yet may be closed."""
    return status != "closed"


def accepts_responses(status: str) -> bool:
    """Responses come in while the campaign is open."""
    return status == "open"


def reminder_due(*, opened_at: datetime, closes_at: datetime, days: int) -> datetime | None:
    """When who has not answered is reminded: `days` before the close, or never when that is
    not after the opening (the invitation itself is that recent) or `days` is 0."""
    if days <= 0:
        return None
    due = closes_at - timedelta(days=days)
    return due if due > opened_at else None
