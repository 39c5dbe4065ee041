"""The printable complaint report: an A4 document with its tables and pygal charts.

Pure: a report and its names in, an HTML page out. Every value is escaped here; the SVG
comes from pygal, which escapes its own labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from zoneinfo import ZoneInfo

from routing.documents.labels import Lang, value
from routing.reports.charts import all_charts
from routing.reports.labels import (
    DIMENSIONS,
    FIGURES,
    GROUP,
    TITLE,
    action_problem,
    key_label,
    word,
)
from routing.reports.schemas import (
    ActionTaken,
    ComplaintReportRead,
    Figure,
    HandlingLine,
    Line,
    Number,
)
from shared.contracts.reports import DURATIONS, RATES

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, "Noto Sans CJK SC",
       "Microsoft YaHei", "PingFang SC", "Times New Roman", serif;
       color: #000; font-size: 10.5pt; margin: 0 auto; max-width: 182mm; }
header { text-align: center; margin-bottom: 5mm; }
header .org { font-size: 12pt; letter-spacing: .1em; }
h1 { font-size: 17pt; margin: 2mm 0; letter-spacing: .2em; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
.meta { display: flex; flex-wrap: wrap; justify-content: space-between; font-size: 9.5pt; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
th, td { border: 1px solid #000; padding: 1.4mm 2mm; text-align: right; }
th { font-weight: normal; background: #f3f3f3; }
td:first-child, th:first-child { text-align: left; }
td.text { text-align: left; }
table.actions th { text-align: left; white-space: nowrap; }
table.actions td:first-child, table.actions td.short { white-space: nowrap; }
table.actions td.problem { width: 40%; }
@media screen and (max-width: 600px) {
  table.actions th, table.actions td:first-child, table.actions td.short { white-space: normal; }
}
figure { margin: 3mm 0; page-break-inside: avoid; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
section { page-break-inside: avoid; break-inside: avoid; }
footer { margin-top: 6mm; font-size: 9pt; color: #444; text-align: right; }
@media print { th { background: none; } h2 { page-break-after: avoid; } }
"""


def render(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> str:
    """The whole report as one HTML page."""
    title = TITLE[lang]
    charts = "".join(f"<figure>{svg}</figure>" for svg in all_charts(report, lang, names))
    sections = (
        _header(report, lang, names),
        f"<h2>{word('headline', lang)}</h2>",
        _figures(report.figures, lang),
        f"<h2>{word('charts', lang)}</h2>",
        charts,
        f"<h2>{word('breakdowns', lang)}</h2>",
        _breakdowns(report, lang, names),
        f"<h2>{word('handling', lang)}</h2>",
        _handling(report.handling, lang, names),
        f"<h2>{word('recurring', lang)}</h2>",
        _actions(report.recurring, lang),
        f"<h2>{word('actions', lang)}</h2>",
        _actions(report.actions, lang),
        f"<footer>{escape(word('filed', lang))}</footer>",
    )
    body = "\n".join(sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{escape(title)} {escape(report.period.label)}</title>\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def organisation(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> str:
    """Who the report is about: the site's name, the region or the group."""
    if report.scope == "site" and report.site_id:
        return names.get(f"site:{report.site_id}", report.name)
    if report.scope == "group":
        return GROUP[lang]
    return report.name


def _header(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> str:
    colon = "：" if lang == "zh" else ": "
    zone = ZoneInfo(report.timezone)
    period, before = report.period, report.previous_period
    meta = (
        (word("period", lang), f"{period.first} — {period.last}"),
        (word("previous_period", lang), f"{before.first} — {before.last}"),
        (
            word("generated_at", lang),
            report.generated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        ),
    )
    spans = "".join(f"<span>{escape(k)}{colon}{escape(v)}</span>" for k, v in meta)
    return (
        f'<header><div class="org">{escape(organisation(report, lang, names))}</div>'
        f'<h1>{escape(TITLE[lang])}</h1></header>\n<div class="meta">{spans}</div>'
    )


def show(name: str, value: Number | None, lang: Lang) -> str:
    """A figure's value as a person reads it: hours, percentages or a count."""
    if value is None:
        return "—"
    if name in DURATIONS:
        return f"{value / 3600:.1f} {word('hours', lang)}"
    if name in RATES:
        return f"{value:.1%}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _change(name: str, value: Number | None, lang: Lang) -> str:
    if value is None:
        return "—"
    if name in RATES:
        return f"{value * 100:+.1f} pt"
    if name in DURATIONS:
        return f"{value / 3600:+.1f} {word('hours', lang)}"
    return f"{value:+g}"


def _figures(items: list[Figure], lang: Lang) -> str:
    head = "".join(
        f"<th>{word(k, lang)}</th>" for k in ("figure", "this_period", "previous", "change")
    )
    rows = "".join(
        f"<tr><td>{escape(FIGURES[f.name][lang])}</td><td>{show(f.name, f.value, lang)}</td>"
        f"<td>{show(f.name, f.previous, lang)}</td><td>{_change(f.name, f.change, lang)}</td></tr>"
        for f in items
    )
    return f'<table class="figures"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _breakdowns(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> str:
    parts = []
    for dimension, caption in DIMENSIONS.items():
        lines = [line for line in report.lines if line.dimension == dimension]
        if lines:
            parts.append(
                f"<section><h3>{escape(caption[lang])}</h3>{_lines(lines, lang, names)}</section>"
            )
    return "\n".join(parts) or f"<p>{word('none', lang)}</p>"


def _lines(lines: list[Line], lang: Lang, names: Mapping[str, str]) -> str:
    cases = lines[0].valid is not None
    columns = ("this_period", "valid", "invalid", "unjudged") if cases else ("this_period",)
    head = "".join(f"<th>{word(c, lang)}</th>" for c in ("figure", *columns, "previous", "change"))
    rows = "".join(_line(line, lang, names) for line in lines)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _line(line: Line, lang: Lang, names: Mapping[str, str]) -> str:
    numbers = (
        [line.value, line.valid, line.invalid, line.unjudged]
        if line.valid is not None
        else [line.value]
    )
    cells = "".join(f"<td>{n}</td>" for n in (*numbers, line.previous))
    label = escape(key_label(line.dimension, line.key, lang, names))
    return f"<tr><td>{label}</td>{cells}<td>{line.change:+d}</td></tr>"


def _handling(lines: list[HandlingLine], lang: Lang, names: Mapping[str, str]) -> str:
    if not lines:
        return f"<p>{word('none', lang)}</p>"
    columns = ("sites", "handling_answers", "handling_rate", "handling_target", "handling_below")
    head = "".join(f"<th>{word(c, lang)}</th>" for c in columns)
    rows = "".join(
        f"<tr><td>{escape(names.get(f'site:{h.site_id}', h.site_id))}</td><td>{h.answers}</td>"
        f"<td>{show('handling_satisfaction_rate', h.rate, lang)}</td><td>{h.target}%</td>"
        f"<td>{word('handling_below_yes', lang) if h.below_target else '—'}</td></tr>"
        for h in lines
    )
    return f'<table class="handling"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _actions(actions: list[ActionTaken], lang: Lang) -> str:
    if not actions:
        return f"<p>{word('none', lang)}</p>"
    head = "".join(
        f"<th>{word(c, lang)}</th>"
        for c in ("number", "kind", "problem", "action", "status", "effective")
    )
    rows = "".join(_action(a, lang) for a in actions)
    return f'<table class="actions"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _action(a: ActionTaken, lang: Lang) -> str:
    texts = (
        ("kind", value("action_kind", a.kind, lang)),
        ("problem", action_problem(a, lang)),
        ("plan", a.action or "—"),
        ("short", value("action_status", a.status, lang)),
        ("short", _effective(a.effective, lang)),
    )
    cells = "".join(f'<td class="text {css}">{escape(t)}</td>' for css, t in texts)
    return f"<tr><td>{escape(a.number)}</td>{cells}</tr>"


def _effective(effective: bool | None, lang: Lang) -> str:
    if effective is None:
        return "—"
    return word("yes" if effective else "no", lang)
