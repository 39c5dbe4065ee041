"""The complaint report's pure parts: periods, sums, percentiles, changes and rendering."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from routing.reports import export, html
from routing.reports.figures import (
    Counts,
    Escalations,
    Tally,
    Timings,
    case_lines,
    compare,
    escalation_lines,
    headline,
    percentile,
    timings,
    totals,
    validity_split,
)
from routing.reports.periods import PeriodError, month_before, period_of, previous
from routing.reports.schemas import ComplaintReportRead, PeriodRead

ZONE = "Asia/Shanghai"


def test_a_period_runs_from_midnight_to_midnight_in_its_zone() -> None:
    period = period_of(date(2026, 10, 1), date(2026, 10, 31), ZONE)
    assert period.start == datetime(2026, 9, 30, 16, tzinfo=UTC)
    assert period.end == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert (period.days, period.months, period.label) == (31, 1, "2026-10")


def test_whole_months_are_compared_with_as_many_months_before() -> None:
    october = period_of(date(2026, 10, 1), date(2026, 10, 31), ZONE)
    assert previous(october) == period_of(date(2026, 9, 1), date(2026, 9, 30), ZONE)
    quarter = period_of(date(2026, 1, 1), date(2026, 3, 31), ZONE)
    assert previous(quarter) == period_of(date(2025, 10, 1), date(2025, 12, 31), ZONE)
    assert quarter.label == "2026-01..2026-03"


def test_other_periods_are_compared_with_as_many_days_before() -> None:
    ten_days = period_of(date(2026, 10, 5), date(2026, 10, 14), ZONE)
    assert previous(ten_days) == period_of(date(2026, 9, 25), date(2026, 10, 4), ZONE)
    assert ten_days.label == "2026-10-05..2026-10-14"


def test_the_month_before_is_the_zones_calendar_month() -> None:
    # 1 November 02:00 in Shanghai is still 31 October in UTC: the month before is October.
    now = datetime(2026, 10, 31, 18, tzinfo=UTC)
    assert month_before(now, ZONE).label == "2026-10"
    assert month_before(now, "UTC").label == "2026-09"
    assert month_before(datetime(2026, 1, 15, tzinfo=UTC), ZONE).label == "2025-12"


@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2026, 10, 2), date(2026, 10, 1)), (date(2020, 1, 1), date(2026, 1, 1))],
)
def test_backwards_or_overlong_periods_are_refused(first: date, last: date) -> None:
    with pytest.raises(PeriodError):
        period_of(first, last, ZONE)


def test_percentiles_are_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    values = list(range(1, 11))
    assert (percentile(values, 0.5), percentile(values, 0.9)) == (5, 9)
    assert percentile([1, 2, 3], 0.5) == 2
    assert timings([30, 10, 20], []) == Timings(20, 30, None, None)


def _tally(current: bool, category: str, validity: str | None, **counts: int) -> Tally:
    reason = "developer" if validity == "invalid" else None
    return Tally(current, "s1", category, "complaint", "phone", "engineering", validity, reason,
                 Counts(**counts))  # fmt: skip


TALLIES = [
    _tally(True, "cleaning", "valid", cases=3, acknowledge_met=2, acknowledge_missed=1,
           resolve_met=1, escalated_cases=1, reopened_cases=1, reopens=2, closed=1),
    _tally(True, "maintenance", "invalid", cases=2, acknowledge_met=2, resolve_missed=1),
    _tally(True, "maintenance", None, cases=1),
    _tally(False, "cleaning", "valid", cases=4, acknowledge_met=4, resolve_met=4, closed=4),
]  # fmt: skip


def test_totals_and_validity_add_up_each_period_alone() -> None:
    now = totals(TALLIES, current=True)
    assert (now.cases, now.acknowledge_met, now.reopens, now.closed) == (6, 4, 2, 1)
    assert validity_split(TALLIES, current=True) == {"valid": 3, "invalid": 2, "unjudged": 1}
    assert validity_split(TALLIES, current=False) == {"valid": 4, "invalid": 0, "unjudged": 0}


def test_headline_figures_with_previous_values_and_changes() -> None:
    now = headline(totals(TALLIES, current=True), validity_split(TALLIES, current=True),
                   Timings(60, 120, 3600, 7200), 3)  # fmt: skip
    before = headline(totals(TALLIES, current=False), validity_split(TALLIES, current=False),
                      Timings(), 0)  # fmt: skip
    figures = {f.name: f for f in compare(now, before)}
    assert figures["complaints"].model_dump() == {
        "name": "complaints", "value": 6, "previous": 4, "change": 2
    }  # fmt: skip
    assert figures["acknowledge_open"].value == 6 - 4 - 1
    assert figures["resolve_open"].value == 6 - 1 - 1
    assert figures["reopen_rate"].value == pytest.approx(1 / 6)
    assert figures["callback_satisfaction_rate"].value == pytest.approx(1 / 3)
    assert figures["callback_satisfaction_rate"].previous == 1.0
    assert figures["acknowledge_median_seconds"].change is None  # nothing to compare with
    assert figures["escalations"].change == 3


def test_breakdown_lines_show_keys_of_either_period() -> None:
    lines = {(line.dimension, line.key): line for line in case_lines(TALLIES)}
    cleaning = lines[("category", "cleaning")]
    assert (cleaning.value, cleaning.valid, cleaning.previous, cleaning.change) == (3, 3, 4, -1)
    maintenance = lines[("category", "maintenance")]
    assert (maintenance.invalid, maintenance.unjudged, maintenance.previous) == (2, 1, 0)
    assert lines[("validity", "unjudged")].value == 1
    assert lines[("invalid_reason", "developer")].value == 2
    assert ("invalid_reason", "None") not in lines


def test_escalation_lines_by_level_and_reason() -> None:
    rows = [
        Escalations(True, "dept_head", "sla", 3),
        Escalations(True, "vp", "transmittal", 1),
        Escalations(False, "dept_head", "unsatisfied", 2),
    ]
    lines = {(line.dimension, line.key): line for line in escalation_lines(rows)}
    head = lines[("escalation_level", "dept_head")]
    assert (head.value, head.previous) == (3, 2)
    assert lines[("escalation_reason", "unsatisfied")].change == -2
    assert ("escalation_level", "gm") not in lines


def _report() -> ComplaintReportRead:
    period = period_of(date(2026, 10, 1), date(2026, 10, 31), ZONE)
    read = PeriodRead(label=period.label, first=period.first, last=period.last,
                      start=period.start, end=period.end)  # fmt: skip
    now = headline(totals(TALLIES, current=True), validity_split(TALLIES, current=True),
                   Timings(5400, 9000, 86400, 172800), 2)  # fmt: skip
    before = headline(totals(TALLIES, current=False), validity_split(TALLIES, current=False),
                      Timings(), 0)  # fmt: skip
    return ComplaintReportRead(
        scope="site", site_id="s1", name="翠湖花园管理处", sites=["s1"], timezone=ZONE,
        period=read, previous_period=read, generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        figures=compare(now, before),
        lines=case_lines(TALLIES) + escalation_lines([Escalations(True, "vp", "sla", 2)]),
        recurring=[], actions=[],
    )  # fmt: skip


NAMES = {"site:s1": "翠湖花园管理处", "department:engineering": "工程部 <b>"}


def test_the_printed_report_has_its_charts_figures_and_escaped_names() -> None:
    page = html.render(_report(), "zh", NAMES)
    assert page.count("<svg") >= 5
    assert "顾客投诉报告" in page
    assert "翠湖花园管理处" in page
    assert "1.5 小时" in page  # the median time to acknowledge, 5,400 s
    assert "工程部 &lt;b&gt;" in page
    assert "工程部 <b>" not in page
    assert "@page { size: A4" in page
    english = html.render(_report(), "en", NAMES)
    assert "Complaint report" in english
    assert 'lang="en"' in english


def test_the_csv_opens_in_excel_and_reads_back_to_the_same_figures() -> None:
    report = _report()
    text = export.to_csv(report, "zh", NAMES)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    figures = {r["key"]: r for r in rows if r["dimension"] == "headline"}
    for f in report.figures:
        assert figures[f.name]["value"] == ("" if f.value is None else str(f.value))
        assert figures[f.name]["previous"] == ("" if f.previous is None else str(f.previous))
    lines = [r for r in rows if r["dimension"] != "headline"]
    assert [(r["dimension"], r["key"], int(r["value"])) for r in lines] == [
        (line.dimension, line.key, line.value) for line in report.lines
    ]
    assert any(r["label"] == "工程部 <b>" for r in lines)
