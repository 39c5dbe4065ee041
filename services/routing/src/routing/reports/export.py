"""The report as CSV: one row per headline figure and per breakdown line.

UTF-8 with a byte-order mark, so that Excel opens the Chinese labels right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping

from routing.documents.labels import Lang
from routing.reports.labels import FIGURES, key_label
from routing.reports.schemas import ComplaintReportRead, Number

BOM = "\ufeff"
COLUMNS = (
    "period",
    "dimension",
    "key",
    "label",
    "value",
    "valid",
    "invalid",
    "unjudged",
    "previous",
    "change",
)
HEADLINE = "headline"
TARGET = "handling_satisfaction_target"


def _cell(value: Number | None) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _rows(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> Iterator[list[str]]:
    period = report.period.label
    for f in report.figures:
        yield [
            period,
            HEADLINE,
            f.name,
            FIGURES[f.name][lang],
            _cell(f.value),
            "",
            "",
            "",
            _cell(f.previous),
            _cell(f.change),
        ]
    for line in report.lines:
        label = key_label(line.dimension, line.key, lang, names)
        numbers = (line.value, line.valid, line.invalid, line.unjudged, line.previous, line.change)
        yield [period, line.dimension, line.key, label, *(_cell(n) for n in numbers)]
    for h in report.handling:
        name = names.get(f"site:{h.site_id}", h.site_id)
        for figure, number in (("handling_satisfaction_rate", h.rate), (TARGET, h.target)):
            yield [period, figure, h.site_id, name, _cell(number), "", "", "", "", ""]


def to_csv(report: ComplaintReportRead, lang: Lang, names: Mapping[str, str]) -> str:
    """Every figure of the report, one line each, as Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(report, lang, names))
    return BOM + out.getvalue()
