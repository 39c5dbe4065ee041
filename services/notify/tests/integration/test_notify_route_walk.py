"""Every notify route is guarded: no token is 401; another site's principal finds nothing.

The walk reads the app's own route list, so a route added later without a case here fails
the test instead of going unchecked. Notices and callbacks have their own walk beside
their tests; this one covers contacts, settings, staff, deliveries, phone tasks,
templates and webhook subscriptions.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from notify_harness import (
    Notify,
    complaint,
    eventually,
    hex_id,
    household,
    is_problem,
    staff_member,
)

from shared.testing.routes import api_routes, call_every_route

pytestmark = pytest.mark.integration

ALL_ROLES = ["handler", "dept_head", "vp", "gm", "surveyor", "callcenter", "admin"]
ELSEWHERE = ("/v1/notices", "/v1/callbacks")
# What another site's principal gets: objects of the site do not exist for it (404),
# writes naming the site are forbidden (403), lists answer empty, templates are global.
OUTSIDER = {
    ("GET", "/v1/contacts"): 404,
    ("GET", "/v1/contacts/{household_id}"): 404,
    ("PATCH", "/v1/contacts/{household_id}"): 404,
    ("GET", "/v1/sites/{site_id}/staff-contacts"): 404,
    ("PUT", "/v1/sites/{site_id}/staff-contacts"): 403,
    ("GET", "/v1/sites/{site_id}/settings"): 404,
    ("PUT", "/v1/sites/{site_id}/settings"): 403,
    ("GET", "/v1/deliveries"): 200,
    ("GET", "/v1/deliveries/{delivery_id}"): 404,
    ("GET", "/v1/phone-tasks"): 200,
    ("POST", "/v1/phone-tasks/{task_id}/done"): 404,
    ("GET", "/v1/templates"): 200,
    ("POST", "/v1/templates/{kind}/preview"): 404,
    ("POST", "/v1/webhook-subscriptions"): 403,
    ("GET", "/v1/webhook-subscriptions"): 200,
    ("GET", "/v1/webhook-subscriptions/{subscription_id}"): 404,
    ("PATCH", "/v1/webhook-subscriptions/{subscription_id}"): 404,
    ("DELETE", "/v1/webhook-subscriptions/{subscription_id}"): 404,
    ("POST", "/v1/webhook-subscriptions/{subscription_id}/secret-rotation"): 404,
    ("GET", "/v1/webhook-subscriptions/{subscription_id}/deliveries"): 404,
}


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)


def _bodies(ids: dict[str, str]) -> dict[tuple[str, str], Any]:
    """A valid body for each write, so that only the site check can refuse it."""
    return {
        ("PATCH", "/v1/contacts/{household_id}"): {"locale": "en"},
        ("PUT", "/v1/sites/{site_id}/staff-contacts"): {"staff": [staff_member("x", "gm", None)]},
        ("PUT", "/v1/sites/{site_id}/settings"): {"name": "翠苑小区"},
        ("POST", "/v1/phone-tasks/{task_id}/done"): {"reached": True},
        ("POST", "/v1/templates/{kind}/preview"): {
            "site_id": ids["site_id"],
            "context": {"reference": "R", "note": "n"},
        },
        ("POST", "/v1/webhook-subscriptions"): _subscription(ids["site_id"]),
        ("PATCH", "/v1/webhook-subscriptions/{subscription_id}"): {"status": "paused"},
    }


def _subscription(site_id: str) -> dict[str, Any]:
    return {"url": "http://127.0.0.1:9/hook", "site_ids": [site_id]}


async def test_every_route_without_a_token_is_401_problem(notify: Notify) -> None:
    answers = await call_every_route(notify.app)

    assert len(answers) >= len(OUTSIDER)
    assert [a for a in answers if a.status != 401] == []
    assert {a.content_type for a in answers} == {"application/problem+json"}


async def _site_with_a_phone_task(notify: Notify) -> dict[str, str]:
    site = hex_id("site-")
    one = household(site, phones=["13800000001"])
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    await notify.ok("PATCH", f"/v1/contacts/{one.household_id}", json={"channels": ["phone_task"]})
    [delivery] = await notify.settled(await notify.emit(complaint(site, one.household_id)), 1)
    tasks = await notify.ok("GET", "/v1/phone-tasks", params={"site_id": site})
    subscription = await notify.ok(
        "POST", "/v1/webhook-subscriptions", json=_subscription(site), status=201
    )
    return {
        "subscription_id": str(subscription["id"]),
        "site_id": site,
        "household_id": one.household_id,
        "delivery_id": str(delivery["id"]),
        "task_id": str(tasks["items"][0]["id"]),
        "kind": "progress",
    }


async def test_another_sites_principal_finds_nothing_on_any_route(notify: Notify) -> None:
    ids = await _site_with_a_phone_task(notify)
    outsider = notify.headers(roles=ALL_ROLES, sites=[hex_id("site-")])
    bodies = _bodies(ids)
    routes = [r for r in api_routes(notify.app) if not r[1].startswith(ELSEWHERE)]
    assert set(routes) == set(OUTSIDER)  # a new route needs its case here
    answers = {}
    for method, path in routes:
        response = await notify.request(
            method,
            _fill(path, ids),
            as_=outsider,
            json=bodies.get((method, path)),
            params={"site_id": ids["site_id"]} if "{" not in path else None,
        )
        answers[(method, path)] = response
        if response.status_code == 200 and method == "GET" and isinstance(response.json(), dict):
            assert response.json().get("items", []) == [], path

    statuses = {route: r.status_code for route, r in answers.items()}
    assert statuses == OUTSIDER
    assert all(is_problem(r) for r in answers.values() if r.status_code >= 400)


async def test_the_sites_own_principal_reaches_the_same_routes(notify: Notify) -> None:
    ids = await _site_with_a_phone_task(notify)
    insider = notify.headers(roles=["admin"], sites=[ids["site_id"]])
    for path in (
        f"/v1/contacts/{ids['household_id']}",
        f"/v1/deliveries/{ids['delivery_id']}",
        f"/v1/sites/{ids['site_id']}/settings",
        f"/v1/sites/{ids['site_id']}/staff-contacts",
        f"/v1/webhook-subscriptions/{ids['subscription_id']}",
        f"/v1/webhook-subscriptions/{ids['subscription_id']}/deliveries",
    ):
        response = await notify.request("GET", path, as_=insider)
        assert response.status_code == 200, path
    tasks = await notify.ok("GET", "/v1/phone-tasks", as_=insider)
    assert [str(t["id"]) for t in tasks["items"]] == [ids["task_id"]]


async def test_ids_past_the_columns_range_are_refused_not_a_500(notify: Notify) -> None:
    huge = "99999999999999999999"
    gateway = {"Authorization": "Bearer gateway-key"}

    delivery = await notify.request("GET", f"/v1/deliveries/{huge}")
    task = await notify.request("POST", f"/v1/phone-tasks/{huge}/done", json={})
    receipt = await notify.client.post(
        "/hooks/sms-receipts",
        json={"reference": f"delivery-{huge}", "status": "delivered"},
        headers=gateway,
    )
    nul = await notify.request("GET", "/v1/contacts", params={"site_id": "site\x00a"})

    assert is_problem(delivery, 422)
    assert is_problem(task, 422)
    assert is_problem(receipt, 404)
    # A NUL character cannot go into PostgreSQL's text: refused as input, not a 500.
    assert nul.status_code in (200, 422)
