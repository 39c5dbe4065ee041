"""Results as CSV (one row per group and topic) and as an HTML page with SVG charts.

Charts are drawn server-side by pygal (a maintained SVG plotting library), with its
JavaScript turned off, so the page needs nothing from outside and works when printed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html import escape

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from surveys.campaigns.rules import TOPIC_NAMES
from surveys.results.schemas import GroupFigures, ResultsRead, TopicFigures

COLUMNS = (
    "campaign_id",
    "site_id",
    "group",
    "name",
    "topic",
    "sample_size",
    "responses",
    "response_rate",
    "valid",
    "blank",
    "satisfied",
    "rate",
    "ci_low",
    "ci_high",
    "mean_score",
    "target",
    "met",
    "previous_rate",
    "change",
)
CHART_STYLE = Style(background="white", plot_background="white", colors=("#1565c0", "#c62828"))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _row(
    results: ResultsRead, group: str, owner: GroupFigures | None, t: TopicFigures
) -> list[str]:
    size = owner.sample_size if owner else results.sample_size
    returned = owner.responses if owner else results.responses
    rate = owner.response_rate if owner else results.response_rate
    return [
        results.campaign_id,
        results.site_id,
        group,
        owner.name if owner else "all",
        t.topic,
        str(size),
        str(returned),
        _number(rate),
        str(t.valid),
        str(t.blank),
        str(t.satisfied),
        _number(t.rate),
        _number(t.ci_low),
        _number(t.ci_high),
        _number(t.mean_score),
        _number(t.target),
        "" if t.met is None else str(t.met).lower(),
        _number(t.previous_rate),
        _number(t.change),
    ]


def _rows(results: ResultsRead) -> Iterator[list[str]]:
    for t in results.topics:
        yield _row(results, "site", None, t)
    for group, owners in (("building", results.by_building), ("sample", results.by_sample)):
        for owner in owners:
            for t in owner.topics:
                yield _row(results, group, owner, t)


def to_csv(results: ResultsRead) -> str:
    """Every figure of the results, one line per (group, topic)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(results))
    return out.getvalue()


def _label(topic: str) -> str:
    names = TOPIC_NAMES.get(topic, {"en": topic, "zh-CN": ""})
    return f"{names['en']} {names['zh-CN']}".strip()


def rate_chart(results: ResultsRead) -> str:
    """Satisfaction rate per topic beside its target, as inline SVG."""
    chart = pygal.Bar(
        js=[], width=800, height=360, range=(0, 1), style=CHART_STYLE,
        disable_xml_declaration=True, value_formatter=lambda v: f"{v:.0%}",
        x_label_rotation=20, title="Satisfaction rate vs target",
    )  # fmt: skip
    chart.x_labels = [_label(t.topic) for t in results.topics]
    chart.add("Satisfaction rate", [t.rate for t in results.topics])
    chart.add("Target", [t.target for t in results.topics])
    return str(chart.render(is_unicode=True))


def distribution_chart(results: ResultsRead) -> str:
    """How the valid answers of each topic spread over the scale, as inline SVG."""
    chart = pygal.StackedBar(
        js=[], width=800, height=360, disable_xml_declaration=True, x_label_rotation=20,
        title="Answers per level", style=Style(background="white", plot_background="white"),
    )  # fmt: skip
    chart.x_labels = [_label(t.topic) for t in results.topics]
    levels = list(results.topics[0].distribution) if results.topics else []
    for level in levels:
        chart.add(level, [t.distribution.get(level, 0) for t in results.topics])
    return str(chart.render(is_unicode=True))


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _table(results: ResultsRead) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in ("Topic", "Valid", "Rate", "95% CI", "Mean", "Target", "Met", "Previous")
    )
    rows = "".join(
        f"<tr><td>{escape(_label(t.topic))}</td><td>{t.valid}</td><td>{_cell(t.rate)}</td>"
        f"<td>{_cell(t.ci_low)} – {_cell(t.ci_high)}</td>"
        f"<td>{'–' if t.mean_score is None else f'{t.mean_score:.2f}'}</td>"
        f"<td>{_cell(t.target)}</td><td>{'–' if t.met is None else ('yes' if t.met else 'NO')}"
        f"</td><td>{_cell(t.previous_rate)}</td></tr>"
        for t in results.topics
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def to_html(results: ResultsRead) -> str:
    """The results page: headline figures, the table and two charts."""
    state = "final" if results.final else "provisional (the campaign is still open)"
    body = (
        f"<h1>{escape(results.title)}</h1><p>Site {escape(results.site_id)} · results {state}"
        f" · {results.responses} of {results.sample_size} sampled households answered"
        f" ({_cell(results.response_rate)})</p>{_table(results)}"
        f"<figure>{rate_chart(results)}</figure><figure>{distribution_chart(results)}</figure>"
    )
    style = (
        "body{font:15px system-ui,sans-serif;margin:1rem;color:#1c2530}table{border-collapse:"
        "collapse}td,th{border:1px solid #ccd;padding:.3rem .6rem;text-align:right}"
        "td:first-child{text-align:left}figure{margin:1rem 0;max-width:800px}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1">'
        f"<title>{escape(results.title)}</title><style>{style}</style></head><body>{body}"
        "</body></html>"
    )
