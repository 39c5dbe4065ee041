"""The managers' dashboard as the page shows it: open cases by department, deadlines met
this month against last month, escalations by level, reopen and callback satisfaction, and
satisfaction per topic against its target; each chart's option made from its table's rows.

Pure, no I/O: the services' answers in (routing's report of this month, which routing
compares with last month; its open cases; surveys' latest results), rows and options out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from console.reports.figures import slim, value_of
from console.web import charts
from console.web.i18n import Words
from shared.contracts.topics import OVERALL
from shared.contracts.topics import TOPICS as ASKED_TOPICS

OPEN_STATUSES = ("assigned", "in_progress", "transmitted", "with_developer")
STATUS_COLOURS = {
    "assigned": "#1d5fbf",
    "in_progress": "#d9822b",
    "transmitted": "#8e44ad",
    "with_developer": "#5b6876",
}
LEVELS = ("dept_head", "vp", "gm")
TOPICS = (*ASKED_TOPICS, OVERALL)
TARGET_MARK = {"type": "scatter", "symbol": "rect", "symbolSize": [52, 4], "z": 3}
TARGET_COLOUR = "#1f2933"
"""Each topic's target as a short dark bar across its own bar (targets differ by topic);
dark on the rate's blue and on the page's white alike."""


def pct(share: float | None) -> float | None:
    """A share of one in percent, to one decimal (None stays None)."""
    return None if share is None else round(share * 100, 1)


def rate(part: int, whole: int) -> float | None:
    """part / whole in percent, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


# ---- open cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRow:
    """A department's open cases now, by status, and how many of them are overdue."""

    department: str
    name: str
    counts: dict[str, int]
    total: int
    overdue: int


def open_rows(found: dict[str, Any], department_name: Callable[[str], str]) -> list[OpenRow]:
    """Open cases per department (summed over the scope's sites), the most first."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OPEN_STATUSES, 0))
    late: dict[str, int] = defaultdict(int)
    for line in found["lines"]:
        counts[line["department"]][line["status"]] += line["count"]
        late[line["department"]] += line["overdue"]
    rows = [
        OpenRow(code, department_name(code), by_status, sum(by_status.values()), late[code])
        for code, by_status in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.total, r.name))


def open_chart(rows: list[OpenRow], words: Words) -> dict[str, Any]:
    """Open cases per department, stacked by status, the department with most on top."""
    shown = [s for s in OPEN_STATUSES if any(r.counts[s] for r in rows)]
    option = charts.bars(
        [r.name for r in rows],
        [(words.value("status", s), [r.counts[s] for r in rows]) for s in shown],
        horizontal=True,
        stacked=True,
    )
    option["color"] = [STATUS_COLOURS[s] for s in shown]
    option["yAxis"]["inverse"] = True
    return slim(option)


# ---- this month against last month ---------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One deadline (acknowledge or resolve) this month and last: met, missed, still open."""

    step: str
    met: int
    missed: int
    open: int
    rate: float | None
    before_met: int
    before_missed: int
    before_open: int
    before_rate: float | None


def deadline_rows(report: dict[str, Any]) -> list[Deadline]:
    """Acknowledgements and resolutions this month and last; the rate is met of decided."""

    def counts(step: str, previous: bool) -> tuple[int, int, int]:
        met, missed, still = (
            int(value_of(report, f"{step}_{o}", previous=previous) or 0)
            for o in ("met", "missed", "open")
        )
        return met, missed, still

    rows = []
    for step in ("acknowledge", "resolve"):
        (met, missed, still), (b_met, b_missed, b_open) = counts(step, False), counts(step, True)
        rows.append(
            Deadline(step, met, missed, still, rate(met, met + missed),
                     b_met, b_missed, b_open, rate(b_met, b_met + b_missed))
        )  # fmt: skip
    return rows


def deadline_chart(rows: list[Deadline], words: Words) -> dict[str, Any]:
    """The share of deadlines met, this month beside last month."""
    return slim(
        charts.bars(
            [words(f"reports.step.{r.step}") for r in rows],
            [
                (words("reports.this_month"), [r.rate for r in rows]),
                (words("reports.last_month"), [r.before_rate for r in rows]),
            ],
            counts=False,
            percent=True,
        )
    )


@dataclass(frozen=True)
class Escalated:
    """Escalations that reached a level, this month and last."""

    level: str
    value: int
    previous: int


def escalation_rows(report: dict[str, Any]) -> list[Escalated]:
    """Escalations by the level reached, every level shown (none is a figure too)."""
    found = {
        line["key"]: line for line in report["lines"] if line["dimension"] == "escalation_level"
    }
    return [
        Escalated(
            level, found.get(level, {}).get("value", 0), found.get(level, {}).get("previous", 0)
        )
        for level in LEVELS
    ]


def escalation_chart(rows: list[Escalated], words: Words) -> dict[str, Any]:
    """Escalations per level, this month beside last month."""
    return slim(
        charts.bars(
            [words.value("level", r.level) for r in rows],
            [
                (words("reports.this_month"), [r.value for r in rows]),
                (words("reports.last_month"), [r.previous for r in rows]),
            ],
        )
    )


@dataclass(frozen=True)
class Pair:
    """A rate this month and last, with the counts it is made of."""

    value: float | None
    previous: float | None
    counts: dict[str, int]
    before: dict[str, int]


def pair(report: dict[str, Any], name: str, parts: tuple[str, ...]) -> Pair:
    """A rate figure of the report (percent) and its parts, this month and last."""
    return Pair(
        pct(value_of(report, name)),
        pct(value_of(report, name, previous=True)),
        {p: int(value_of(report, p) or 0) for p in parts},
        {p: int(value_of(report, p, previous=True) or 0) for p in parts},
    )


# ---- satisfaction per topic ----------------------------------------------------------------


@dataclass(frozen=True)
class TopicRow:
    """A topic's latest satisfaction over the scope's sites, against its target."""

    topic: str
    name: str
    valid: int
    satisfied: int
    rate: float | None
    target: float | None
    lowest_target: float | None
    sites_met: int
    sites: int
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        """Whether the pooled rate reaches the (strictest) target; None: no answers."""
        if self.rate is None or self.target is None:
            return None
        return self.rate >= self.target


def topic_rows(latest: list[dict[str, Any]], words: Words) -> list[TopicRow]:
    """Each topic pooled over the sites' latest results (the rate of all their answers)."""
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in latest:
        by_topic[item["topic"]].append(item)
    ordered = sorted(by_topic, key=lambda t: (TOPICS.index(t) if t in TOPICS else 99, t))
    return [_topic(t, by_topic[t], words) for t in ordered]


def _topic(topic: str, items: list[dict[str, Any]], words: Words) -> TopicRow:
    valid = sum(i["valid"] for i in items)
    satisfied = sum(i["satisfied"] for i in items)
    targets = [pct(i["target"]) for i in items]
    return TopicRow(
        topic=topic,
        name=words.value("topic", topic),
        valid=valid,
        satisfied=satisfied,
        rate=rate(satisfied, valid),
        target=max((t for t in targets if t is not None), default=None),
        lowest_target=min((t for t in targets if t is not None), default=None),
        sites_met=sum(1 for i in items if i["met"]),
        sites=len(items),
        results=sorted(items, key=lambda i: i["site_id"]),
    )


def topic_chart(rows: list[TopicRow], words: Words) -> dict[str, Any]:
    """Satisfaction rate per topic, each topic's target marked across its bar."""
    option = charts.bars(
        [r.name for r in rows],
        [(words("reports.satisfaction_rate"), [r.rate for r in rows])],
        counts=False,
        percent=True,
    )
    name = words("reports.target")
    option["series"].append(
        {**TARGET_MARK, "name": name, "data": [r.target for r in rows], "color": TARGET_COLOUR}
    )
    option["legend"]["data"].append(name)
    return slim(option)
