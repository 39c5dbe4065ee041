"""A campaign's results as the results page shows them: one row per topic, and the chart
options drawn from the very same numbers (so the charts and their tables cannot differ).

Pure, no I/O. Rates are shown in percent to one decimal; a topic whose answers are too
few for the campaign's precision is "not enough to judge", never "met".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.web import charts
from console.web.i18n import translate
from shared.words import Lang, value

TARGET_MARK = {"type": "scatter", "symbol": "rect", "symbolSize": [48, 4], "z": 3}
"""Each topic's target as a short dark bar across its group (targets differ by topic)."""
SCALE_COLOURS = ("#1e7b45", "#5fa66f", "#a9cf8e", "#d9a441", "#b42318")
"""A five-level scale from very satisfied (dark green) to dissatisfied (red)."""


def one_line(option: dict[str, Any]) -> dict[str, Any]:
    """The legend on one line that pages on a phone, instead of wrapping over the plot."""
    option["legend"]["type"] = "scroll"
    return option


def pct(share: float | None) -> float | None:
    """A share of one in percent, to one decimal (None stays None)."""
    return None if share is None else round(share * 100, 1)


def level_names(scale: list[dict[str, Any]], lang: Lang) -> dict[str, str]:
    """The campaign's own words for each level of its scale."""
    return {level["key"]: level["zh"] if lang == "zh" else level["en"] for level in scale}


def verdict(topic: dict[str, Any]) -> str:
    """met, missed, thin (too few answers to judge), or none (nobody answered)."""
    if topic["rate"] is None:
        return "none"
    if topic.get("enough") is False:
        return "thin"
    return "met" if topic["met"] else "missed"


@dataclass(frozen=True)
class TopicRow:
    """One topic's figures as the page shows them."""

    topic: str
    name: str
    valid: int
    blank: int
    satisfied: int
    rate: float | None
    low: float | None
    high: float | None
    mean: float | None
    target: float | None
    verdict: str
    previous: float | None
    change: float | None
    distribution: dict[str, int]


def row(topic: dict[str, Any], lang: Lang) -> TopicRow:
    """A topic of the results API as a row of the page."""
    mean = topic["mean_score"]
    return TopicRow(
        topic=topic["topic"],
        name=value("topic", topic["topic"], lang),
        valid=topic["valid"],
        blank=topic["blank"],
        satisfied=topic["satisfied"],
        rate=pct(topic["rate"]),
        low=pct(topic["ci_low"]),
        high=pct(topic["ci_high"]),
        mean=None if mean is None else round(mean, 2),
        target=pct(topic["target"]),
        verdict=verdict(topic),
        previous=pct(topic.get("previous_rate")),
        change=pct(topic.get("change")),
        distribution=dict(topic["distribution"]),
    )


def rows(results: dict[str, Any], lang: Lang) -> list[TopicRow]:
    """Every topic asked, then overall."""
    return [row(t, lang) for t in results["topics"]]


def rate_chart(topics: list[TopicRow], lang: Lang, *, previous: bool) -> dict[str, Any]:
    """Satisfaction rate per topic (and last campaign's), each topic's target marked."""
    series: list[tuple[str, list[float | None]]] = [
        (translate("surveys.series.rate", lang), [r.rate for r in topics])
    ]
    if previous:
        series.append((translate("surveys.series.previous", lang), [r.previous for r in topics]))
    option = charts.bars([r.name for r in topics], series, counts=False, percent=True)
    name = translate("surveys.series.target", lang)
    marks = {"name": name, "data": [r.target for r in topics], "color": charts.TARGET}
    option["series"].append({**TARGET_MARK, **marks})
    option["legend"]["data"].append(name)
    return one_line(option)


def distribution_chart(topics: list[TopicRow], levels: dict[str, str]) -> dict[str, Any]:
    """How each topic's answers spread over the scale (counts, stacked)."""
    series = [(name, [r.distribution.get(key, 0) for r in topics]) for key, name in levels.items()]
    option = charts.bars([r.name for r in topics], series, stacked=True)
    if len(levels) == len(SCALE_COLOURS):
        option["color"] = list(SCALE_COLOURS)
    return one_line(option)


@dataclass(frozen=True)
class GroupRow:
    """A building, or the key or the random sample, with its overall and topic rates."""

    name: str
    sample_size: int
    responses: int
    response_rate: float | None
    rates: dict[str, float | None]


def groups(found: list[dict[str, Any]], names: dict[str, str] | None = None) -> list[GroupRow]:
    """The results' groups as rows; `names` words a group's code (key, random)."""
    return [
        GroupRow(
            name=(names or {}).get(g["name"], g["name"]),
            sample_size=g["sample_size"],
            responses=g["responses"],
            response_rate=pct(g["response_rate"]),
            rates={t["topic"]: pct(t["rate"]) for t in g["topics"]},
        )
        for g in found
    ]


def building_chart(buildings: list[GroupRow], lang: Lang) -> dict[str, Any]:
    """The overall satisfaction rate of each building."""
    name = translate("surveys.series.overall_rate", lang)
    rates = [b.rates.get("overall") for b in buildings]
    option = charts.bars([b.name for b in buildings], [(name, rates)], counts=False, percent=True)
    return one_line(option)


def sample_chart(topics: list[TopicRow], parts: list[GroupRow]) -> dict[str, Any]:
    """Each topic's rate in the key and in the random sample, side by side."""
    series = [(p.name, [p.rates.get(r.topic) for r in topics]) for p in parts]
    return one_line(charts.bars([r.name for r in topics], series, counts=False, percent=True))


def sample_names(lang: Lang) -> dict[str, str]:
    """The words of the two parts of a sample."""
    return {
        "key": translate("surveys.series.key", lang),
        "random": translate("surveys.series.random", lang),
    }
