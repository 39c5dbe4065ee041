"""The report's action table: every action said in words, counts with their plurals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from routing.reports.html import _actions
from routing.reports.labels import action_problem, answers, key_label
from routing.reports.schemas import ActionTaken


def _action(**facts: Any) -> ActionTaken:
    given: dict[str, Any] = {
        "id": "a1", "number": "CA-1", "site_id": "demo", "kind": "corrective",
        "source": "survey", "category": None, "topic": "housing_management",
        "problem": "Satisfaction with housing_management was 50.0% in campaign camp-9",
        "action": None, "status": "open", "opened_at": datetime(2026, 5, 1, tzinfo=UTC),
        "completed_at": None, "verified_at": None, "effective": None,
        "campaign_title": "春季测评", "rate_before": 0.5, "target": 0.9, "answers_before": 1,
    }  # fmt: skip
    return ActionTaken.model_validate(given | facts)


@pytest.mark.parametrize(
    ("n", "lang", "said"),
    [(1, "en", "1 answer"), (2, "en", "2 answers"), (0, "en", "0 answers"), (1, "zh", "1 份答卷")],
)
def test_answers_are_counted_with_their_plural(n: int, lang: Any, said: str) -> None:
    assert answers(n, lang) == said


def test_a_survey_action_names_its_campaign_by_title() -> None:
    a = _action()
    assert action_problem(a, "zh") == "春季测评：房管满意率 50.0%，低于质量目标 90.0%（1 份答卷）"
    assert action_problem(a, "en") == (
        "春季测评: Satisfaction with Housing management was 50.0%, under the quality target"
        " of 90.0% (1 answer)"
    )


def test_an_action_from_before_titles_were_kept_does_not_show_the_campaign_id() -> None:
    a = _action(campaign_title=None, answers_before=None)
    assert action_problem(a, "zh") == "房管满意率 50.0%，低于质量目标 90.0%"
    assert "camp-9" not in action_problem(a, "en")


def test_a_recurring_problem_and_a_written_one() -> None:
    recurring = _action(
        source="recurring", topic=None, category="cleaning", complaints_before=1, window_days=30
    )
    assert action_problem(recurring, "zh") == "30 天内清洁类有效投诉 1 起，问题重复出现"
    assert action_problem(recurring, "en").startswith("1 valid complaint about Cleaning within")
    written = _action(source="cases", problem="电梯异响")
    assert action_problem(written, "en") == "电梯异响"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_table_has_no_raw_codes(lang: Any) -> None:
    table = _actions([_action(status="verified", effective=True, kind="preventive")], lang)
    for raw in ("preventive", "verified", "housing_management", "camp-9", "1 answers"):
        assert raw not in table
    assert ("预防措施" if lang == "zh" else "Preventive action") in table
    assert ("已验证" if lang == "zh" else "Verified") in table


def test_an_escalation_reason_heads_its_line_with_a_capital() -> None:
    assert key_label("escalation_reason", "transmittal", "en", {}) == "Transmittal slip"
    assert key_label("escalation_reason", "sla", "zh", {}) == "超时自动上报"
