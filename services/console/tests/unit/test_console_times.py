"""Deadlines in words and colours, and times in the site's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.web.times import duration, local, sla_badge

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def case(status: str, **fields: object) -> dict[str, object]:
    return {"status": status, **fields}


def at(**delta: float) -> str:
    return (NOW + timedelta(**delta)).isoformat()


@pytest.mark.parametrize(
    ("span", "zh", "en"),
    [
        (timedelta(minutes=35), "35分钟", "35 minutes"),
        (timedelta(hours=2, minutes=5), "2小时", "2 hours"),
        (timedelta(hours=80), "3天", "3 days"),
        (timedelta(seconds=10), "1分钟", "1 minute"),
        (-timedelta(minutes=35), "35分钟", "35 minutes"),
    ],
)
def test_spans_read_as_cldr_words(span: timedelta, zh: str, en: str) -> None:
    assert duration(span, "zh") == zh
    assert duration(span, "en") == en


def test_an_assigned_case_counts_down_to_its_acknowledge_deadline() -> None:
    badge = sla_badge(
        case("assigned", acknowledge_due_at=at(hours=3), resolve_due_at=at(hours=30)),
        now=NOW,
        lang="zh",
    )
    assert (badge.state, badge.text) == ("running", "还剩 3小时")
    assert badge.due == at(hours=3)


def test_a_deadline_within_the_hour_is_amber_and_a_passed_one_red() -> None:
    soon = sla_badge(case("in_progress", resolve_due_at=at(minutes=20)), now=NOW, lang="en")
    assert (soon.state, soon.text) == ("soon", "20 minutes left")
    late = sla_badge(case("in_progress", resolve_due_at=at(minutes=-35)), now=NOW, lang="zh")
    assert (late.state, late.text) == ("breached", "已超时 35分钟")


def test_a_breach_routing_recorded_stays_red_whatever_the_clock_says() -> None:
    breached = case("transmitted", resolve_due_at=at(hours=5), resolve_breached_at=at(hours=-1))
    assert sla_badge(breached, now=NOW, lang="en").state == "breached"


def test_the_clock_is_paused_while_the_developer_is_awaited() -> None:
    badge = sla_badge(case("with_developer", resolve_due_at=at(hours=-5)), now=NOW, lang="zh")
    assert badge.state == "paused"
    assert badge.due is None


def test_a_done_case_says_whether_its_deadlines_were_met() -> None:
    assert sla_badge(case("closed"), now=NOW, lang="en").state == "met"
    missed = case("resolved", acknowledge_breached_at=at(hours=-9))
    assert (
        sla_badge(missed, now=NOW, lang="zh").state,
        sla_badge(missed, now=NOW, lang="zh").text,
    ) == ("missed", "超时完成")


def test_a_case_without_a_deadline_says_so() -> None:
    assert sla_badge(case("in_progress"), now=NOW, lang="en").text == "No deadline"


def test_times_show_in_the_site_zone() -> None:
    assert local("2026-12-02T06:00:00+00:00", "Asia/Shanghai") == "2026-12-02 14:00"
    assert local("2026-12-02T06:00:00Z", "Europe/London") == "2026-12-02 06:00"
    assert local(None, "Asia/Shanghai") == "—"
