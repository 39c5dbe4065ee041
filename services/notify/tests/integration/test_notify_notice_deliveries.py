"""A notice's deliveries on both databases: whom each went to by building and unit, counts
per message kind, channel and outcome over every revision, the failing ones alone, and
nothing of a notice of a site the principal does not see."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from notify_harness import Notify, eventually, hex_id, is_problem, notice_body
from notify_receivers import HttpServer

from shared.contracts.intake import HouseholdUpserted

pytestmark = pytest.mark.integration


async def _household(notify: Notify, site_id: str, building: str, unit: str, **reach: Any) -> str:
    event = HouseholdUpserted(
        household_id=str(uuid.uuid4()),
        site_id=site_id,
        building=building,
        unit=unit,
        building_id=f"{site_id}-{building}",
        unit_id=f"{site_id}-{building}-{unit}",
        name="张敏",
        phones=reach.get("phones", []),
        email=reach.get("email"),
    )
    await notify.upsert(event)
    assert await eventually(lambda: notify.has_contact(event.household_id), True)
    return event.household_id


async def _counts(notify: Notify, notice_id: str) -> list[tuple[str, str, str, int, int]]:
    found = await notify.ok("GET", f"/v1/notices/{notice_id}/deliveries/counts")
    return [
        (c["kind"], c["channel"], c["status"], c["count"], c["failing"]) for c in found["items"]
    ]


async def _settled(notify: Notify, notice_id: str, revision: int, count: int) -> None:
    async def done() -> bool:
        notice = await notify.ok("GET", f"/v1/notices/{notice_id}")
        if notice["status"] == "scheduled":
            return False
        return len(await notify.settled(f"notice:{notice_id}:{revision}", count)) == count

    assert await eventually(done, True)


async def test_a_notices_deliveries_say_whom_they_were_for_and_how_they_went(
    notify: Notify, http_server: HttpServer
) -> None:
    http_server.answers["/sms"] = [400]  # the gateway refuses: a permanent failure
    site = hex_id("site-")
    texted = await _household(notify, site, "3栋", "1201", phones=["13800001201"])
    mailed = await _household(notify, site, "5栋", "0802", email="li@example.com")
    created = await notify.ok("POST", "/v1/notices", json=notice_body(site), status=201)
    notice_id = created["id"]
    await _settled(notify, notice_id, 1, 2)

    assert await _counts(notify, notice_id) == [
        ("notice", "email", "sent", 1, 0),
        ("notice", "sms", "failed", 1, 1),
    ]
    failing = await notify.ok("GET", f"/v1/notices/{notice_id}/deliveries?failing=true")
    [failed] = failing["items"]
    assert failed["recipient_key"] == f"household:{texted}"
    assert (failed["channel"], failed["status"]) == ("sms", "failed")
    assert (failed["building"], failed["unit"]) == ("3栋", "1201")
    assert "400" in failed["last_error"]
    assert "address" not in failed
    fine = await notify.ok("GET", f"/v1/notices/{notice_id}/deliveries?failing=false")
    assert [(d["recipient_key"], d["building"]) for d in fine["items"]] == [
        (f"household:{mailed}", "5栋")
    ]

    # An update goes to the same households: the counts and the list take in every revision.
    http_server.answers["/sms"] = [200]
    await notify.ok("PATCH", f"/v1/notices/{notice_id}", json={"title": "二期停水检修（改期）"})
    await _settled(notify, notice_id, 2, 2)
    assert await _counts(notify, notice_id) == [
        ("notice", "email", "sent", 1, 0),
        ("notice", "sms", "failed", 1, 1),
        ("notice_updated", "email", "sent", 1, 0),
        ("notice_updated", "sms", "sent", 1, 0),
    ]
    every = await notify.ok("GET", f"/v1/notices/{notice_id}/deliveries?limit=3")
    rest = await notify.ok(
        "GET", f"/v1/notices/{notice_id}/deliveries?limit=3&cursor={every['next_cursor']}"
    )
    sources = [d["source_id"] for d in every["items"] + rest["items"]]
    assert sorted(sources) == [f"notice:{notice_id}:1"] * 2 + [f"notice:{notice_id}:2"] * 2
    assert rest["next_cursor"] is None
    mail = await notify.ok("GET", f"/v1/notices/{notice_id}/deliveries?channel=email")
    assert {d["kind"] for d in mail["items"]} == {"notice", "notice_updated"}

    # The general list takes the same filter and says whom too.
    across = await notify.deliveries(site_id=site, failing="true")
    assert [(d["id"], d["unit"]) for d in across] == [(failed["id"], "1201")]


async def test_a_notice_without_deliveries_counts_nothing(notify: Notify) -> None:
    later = notice_body(hex_id("site-"), publish_at="2099-01-01T00:00:00Z", ends_at=None)
    later["starts_at"] = None
    later["kind"] = "general"
    created = await notify.ok("POST", "/v1/notices", json=later, status=201)
    assert await _counts(notify, created["id"]) == []
    listed = await notify.ok("GET", f"/v1/notices/{created['id']}/deliveries")
    assert listed == {"items": [], "next_cursor": None}


async def test_another_sites_staff_find_neither_the_deliveries_nor_their_counts(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    await _household(notify, site, "1栋", "0101", email="wang@example.com")
    created = await notify.ok("POST", "/v1/notices", json=notice_body(site), status=201)
    await _settled(notify, created["id"], 1, 1)
    outsider = notify.headers(roles=["gm", "admin"], sites=[hex_id("site-")])
    insider = notify.headers(roles=["surveyor"], sites=[site])
    for path in ("/deliveries", "/deliveries/counts"):
        url = f"/v1/notices/{created['id']}{path}"
        assert is_problem(await notify.request("GET", url, as_=outsider), 404)
        assert (await notify.request("GET", url, as_=insider)).status_code == 200
    assert is_problem(await notify.request("GET", "/v1/notices/nope/deliveries/counts"), 404)
    refused = await notify.request("GET", f"/v1/notices/{created['id']}/deliveries?status=lost")
    assert is_problem(refused, 422)
