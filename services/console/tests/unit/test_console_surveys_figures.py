"""The results page's rows and charts come from the same numbers: rates in percent to one
decimal, each topic against its own target, the previous survey beside it, and a topic
with too few answers never shown as met."""

from __future__ import annotations

from typing import Any

from console.surveys import figures, forms
from console.web.messages import MESSAGES

LEVELS = ["very_satisfied", "satisfied", "fairly_satisfied", "neutral", "dissatisfied"]
SCALE = [
    {"key": k, "score": 5 - i, "zh": zh, "en": en}
    for i, (k, zh, en) in enumerate(
        zip(LEVELS, ["很满意", "满意", "较满意", "一般", "不满意"],
            ["Very satisfied", "Satisfied", "Fairly satisfied", "Neutral", "Dissatisfied"],
            strict=True)
    )
]  # fmt: skip


def topic(name: str, valid: int, satisfied: int, **extra: Any) -> dict[str, Any]:
    rate = satisfied / valid if valid else None
    return {
        "topic": name,
        "valid": valid,
        "blank": 1,
        "satisfied": satisfied,
        "rate": rate,
        "ci_low": 0.30123 if valid else None,
        "ci_high": 0.95449 if valid else None,
        "mean_score": 3.25 if valid else None,
        "distribution": {"very_satisfied": satisfied, "dissatisfied": valid - satisfied},
        "target": extra.pop("target", 0.9),
        "met": None if rate is None else rate >= extra.get("target", 0.9),
        "enough": extra.pop("enough", True),
        "previous_rate": extra.pop("previous_rate", None),
        "change": extra.pop("change", None),
    }


RESULTS = {
    "topics": [
        topic("cleaning", 4, 3, previous_rate=1.0, change=-0.25),
        topic("security", 1, 1, target=0.8, enough=False, previous_rate=1.0, change=0.0),
        topic("greening", 0, 0, enough=False),
        topic("overall", 5, 4, previous_rate=1.0, change=-0.2),
    ],
    "by_building": [
        {"name": "3栋", "sample_size": 3, "responses": 2, "response_rate": 2 / 3,
         "topics": [topic("overall", 3, 2)]},
    ],
    "by_sample": [
        {"name": "key", "sample_size": 1, "responses": 1, "response_rate": 1.0,
         "topics": [topic("cleaning", 1, 0), topic("overall", 2, 1)]},
        {"name": "random", "sample_size": 4, "responses": 3, "response_rate": 0.75,
         "topics": [topic("cleaning", 3, 3), topic("overall", 3, 3)]},
    ],
}  # fmt: skip


def test_too_few_answers_is_never_met_and_no_answer_is_said_so() -> None:
    rows = figures.rows(RESULTS, "zh")
    assert [(r.name, r.verdict) for r in rows] == [
        ("清洁", "missed"),
        ("治安", "thin"),  # 100 % of one answer: not enough to judge, not "met"
        ("绿化", "none"),
        ("总体", "missed"),
    ]
    cleaning = rows[0]
    assert (cleaning.rate, cleaning.low, cleaning.high, cleaning.mean) == (75.0, 30.1, 95.4, 3.25)
    assert (cleaning.target, cleaning.previous, cleaning.change) == (90.0, 100.0, -25.0)
    assert figures.verdict({"rate": 0.95, "met": True, "enough": True}) == "met"
    assert figures.verdict({"rate": 0.95, "met": True, "enough": None}) == "met"


def test_the_rate_chart_draws_the_rows_numbers_each_against_its_target() -> None:
    rows = figures.rows(RESULTS, "en")
    option = figures.rate_chart(rows, "en", previous=True)
    rates, previous, targets = option["series"]
    assert option["xAxis"]["data"] == ["Cleaning", "Security", "Greening", "Overall"]
    assert rates["data"] == [r.rate for r in rows] == [75.0, 100.0, None, 80.0]
    assert previous["data"] == [100.0, 100.0, None, 100.0]
    assert (targets["type"], targets["data"]) == ("scatter", [90.0, 80.0, 90.0, 90.0])
    assert option["legend"]["data"] == ["Satisfaction rate", "Previous survey", "Quality target"]
    assert (option["yAxis"]["min"], option["yAxis"]["max"]) == (0, 100)
    alone = figures.rate_chart(rows, "zh", previous=False)
    assert [s["name"] for s in alone["series"]] == ["本次满意率", "质量目标"]


def test_the_spread_stacks_counts_per_level_in_the_campaigns_words() -> None:
    rows = figures.rows(RESULTS, "zh")
    levels = figures.level_names(SCALE, "zh")
    option = figures.distribution_chart(rows, levels)
    assert [s["name"] for s in option["series"]] == ["很满意", "满意", "较满意", "一般", "不满意"]
    assert option["series"][0]["data"] == [3, 1, 0, 4]
    assert option["series"][4]["data"] == [1, 0, 0, 1]
    assert {s["stack"] for s in option["series"]} == {"all"}
    assert option["yAxis"]["minInterval"] == 1
    assert option["color"][0] != option["color"][4]


def test_buildings_and_the_two_samples_are_named_and_compared_topic_by_topic() -> None:
    rows = figures.rows(RESULTS, "zh")
    buildings = figures.groups(RESULTS["by_building"])
    assert (buildings[0].name, buildings[0].response_rate) == ("3栋", 66.7)
    assert figures.building_chart(buildings, "zh")["series"][0]["data"] == [66.7]
    parts = figures.groups(RESULTS["by_sample"], figures.sample_names("zh"))
    option = figures.sample_chart(rows, parts)
    assert [s["name"] for s in option["series"]] == ["重点样本", "随机样本"]
    assert [s["data"] for s in option["series"]] == [
        [0.0, None, None, 50.0],
        [100.0, None, None, 100.0],
    ]


def test_every_phrase_the_pages_make_from_a_code_exists() -> None:
    made = (
        [f"surveys.verdict.{v}" for v in ("met", "missed", "thin", "none")]
        + [f"surveys.mode.{m}" for m in forms.MODES]
        + [f"surveys.form.{f}" for f in ("interview", "paper", "online")]
        + [f"surveys.error.{e}" for e in ("percent", "margin", "rate", "size", "key_min")]
        + [
            f"surveys.done.{d}"
            for d in ("created", "drawn", "closed", "entered", "confirmed", "corrected")
        ]
    )
    assert sorted(set(made) - MESSAGES.keys()) == []
