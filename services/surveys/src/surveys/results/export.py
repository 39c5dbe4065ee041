"""Results as CSV (one row per group and topic) and as an HTML page with SVG charts.

Charts are drawn server-side by pygal (a maintained SVG plotting library), with its
JavaScript turned off, so the page needs nothing from outside and works when printed.
The page is in Chinese or English; topics and levels read as the glossary's words
(`shared.words`), a custom scale's own levels as the campaign names them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html import escape

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from shared.words import Captions, Lang, value
from surveys.campaigns.rules import Level
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


WORDS: dict[str, dict[Lang, str]] = {
    "results": {"zh": "满意度测评结果", "en": "Satisfaction survey results"},
    "final": {"zh": "结果已确定（测评已结束）", "en": "Final results"},
    "provisional": {
        "zh": "临时结果（测评仍在进行）",
        "en": "Provisional results (the campaign is still open)",
    },
    "answered": {
        "zh": "抽样 {size} 户，已答复 {returned} 户（回收率 {rate}）",
        "en": "{returned} of {size} sampled households answered ({rate})",
    },
    "topic": {"zh": "测评项目", "en": "Topic"},
    "valid": {"zh": "有效答卷", "en": "Valid answers"},
    "rate": {"zh": "满意率", "en": "Satisfaction rate"},
    "interval": {"zh": "95% 置信区间", "en": "95% interval"},
    "mean": {"zh": "平均分", "en": "Mean score"},
    "target": {"zh": "质量目标", "en": "Target"},
    "met": {"zh": "是否达标", "en": "Target met"},
    "previous": {"zh": "上次测评", "en": "Previous survey"},
    "yes": {"zh": "达标", "en": "Yes"},
    "no": {"zh": "未达标", "en": "No"},
    "rate_chart": {"zh": "各项目满意率与质量目标", "en": "Satisfaction rate against target"},
    "spread_chart": {"zh": "各项目答卷分布", "en": "Answers per level"},
}
# From the best level to the worst, so that the spread reads at a glance (and in grey).
LEVEL_COLORS = ("#1b5e20", "#43a047", "#9ccc65", "#fbc02d", "#c62828")
CHART_FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'


word = Captions(WORDS)
"""A caption of the results page: `word(name, lang)`."""


def _label(topic: str, lang: Lang) -> str:
    return value("topic", topic, lang)


def level_label(key: str, lang: Lang, scale: tuple[Level, ...] = ()) -> str:
    """A level of the scale in words: the glossary's, or a custom scale's own label."""
    known = value("scale", key, lang)
    if known != key:
        return known
    own = next((level for level in scale if level.key == key), None)
    return own.label("zh-CN" if lang == "zh" else "en") if own else key


def _style(colors: tuple[str, ...] | None = None) -> Style:
    extra = {"colors": colors} if colors else {}
    return Style(
        background="white", plot_background="white", font_family=CHART_FONT,
        title_font_size=15, label_font_size=12, major_label_font_size=12,
        legend_font_size=13, **extra,
    )  # fmt: skip


def rate_chart(results: ResultsRead, lang: Lang) -> str:
    """Satisfaction rate per topic beside its target, as inline SVG."""
    chart = pygal.Bar(
        js=[], width=800, height=360, range=(0, 1), style=_style(("#1565c0", "#c62828")),
        disable_xml_declaration=True, value_formatter=lambda v: f"{v:.0%}",
        x_label_rotation=20, title=word("rate_chart", lang), legend_at_bottom=True,
    )  # fmt: skip
    chart.x_labels = [_label(t.topic, lang) for t in results.topics]
    chart.add(word("rate", lang), [t.rate for t in results.topics])
    chart.add(word("target", lang), [t.target for t in results.topics])
    return str(chart.render(is_unicode=True))


def distribution_chart(results: ResultsRead, lang: Lang, scale: tuple[Level, ...] = ()) -> str:
    """How the valid answers of each topic spread over the scale, as inline SVG."""
    chart = pygal.StackedBar(
        js=[], width=800, height=360, disable_xml_declaration=True, x_label_rotation=20,
        title=word("spread_chart", lang), style=_style(LEVEL_COLORS), legend_at_bottom=True,
    )  # fmt: skip
    chart.x_labels = [_label(t.topic, lang) for t in results.topics]
    levels = list(results.topics[0].distribution) if results.topics else []
    for level in levels:
        chart.add(
            level_label(level, lang, scale), [t.distribution.get(level, 0) for t in results.topics]
        )
    return str(chart.render(is_unicode=True))


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _met(met: bool | None, lang: Lang) -> str:
    if met is None:
        return "–"
    return word("yes", lang) if met else f"<strong>{word('no', lang)}</strong>"


def _table(results: ResultsRead, lang: Lang) -> str:
    columns = ("topic", "valid", "rate", "interval", "mean", "target", "met", "previous")
    head = "".join(f"<th>{word(c, lang)}</th>" for c in columns)
    rows = "".join(
        f"<tr><td>{escape(_label(t.topic, lang))}</td><td>{t.valid}</td><td>{_cell(t.rate)}</td>"
        f"<td>{_cell(t.ci_low)} – {_cell(t.ci_high)}</td>"
        f"<td>{'–' if t.mean_score is None else f'{t.mean_score:.2f}'}</td>"
        f"<td>{_cell(t.target)}</td><td>{_met(t.met, lang)}</td>"
        f"<td>{_cell(t.previous_rate)}</td></tr>"
        for t in results.topics
    )
    return (
        f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
        "</table></div>"
    )


STYLE = (
    'body{font:15px "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",system-ui,sans-serif;'
    "margin:1rem;color:#1c2530}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccd;padding:.3rem .6rem;text-align:right}"
    "th{white-space:nowrap}td:first-child,th:first-child{text-align:left}"
    ".wide{overflow-x:auto}figure{margin:1rem 0;max-width:800px}figure svg{width:100%;height:auto}"
)


def to_html(results: ResultsRead, lang: Lang = "zh", scale: tuple[Level, ...] = ()) -> str:
    """The results page in the language asked: headline figures, the table and two charts."""
    state = word("final" if results.final else "provisional", lang)
    answered = word("answered", lang).format(
        size=results.sample_size, returned=results.responses, rate=_cell(results.response_rate)
    )
    body = (
        f"<h1>{escape(word('results', lang))} · {escape(results.title)}</h1>"
        f"<p>{escape(state)} · {escape(answered)}</p>{_table(results, lang)}"
        f"<figure>{rate_chart(results, lang)}</figure>"
        f"<figure>{distribution_chart(results, lang, scale)}</figure>"
    )
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(results.title)}</title><style>{STYLE}</style></head><body>{body}"
        "</body></html>"
    )
