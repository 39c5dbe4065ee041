"""What the notice pages make of notify's and intake's answers: places by name, the
tally of deliveries and its chart, and which complaints may be about the work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from console.notices import charts, service
from console.notices.service import Places, Tally
from console.web.i18n import Words

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)

BUILDINGS = [
    {"id": "b3", "site_id": "s1", "code": "3栋", "name": None},
    {"id": "b5", "site_id": "s1", "code": "B5", "name": "5栋（南区）"},
]
UNITS = [
    {"id": "u2", "site_id": "s1", "building_id": "b3", "building": "3栋", "number": "1202"},
    {"id": "u1", "site_id": "s1", "building_id": "b3", "building": "3栋", "number": "1201"},
    {"id": "u9", "site_id": "s1", "building_id": "b5", "building": "B5", "number": "0101"},
]


def test_places_are_named_as_residents_know_them_and_units_sit_under_their_building() -> None:
    places = Places.of(BUILDINGS, UNITS)
    assert [b.label for b in places.buildings] == ["3栋", "5栋（南区）"]
    assert [(u.label, u.short) for u in places.units["b3"]] == [
        ("3栋-1201", "1201"),
        ("3栋-1202", "1202"),
    ]
    assert places.names("buildings", ["b5", "gone"]) == ["5栋（南区）", "gone"]
    assert places.names("units", ["u9", "u1"]) == ["5栋（南区）-0101", "3栋-1201"]
    assert places.building_of("u9") == "b5"
    assert places.building_of("nowhere") == ""


def counts(*rows: tuple[str, str, str, int, int]) -> list[dict[str, Any]]:
    keys = ("kind", "channel", "status", "count", "failing")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def test_the_tally_adds_up_every_message_of_the_notice_per_channel_and_status() -> None:
    tally = Tally.of(
        counts(
            ("notice", "sms", "failed", 2, 2),
            ("notice", "email", "sent", 5, 0),
            ("notice", "sms", "queued", 3, 1),
            ("notice_updated", "email", "sent", 5, 0),
            ("notice_updated", "webhook", "delivered", 1, 0),
        )
    )
    assert tally.channels == ["sms", "email", "webhook"]
    assert tally.count("email", "sent") == 10
    assert tally.of_channel("sms") == 5
    assert tally.of_status("sent") == 10
    assert tally.total == 16
    assert tally.retrying == {"sms": 1}
    assert tally.kinds == {"notice": 10, "notice_updated": 6}
    assert tally.pending
    assert not Tally.of(counts(("notice", "sms", "sent", 1, 0))).pending


def test_the_chart_has_a_bar_per_channel_stacked_by_outcome_in_the_pages_words() -> None:
    tally = Tally.of(counts(("notice", "sms", "failed", 2, 2), ("notice", "email", "sent", 5, 0)))
    option = charts.deliveries(tally, Words("zh"))
    assert option["yAxis"]["data"] == ["短信", "电子邮件"]
    assert [(s["name"], s["data"], s["stack"]) for s in option["series"]] == [
        ("已发送", [0, 5], "all"),
        ("发送失败", [2, 0], "all"),
    ]
    assert option["color"] == [charts.COLOURS["sent"], charts.COLOURS["failed"]]
    assert option["xAxis"]["minInterval"] == 1
    english = charts.deliveries(tally, Words("en"))
    assert english["yAxis"]["data"] == ["SMS", "E-mail"]


def notice(**changes: Any) -> dict[str, Any]:
    found = {
        "site_id": "s1",
        "scope": "buildings",
        "scope_ids": ["b3"],
        "starts_at": (NOW - timedelta(hours=3)).isoformat(),
        "ends_at": (NOW - timedelta(hours=1)).isoformat(),
    }
    return {**found, **changes}


def test_complaints_count_from_the_start_of_the_work_to_a_day_after_it_or_now() -> None:
    assert service.complaint_window(notice(), NOW) == (NOW - timedelta(hours=3), NOW)
    long_ago = notice(
        starts_at=(NOW - timedelta(days=5)).isoformat(),
        ends_at=(NOW - timedelta(days=4)).isoformat(),
    )
    assert service.complaint_window(long_ago, NOW) == (
        NOW - timedelta(days=5),
        NOW - timedelta(days=3),
    )
    assert (
        service.complaint_window(notice(starts_at=(NOW + timedelta(hours=1)).isoformat()), NOW)
        is None
    )
    assert service.complaint_window(notice(starts_at=None, ends_at=None), NOW) is None


def test_a_complaint_is_in_scope_by_its_building_or_its_unit() -> None:
    places = Places.of(BUILDINGS, UNITS)
    in_b3 = {"location": {"building_id": "b3", "unit_id": "u1"}}
    in_b5 = {"location": {"building_id": "b5"}}
    nowhere: dict[str, Any] = {"location": None}
    buildings = notice()
    assert service.in_scope(in_b3, buildings, places)
    assert not service.in_scope(in_b5, buildings, places)
    assert not service.in_scope(nowhere, buildings, places)
    units = notice(scope="units", scope_ids=["u2"])
    assert not service.in_scope(in_b3, units, places)
    assert service.in_scope({"location": {"building_id": "b3"}}, units, places)
    assert service.in_scope(nowhere, notice(scope="site", scope_ids=[]), places)
