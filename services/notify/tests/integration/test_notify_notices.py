"""Notices end to end on both databases with the real broker: scope, opt-outs, updates and
cancellations to exactly the households first reached, a restart before the publish time,
validation, idempotency, roles and sites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from notify_harness import (
    Notify,
    eventually,
    hex_id,
    households,
    is_problem,
    notice_body,
    reached,
    running,
)

from notify.notices import publishing
from notify.settings import NotifySettings
from shared.clock import utcnow

pytestmark = pytest.mark.integration


async def _published(notify: Notify, notice_id: str, revision: int = 1) -> dict[str, Any]:
    async def status() -> str:
        return str((await notify.ok("GET", f"/v1/notices/{notice_id}"))["status"])

    assert await eventually(status, "published") == "published"
    notice: dict[str, Any] = await notify.ok("GET", f"/v1/notices/{notice_id}")
    assert notice["revision"] == revision
    return notice


def _keys(ids: list[str]) -> list[tuple[str, str]]:
    return sorted((f"household:{h}", "sms") for h in ids)


@pytest.mark.parametrize("scope", ["site", "buildings", "units"])
async def test_a_notice_reaches_every_household_in_its_scope_once(
    notify: Notify, scope: str
) -> None:
    site = hex_id("site-")
    north = await households(notify, site, 3, building_id="north")
    south = await households(notify, site, 2, building_id="south")
    await households(notify, hex_id("other-"), 2, building_id="north")
    ids = {"site": [], "buildings": ["south"], "units": ["north-u0", "south-u1"]}[scope]
    expected = {"site": north + south, "buildings": south, "units": [north[0], south[1]]}[scope]
    body = notice_body(site, scope=scope, scope_ids=ids, channels=["sms"])
    created = await notify.ok("POST", "/v1/notices", json=body, status=201)
    assert created["status"] == "scheduled"
    assert created["essential"] is True
    notice = await _published(notify, created["id"])
    assert notice["recipients"] == len(expected)
    assert await reached(notify, f"notice:{created['id']}:1") == _keys(expected)


async def test_a_notice_names_its_buildings_as_people_write_them(notify: Notify) -> None:
    site = hex_id("site-")
    await households(notify, site, 2, building_id=hex_id("b-"), building="1栋")
    third = await households(notify, site, 2, building_id=hex_id("b-"), building="3栋")
    body = notice_body(site, scope="buildings", scope_ids=["3栋"], channels=["sms"])
    created = await notify.ok("POST", "/v1/notices", json=body, status=201)
    notice = await _published(notify, created["id"])
    assert notice["scope_ids"] == ["3栋"]
    assert await reached(notify, f"notice:{created['id']}:1") == _keys(third)


async def test_opted_out_households_get_safety_notices_but_not_general_ones(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    willing = await households(notify, site, 2, building_id="a")
    unwilling = await households(notify, site, 1, building_id="b", opted_out=True)
    general = notice_body(site, kind="general", starts_at=None, ends_at=None, channels=["sms"])
    safety = notice_body(site, kind="safety_warning", channels=["sms"])
    sent = {}
    for name, body in (("general", general), ("safety", safety)):
        created = await notify.ok("POST", "/v1/notices", json=body, status=201)
        await _published(notify, created["id"])
        sent[name] = await reached(notify, f"notice:{created['id']}:1")
    assert sent["general"] == _keys(willing)
    assert sent["safety"] == _keys(willing + unwilling)


async def test_updates_and_the_cancellation_reach_exactly_the_households_first_reached(
    notify: Notify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publishing, "CHUNK", 2)  # several rounds of the fan-out and resends
    site = hex_id("site-")
    first = await households(notify, site, 3, building_id="east")
    created = await notify.ok(
        "POST",
        "/v1/notices",
        json=notice_body(site, scope="buildings", scope_ids=["east"]),
        status=201,
    )
    await _published(notify, created["id"])
    late = await households(notify, site, 2, building_id="east")  # moved in afterwards
    ends = (utcnow() + timedelta(days=1, hours=8)).isoformat()
    patch = {"title": "二期停水检修（延长）", "ends_at": ends}
    updated = await notify.ok("PATCH", f"/v1/notices/{created['id']}", json=patch)
    assert (updated["revision"], updated["title"]) == (2, patch["title"])
    cancelled = await notify.ok(
        "POST", f"/v1/notices/{created['id']}/cancel", json={"reason": "管道已提前修好"}
    )
    assert (cancelled["status"], cancelled["revision"]) == ("cancelled", 3)
    for revision in (1, 2, 3):
        assert await reached(notify, f"notice:{created['id']}:{revision}") == _keys(first)
    assert late
    assert not set(late) & {k.split(":")[1] for k, _ in _keys(first)}
    bodies = await notify.rows(
        "SELECT kind FROM message WHERE source_id LIKE :s ORDER BY kind",
        s=f"notice:{created['id']}:%",
    )
    assert sorted({b[0] for b in bodies}) == ["notice", "notice_cancelled", "notice_updated"]


async def test_a_scheduled_notice_is_rescheduled_or_dropped_without_a_message(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    await households(notify, site, 2)
    later = (utcnow() + timedelta(hours=2)).isoformat()
    created = await notify.ok(
        "POST", "/v1/notices", json=notice_body(site, publish_at=later), status=201
    )
    sooner = (utcnow() + timedelta(hours=1)).isoformat()
    moved = await notify.ok(
        "PATCH",
        f"/v1/notices/{created['id']}",
        json={"publish_at": sooner, "scope": "units", "scope_ids": ["b1-u0"]},
    )
    assert (moved["status"], moved["revision"], moved["scope"]) == ("scheduled", 1, "units")
    due = await notify.scalar(
        "SELECT due_at FROM timer WHERE kind = 'notify.notice_publish' AND key = :k",
        k=created["id"],
    )
    assert str(due)[:16] == sooner.replace("T", " ")[:16]
    dropped = await notify.ok("POST", f"/v1/notices/{created['id']}/cancel")
    assert dropped["status"] == "cancelled"
    assert await notify.scalar("SELECT count(*) FROM timer WHERE key = :k", k=created["id"]) == 0
    assert (
        await notify.scalar(
            "SELECT count(*) FROM delivery WHERE source_id LIKE :s", s=f"notice:{created['id']}:%"
        )
        == 0
    )


async def test_changes_the_notice_state_does_not_allow_are_conflicts(notify: Notify) -> None:
    site = hex_id("site-")
    await households(notify, site, 1)
    created = await notify.ok("POST", "/v1/notices", json=notice_body(site), status=201)
    await _published(notify, created["id"])
    path = f"/v1/notices/{created['id']}"
    for change in ({"scope": "buildings", "scope_ids": ["b1"]}, {"channels": ["email"]}):
        refused = await notify.request("PATCH", path, json=change)
        assert is_problem(refused, 409), refused.text
    await notify.ok("POST", f"{path}/cancel")
    assert is_problem(await notify.request("POST", f"{path}/cancel"), 409)
    assert is_problem(await notify.request("PATCH", path, json={"title": "again"}), 409)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"ends_at": "2026-01-01T00:00:00+08:00"}, "ends_at must be after starts_at"),
        ({"publish_at": "2099-01-01T00:00:00Z"}, "publish_at must be before"),
        ({"scope": "buildings"}, "needs at least one id"),
        ({"scope": "units", "scope_ids": []}, "needs at least one id"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"kind": "party"}, "kind"),
        ({"starts_at": None}, "needs the disruption"),
        ({"colour": "red"}, "colour"),
        ({"title": ""}, "title"),
    ],
)
async def test_a_notice_that_makes_no_sense_is_a_problem_saying_what(
    notify: Notify, change: dict[str, Any], says: str
) -> None:
    refused = await notify.request(
        "POST", "/v1/notices", json=notice_body(hex_id("site-"), **change)
    )
    assert is_problem(refused, 422), refused.text
    assert says in refused.text


async def test_a_reader_asking_for_chinese_is_told_what_to_change_in_chinese(
    notify: Notify,
) -> None:
    zh = {"Accept-Language": "zh-CN"}
    site = hex_id("site-")
    refused = await notify.request(
        "POST", "/v1/notices", json=notice_body(site, starts_at=None), headers=zh
    )
    assert is_problem(refused, 422), refused.text
    assert refused.headers["content-language"] == "zh-CN"
    assert refused.json()["title"] == "请求无效"
    assert refused.json()["detail"] == (
        "通知单无效：“停水”通知单须给出作业的开始时间 starts_at 和结束时间 ends_at"
    )
    await households(notify, site, 1)
    created = await notify.ok("POST", "/v1/notices", json=notice_body(site), status=201)
    await _published(notify, created["id"])
    path = f"/v1/notices/{created['id']}"
    conflict = await notify.request("PATCH", path, json={"channels": ["email"]}, headers=zh)
    assert is_problem(conflict, 409), conflict.text
    assert conflict.json()["detail"] == (
        f"通知单 {created['id']}：通知单已发布，channels 不能再更改（请取消后另发一份新的通知单）"
    )
    english = await notify.request("PATCH", path, json={"channels": ["email"]})
    assert "can no longer change" in english.json()["detail"]


async def test_a_repeated_post_with_the_same_key_schedules_one_notice(notify: Notify) -> None:
    site = hex_id("site-")
    body, key = notice_body(site), {"Idempotency-Key": hex_id()}
    ops = notify.headers(sub="ops")
    first = await notify.ok("POST", "/v1/notices", json=body, headers=key, as_=ops, status=201)
    again = await notify.ok("POST", "/v1/notices", json=body, headers=key, as_=ops, status=200)
    assert again["id"] == first["id"]
    page = await notify.ok("GET", f"/v1/notices?site_id={site}")
    assert [n["id"] for n in page["items"]] == [first["id"]]


async def test_staff_see_and_publish_only_on_their_sites_and_in_their_role(
    notify: Notify,
) -> None:
    mine, theirs = hex_id("site-"), hex_id("site-")
    handler = notify.headers(roles=["handler"], sites=[mine])
    surveyor = notify.headers(roles=["surveyor"], sites=[mine])
    own = await notify.ok("POST", "/v1/notices", json=notice_body(mine), as_=handler, status=201)
    other = await notify.ok("POST", "/v1/notices", json=notice_body(theirs), status=201)
    assert is_problem(
        await notify.request("POST", "/v1/notices", json=notice_body(theirs), as_=handler), 403
    )
    assert is_problem(
        await notify.request("POST", "/v1/notices", json=notice_body(mine), as_=surveyor), 403
    )
    for path in ("", "/document", "/sign"):
        assert is_problem(
            await notify.request("GET", f"/v1/notices/{other['id']}{path}", as_=handler), 404
        )
    for write in (("PATCH", "", {"title": "x"}), ("POST", "/cancel", {})):
        method, path, body = write
        refused = await notify.request(
            method, f"/v1/notices/{other['id']}{path}", json=body, as_=handler
        )
        assert is_problem(refused, 404)
    listed = await notify.ok("GET", "/v1/notices", as_=surveyor)
    assert [n["id"] for n in listed["items"]] == [own["id"]]
    assert is_problem(
        await notify.request("GET", "/v1/notices", headers={"Authorization": ""}), 401
    )


async def test_notices_are_listed_newest_first_in_pages_and_filtered(notify: Notify) -> None:
    site = hex_id("site-")
    made = []
    for kind in ("general", "regulation", "general"):
        body = notice_body(site, kind=kind, starts_at=None, ends_at=None)
        made.append((await notify.ok("POST", "/v1/notices", json=body, status=201))["id"])
    first = await notify.ok("GET", f"/v1/notices?site_id={site}&limit=2")
    rest = await notify.ok(
        "GET", f"/v1/notices?site_id={site}&limit=2&cursor={first['next_cursor']}"
    )
    assert [n["id"] for n in first["items"] + rest["items"]] == made[::-1]
    assert rest["next_cursor"] is None
    only = await notify.ok("GET", f"/v1/notices?site_id={site}&kind=regulation")
    assert [n["id"] for n in only["items"]] == [made[1]]
    soon = (utcnow() + timedelta(minutes=5)).isoformat()
    window = {"site_id": site, "published_before": soon}
    assert len((await notify.ok("GET", "/v1/notices", params=window))["items"]) == 3
    after = await notify.ok("GET", "/v1/notices", params={"site_id": site, "published_from": soon})
    assert after["items"] == []
    assert is_problem(await notify.request("GET", "/v1/notices?cursor=nonsense"), 400)


async def test_the_printable_notice_and_sign_carry_the_office_and_the_times(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    created = await notify.ok("POST", "/v1/notices", json=notice_body(site), status=201)
    page = await notify.request("GET", f"/v1/notices/{created['id']}/document")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "停水通知" in page.text
    assert "二期停水检修" in page.text
    assert "size: A4" in page.text
    sign = await notify.request("GET", f"/v1/notices/{created['id']}/sign?lang=en")
    assert "WATER OFF" in sign.text
    assert "size: A4" in sign.text
    general = notice_body(site, kind="general", starts_at=None, ends_at=None)
    plain = await notify.ok("POST", "/v1/notices", json=general, status=201)
    assert is_problem(await notify.request("GET", f"/v1/notices/{plain['id']}/sign"), 404)
    assert is_problem(
        await notify.request("GET", f"/v1/notices/{plain['id']}/document?lang=fr"), 422
    )
    await notify.ok("POST", f"/v1/notices/{created['id']}/cancel")
    cancelled = await notify.request("GET", f"/v1/notices/{created['id']}/document")
    assert 'class="stamp">已取消<' in cancelled.text


async def test_a_notice_scheduled_before_a_restart_is_published_once_after_it(
    notify_settings: NotifySettings,
) -> None:
    site = hex_id("site-")
    async with running(notify_settings) as notify:
        homes = await households(notify, site, 4)
        publish_at = utcnow() + timedelta(seconds=3)
        body = notice_body(site, publish_at=publish_at.isoformat(), channels=["sms"])
        created = await notify.ok("POST", "/v1/notices", json=body, status=201)
        waiting = "SELECT count(*) FROM timer WHERE key = :k"
        assert await notify.scalar(waiting, k=created["id"]) == 1
    # Stopped before the publish time: nothing went out, the timer waits in the database.
    async with running(notify_settings) as notify:
        notice = await _published(notify, created["id"])
        assert notice["published_at"] >= publish_at.isoformat()[:19]
        assert await reached(notify, f"notice:{created['id']}:1") == _keys(homes)
        metrics = (await notify.client.get("/metrics")).text
    assert 'careloop_notify_notices_published_total{kind="water_outage"}' in metrics
    assert "careloop_notify_notice_fanout_duration_seconds_count" in metrics
    async with running(notify_settings) as notify:
        fired = await notify.scalar("SELECT count(*) FROM timer WHERE key = :k", k=created["id"])
        assert fired == 0
        assert (
            await notify.scalar(
                "SELECT count(*) FROM message WHERE source_id = :s", s=f"notice:{created['id']}:1"
            )
            == 1
        )
