"""Rules of responses: reading answers, the re-check sample, callbacks, campaign shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from surveys.campaigns import rules as campaign_rules
from surveys.campaigns.rules import DEFAULT_SATISFIED, DEFAULT_SCALE, Level
from surveys.responses import rules

TOPICS = ["cleaning", "security"]


def test_answers_are_read_against_the_campaigns_topics_and_scale() -> None:
    read = rules.read_answers(
        {"cleaning": "satisfied", "security": ""}, topics=TOPICS, scale=DEFAULT_SCALE
    )
    assert read == {"cleaning": "satisfied", "security": None}
    assert rules.read_answers({}, topics=TOPICS, scale=DEFAULT_SCALE) == {
        "cleaning": None,
        "security": None,
    }
    with pytest.raises(rules.AnswerError, match="vehicles"):
        rules.read_answers({"vehicles": "satisfied"}, topics=TOPICS, scale=DEFAULT_SCALE)
    with pytest.raises(rules.AnswerError, match="cleaning=delighted"):
        rules.read_answers({"cleaning": "delighted"}, topics=TOPICS, scale=DEFAULT_SCALE)


@pytest.mark.parametrize("offset", [0.0, 0.37, 0.99])
@pytest.mark.parametrize(("rate", "entries", "chosen"), [(0.1, 100, 10), (0.1, 35, 3), (0.5, 4, 2)])
def test_the_recheck_sample_is_exactly_the_rate_of_interviewer_entries(
    offset: float, rate: float, entries: int, chosen: int
) -> None:
    picked = [
        n for n in range(1, entries + 1) if rules.selected_for_recheck(n, rate=rate, offset=offset)
    ]
    assert abs(len(picked) - chosen) <= (0 if rate * entries == int(rate * entries) else 1)
    assert rules.selected_for_recheck(1, rate=0.0, offset=offset) is False


def test_the_recheck_selection_is_spread_one_per_interval() -> None:
    picked = [n for n in range(1, 31) if rules.selected_for_recheck(n, rate=0.1, offset=0.0)]
    assert picked == [10, 20, 30]


def test_the_lowest_unsatisfied_answer_is_the_callbacks_topic() -> None:
    answers = {"cleaning": "neutral", "security": "dissatisfied", "greening": "satisfied"}
    low = rules.low_score(answers, scale=DEFAULT_SCALE, satisfied=DEFAULT_SATISFIED)
    assert low == rules.LowScore("security", "dissatisfied", 1)
    happy = {"cleaning": "satisfied", "security": None}
    assert rules.low_score(happy, scale=DEFAULT_SCALE, satisfied=DEFAULT_SATISFIED) is None


def test_a_callback_needs_both_a_low_score_and_a_comment() -> None:
    low = rules.LowScore("security", "dissatisfied", 1)
    assert rules.wants_callback(low, "The gate guard was asleep")
    assert not rules.wants_callback(low, "   ")
    assert not rules.wants_callback(None, "All good")
    closed = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert rules.callback_due(closed) == datetime(2027, 1, 15, 16, 0, tzinfo=UTC)


def test_tokens_are_stored_as_their_hash() -> None:
    assert (
        rules.hash_token("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_a_scale_must_have_distinct_levels_and_both_kinds_of_answer() -> None:
    two = (Level("yes", 2, "是", "Yes"), Level("no", 1, "否", "No"))
    assert campaign_rules.scale_problem(DEFAULT_SCALE, DEFAULT_SATISFIED) is None
    assert campaign_rules.scale_problem(two, ("yes",)) is None
    assert "distinct" in (campaign_rules.scale_problem((two[0], two[0]), ("yes",)) or "")
    assert "not satisfied" in (campaign_rules.scale_problem(two, ("yes", "no")) or "")
    assert "maybe" in (campaign_rules.scale_problem(two, ("maybe",)) or "")
    assert campaign_rules.scale_problem(two, ("yes", "no"), "zh") == "至少要有一个等级算作不满意"
    assert campaign_rules.scale_problem(two, ("maybe",), "zh") == (
        "satisfied_levels 中有量表没有的等级：maybe"
    )


def test_targets_default_to_ninety_percent_per_topic_and_overall() -> None:
    assert campaign_rules.targets_for(["cleaning"], {"overall": 0.85}) == {
        "cleaning": 0.9,
        "overall": 0.85,
    }
