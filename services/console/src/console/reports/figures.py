"""The complaint report as the page shows it: headline rows, breakdown tables and the chart
options drawn from the very same numbers (so a chart and its table cannot differ).

Pure, no I/O: routing's JSON and a way to name things in; rows and ECharts options out.
Counts stay whole numbers; rates are percent to one decimal; durations are hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.reports.scopes import Choices
from console.web import charts
from console.web.i18n import Words
from shared.contracts import reports
from shared.contracts.reports import DURATIONS, RATES

Namer = Callable[[str, str], str]
"""(dimension, key) -> the key in words: a site's or department's name, a code's word."""

DRILLABLE = frozenset(reports.DRILLABLE) - {*reports.NOW, "callbacks_unreachable"}
"""Headline figures that count cases, each one a link to its cases (the page has never
linked the unreachable callbacks, though routing lists them too)."""
CHARTED = ("category", "channel", "department", "escalation_level", "escalation_reason")
"""Breakdowns drawn as charts (the site breakdown too, for a region or the group)."""
OUTCOME_COLOURS = (charts.MET, charts.MISSED, "#9aa5b1")
VALIDITY_KEYS = ("valid", "invalid", "unjudged")
MAX_BARS = 12
BAR_WIDTH = 40
"""The widest a bar is drawn: one or two series on a wide screen stay bars, not slabs."""


@dataclass(frozen=True)
class Shown:
    """A headline figure as the page shows it."""

    name: str
    value: float | int | None
    text: str
    previous: str
    change: str
    drill: bool


@dataclass(frozen=True)
class LineRow:
    """A breakdown line as a table row."""

    key: str
    label: str
    value: int
    valid: int | None
    invalid: int | None
    unjudged: int | None
    previous: int
    change: int


@dataclass(frozen=True)
class Breakdown:
    """One breakdown: its rows, whether they count cases or escalations, and its chart."""

    dimension: str
    rows: list[LineRow]
    cases: bool
    chart: dict[str, Any] | None


def show(name: str, value: float | None, words: Words) -> str:
    """A figure's value as a person reads it: hours, a percentage or a count."""
    if value is None:
        return "—"
    if name in DURATIONS:
        return duration(value, words)
    if name in RATES:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def duration(seconds: float, words: Words) -> str:
    """A time to answer in the unit a person reads it in: seconds, minutes or hours."""
    if abs(seconds) < 60:
        return words("reports.seconds", n=f"{seconds:.0f}")
    if abs(seconds) < 3600:
        return words("reports.minutes", n=f"{seconds / 60:.0f}")
    return words("reports.hours", n=f"{seconds / 3600:.1f}")


def show_change(name: str, value: float | None, words: Words) -> str:
    """A change beside the previous period: signed, in points for rates."""
    if value is None:
        return "—"
    if name in RATES:
        return words("reports.points", n=f"{value * 100:+.1f}")
    if name in DURATIONS:
        return ("+" if value >= 0 else "-") + duration(abs(value), words)
    return f"{value:+g}"


def headline(report: dict[str, Any], words: Words) -> list[Shown]:
    """Every headline figure of the report, in routing's order."""
    return [
        Shown(
            name=f["name"],
            value=f["value"],
            text=show(f["name"], f["value"], words),
            previous=show(f["name"], f["previous"], words),
            change=show_change(f["name"], f["change"], words),
            drill=f["name"] in DRILLABLE,
        )
        for f in report["figures"]
    ]


def figure(report: dict[str, Any], name: str) -> dict[str, Any]:
    """The headline figure called `name` (value, previous, change)."""
    return next(f for f in report["figures"] if f["name"] == name)


def value_of(report: dict[str, Any], name: str, *, previous: bool = False) -> Any:
    """A headline figure's value this period (or the previous one's)."""
    return figure(report, name)["previous" if previous else "value"]


def rows_of(report: dict[str, Any], dimension: str, name: Namer) -> list[LineRow]:
    """A breakdown's lines as rows, in routing's order (most first)."""
    return [
        LineRow(
            key=line["key"],
            label=name(dimension, line["key"]),
            value=line["value"],
            valid=line.get("valid"),
            invalid=line.get("invalid"),
            unjudged=line.get("unjudged"),
            previous=line["previous"],
            change=line["change"],
        )
        for line in report["lines"]
        if line["dimension"] == dimension
    ]


def slim(option: dict[str, Any]) -> dict[str, Any]:
    """Bars no wider than BAR_WIDTH."""
    for series in option["series"]:
        if series.get("type") == "bar":
            series["barMaxWidth"] = BAR_WIDTH
    return option


def compared(rows: list[LineRow], words: Words) -> dict[str, Any]:
    """This period beside the previous one, one bar pair per row (the first MAX_BARS)."""
    shown = rows[:MAX_BARS]
    option = charts.bars(
        [r.label for r in shown],
        [
            (words("reports.this_period"), [r.value for r in shown]),
            (words("reports.previous_period"), [r.previous for r in shown]),
        ],
        horizontal=True,
    )
    option["yAxis"]["inverse"] = True  # the first row on top, as in the table
    return slim(option)


def breakdowns(report: dict[str, Any], name: Namer, words: Words) -> list[Breakdown]:
    """The report's breakdowns that have lines, the charted ones with their chart."""
    order = ["site"] if report["scope"] != "site" else []
    order += ["category", "kind", "channel", "department", "validity", "invalid_reason"]
    order += ["escalation_level", "escalation_reason"]
    found = []
    for dimension in order:
        rows = rows_of(report, dimension, name)
        if not rows:
            continue
        drawn = dimension in CHARTED or dimension == "site"
        cases = not dimension.startswith("escalation_")
        found.append(Breakdown(dimension, rows, cases, compared(rows, words) if drawn else None))
    return found


def deadlines(report: dict[str, Any], words: Words) -> dict[str, Any]:
    """Acknowledgements and resolutions met, missed and still open (stacked)."""
    steps = ("acknowledge", "resolve")
    option = charts.bars(
        [words(f"reports.step.{s}") for s in steps],
        [
            (words(f"reports.outcome.{o}"), [value_of(report, f"{s}_{o}") or 0 for s in steps])
            for o in ("met", "missed", "open")
        ],
        stacked=True,
    )
    option["color"] = list(OUTCOME_COLOURS)
    return slim(option)


def validity(report: dict[str, Any], words: Words) -> dict[str, Any]:
    """Valid, invalid and not yet judged complaints, this period beside the previous."""
    return slim(
        charts.bars(
            [words(f"reports.validity.{k}") for k in VALIDITY_KEYS],
            [
                (words("reports.this_period"), [value_of(report, k) for k in VALIDITY_KEYS]),
                (
                    words("reports.previous_period"),
                    [value_of(report, k, previous=True) for k in VALIDITY_KEYS],
                ),
            ],
        )
    )


CODE_KINDS = {
    "category": "category",
    "kind": "kind",
    "channel": "channel",
    "invalid_reason": "invalid_reason",
    "escalation_level": "level",
}


def namer(words: Words, choices: Choices) -> Namer:
    """Names the keys of every breakdown in the page's language."""

    def name(dimension: str, key: str) -> str:
        if dimension == "site":
            return choices.names.get(key, key)
        if dimension == "department":
            return choices.department(key, words.lang)
        if dimension == "validity":
            return words(f"reports.validity.{key}")
        if dimension == "escalation_reason":
            return words.reason(key)
        return words.value(CODE_KINDS.get(dimension, dimension), key)

    return name
