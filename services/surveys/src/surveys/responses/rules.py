"""Pure decisions about responses: reading a form, the re-check sample, callbacks, tokens."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row

from shared.bus import outbox
from shared.contracts.surveys import SurveyInvitationIssued, SurveyReminderIssued
from surveys.campaigns.rules import Level

CALLBACK_WITHIN = timedelta(days=15)
LINK_PATH = "/s/"
"""Where a questionnaire link's token goes, after the public base (questionnaire_router.py)."""
MAX_COMMENT = 2000


def hash_token(token: str) -> str:
    """What is stored of a link's token: its SHA-256, so a leaked table opens no form."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_event(
    kind: type[SurveyInvitationIssued | SurveyReminderIssued],
    campaign: Row[Any],
    *,
    household_id: str,
    invitation_id: str,
    token: str,
    link_base: str,
) -> outbox.Outgoing:
    """The event that carries a household's single-use link to notify: the invitation, or
    the reminder with its second link."""
    event = kind(
        invitation_id=invitation_id,
        campaign_id=campaign.id,
        site_id=campaign.site_id,
        household_id=household_id,
        title=campaign.title,
        url=f"{link_base}{LINK_PATH}{token}",
        token=token,
        expires_at=campaign.closes_at,
        language=campaign.language,
    )
    return outbox.Outgoing(event, site_id=campaign.site_id, aggregate_id=campaign.id)


class AnswerError(ValueError):
    """A form names a topic or level the campaign does not have (`zh`: why, in Chinese)."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


def read_answers(
    given: Mapping[str, str | None], *, topics: list[str], scale: tuple[Level, ...]
) -> dict[str, str | None]:
    """The level chosen per topic asked; a topic left out or empty is a blank (None)."""
    unknown = sorted(set(given) - set(topics))
    if unknown:
        raise AnswerError(
            f"the campaign does not ask about: {', '.join(unknown)}",
            f"本次测评没有这些项目：{', '.join(unknown)}",
        )
    keys = {level.key for level in scale}
    answers = {topic: (given.get(topic) or None) for topic in topics}
    wrong = sorted(f"{t}={v}" for t, v in answers.items() if v is not None and v not in keys)
    if wrong:
        raise AnswerError(
            f"not a level of the campaign's scale: {', '.join(wrong)}",
            f"不是本次测评量表中的等级：{', '.join(wrong)}",
        )
    return answers


def recheck_offset(seed: int) -> float:
    """Where in the first interval the systematic re-check selection starts, in [0, 1)."""
    return (seed % 1_000_003) / 1_000_003


def selected_for_recheck(ordinal: int, *, rate: float, offset: float) -> bool:
    """Systematic selection: the `ordinal`-th interviewer entry (from 1) is re-checked when
    floor(ordinal·rate + offset) steps up, so after m entries floor(m·rate + offset) of
    them are selected: 10% means exactly one in every ten."""
    if rate <= 0:
        return False
    return math.floor(ordinal * rate + offset) > math.floor((ordinal - 1) * rate + offset)


@dataclass(frozen=True)
class LowScore:
    """The worst answer of a response that asks for a callback."""

    topic: str
    level: str
    score: int


def low_score(
    answers: Mapping[str, str | None], *, scale: tuple[Level, ...], satisfied: tuple[str, ...]
) -> LowScore | None:
    """The lowest-scored answer that is not satisfied, or None when every answer is."""
    scores = {level.key: level.score for level in scale}
    unhappy = [(scores[v], t, v) for t, v in answers.items() if v and v not in satisfied]
    if not unhappy:
        return None
    score, topic, level = min(unhappy)
    return LowScore(topic, level, score)


def wants_callback(low: LowScore | None, comment: str | None) -> bool:
    """A resident who left a low score and a comment is called back (DESIGN.md §1 rule 7)."""
    return low is not None and bool(comment and comment.strip())


def callback_due(closed_at: datetime) -> datetime:
    """Callbacks are due within fifteen days of the close."""
    return closed_at + CALLBACK_WITHIN
