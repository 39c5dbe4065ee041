"""The report's charts, drawn server-side by pygal as inline SVG (as surveys' results are).

pygal's JavaScript is turned off, so the page needs nothing from outside and prints as is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from routing.documents.labels import Lang
from routing.reports.labels import DIMENSIONS, key_label, word
from routing.reports.schemas import ComplaintReportRead, Dimension, Line

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
STYLE = Style(
    background="white",
    plot_background="white",
    font_family=FONT,
    colors=("#1565c0", "#9e9e9e", "#c62828", "#2e7d32", "#f9a825", "#6a1b9a"),
)
# Met, missed, still open; valid, invalid, not yet judged: the colours say which is which.
OUTCOMES = Style(background="white", plot_background="white", font_family=FONT,
                 colors=("#2e7d32", "#c62828", "#9e9e9e"))  # fmt: skip
VALIDITY = Style(background="white", plot_background="white", font_family=FONT,
                 colors=("#1565c0", "#9e9e9e", "#f9a825"))  # fmt: skip
MAX_BARS = 12


def _chart(
    kind: Callable[..., pygal.Graph], title: str, style: Style = STYLE, **options: object
) -> pygal.Graph:
    return kind(
        js=[], width=760, height=320, style=style, disable_xml_declaration=True,
        title=title, x_label_rotation=20, print_values=False, **options,
    )  # fmt: skip


def _svg(chart: pygal.Graph) -> str:
    return str(chart.render(is_unicode=True))


def by_dimension(
    report: ComplaintReportRead, dimension: Dimension, lang: Lang, names: Mapping[str, str]
) -> str:
    """Complaints (or escalations) per key of a dimension, this period beside the previous."""
    lines = [line for line in report.lines if line.dimension == dimension][:MAX_BARS]
    chart = _chart(pygal.Bar, _title(dimension, lang))
    chart.x_labels = [key_label(dimension, line.key, lang, names) for line in lines]
    chart.add(word("this_period", lang), [line.value for line in lines])
    chart.add(word("previous", lang), [line.previous for line in lines])
    return _svg(chart)


def validity(report: ComplaintReportRead, lang: Lang) -> str:
    """Valid, invalid and not yet judged complaints of the period, as a pie."""
    chart = _chart(pygal.Pie, _title("validity", lang), VALIDITY, inner_radius=0.4)
    for key in ("valid", "invalid", "unjudged"):
        chart.add(word(key, lang), _value(report, key))
    return _svg(chart)


def deadlines(report: ComplaintReportRead, lang: Lang) -> str:
    """Acknowledgements and resolutions met, missed and still open."""
    chart = _chart(
        pygal.StackedBar, f"SLA — {word('met', lang)} / {word('missed', lang)}", OUTCOMES
    )
    chart.x_labels = [word("acknowledge", lang), word("resolve", lang)]
    for outcome in ("met", "missed", "open"):
        chart.add(
            word(outcome, lang),
            [_value(report, f"{step}_{outcome}") for step in ("acknowledge", "resolve")],
        )
    return _svg(chart)


def _value(report: ComplaintReportRead, name: str) -> float:
    found = report.figure(name).value
    return float(found or 0)


def _title(dimension: Dimension, lang: Lang) -> str:
    return DIMENSIONS[dimension][lang]


def all_charts(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> list[str]:
    """Every chart of the printed report, in page order."""
    charts = [validity(report, lang), deadlines(report, lang)]
    drawn: tuple[Dimension, ...] = ("category", "channel", "department", "escalation_level")
    for dimension in drawn:
        if _has(report.lines, dimension):
            charts.append(by_dimension(report, dimension, lang, names))
    if report.scope != "site" and _has(report.lines, "site"):
        charts.append(by_dimension(report, "site", lang, names))
    return charts


def _has(lines: list[Line], dimension: str) -> bool:
    return any(line.dimension == dimension for line in lines)
