"""The one topic list and the contract types built from it."""

from __future__ import annotations

from typing import get_args

from shared.contracts.intake import Category
from shared.contracts.surveys import Topic
from shared.contracts.topics import OVERALL, TOPICS


def test_the_standard_has_eight_topics_in_its_order() -> None:
    assert len(TOPICS) == 8
    assert TOPICS[0] == "housing_management"
    assert TOPICS[-1] == "convenience_services"


def test_a_survey_topic_is_an_asked_topic_or_overall() -> None:
    assert get_args(Topic) == (*TOPICS, OVERALL)


def test_a_complaint_category_is_an_asked_topic_fees_or_other() -> None:
    assert get_args(Category) == (*TOPICS, "fees", "other")
