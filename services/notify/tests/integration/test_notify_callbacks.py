"""Callbacks end to end on both databases with the real broker: one callback and one reply
per resolution however often it arrives, staff attempts (satisfied, unsatisfied, missed until
unreachable), the resident's single-use link, the queue's views, roles and sites."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from notify_harness import (
    Notify,
    case_fields,
    complaint,
    envelope,
    eventually,
    hex_id,
    household,
    households,
    is_problem,
    known_complaint,
    next_event,
    notice_body,
    reached,
    resolved,
    visitor,
)
from notify_receivers import HttpServer
from sqlalchemy import text

from notify.callbacks import rules
from notify.settings import NotifySettings
from notify.sites.office import get_office
from shared.clock import utcnow
from shared.contracts.notify import CallbackCompleted
from shared.contracts.routing import CaseAssigned, CaseResolved
from shared.contracts.surveys import SurveyCallbackRequested
from shared.db.engine import reading
from shared.testing.inprocess import Consumed, Retried
from shared.testing.routes import api_routes

pytestmark = pytest.mark.integration

EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]
LINK = re.compile(r"https://notify\.example/c/([A-Za-z0-9_-]+)")


@pytest.fixture
def notify_settings(notify_settings: NotifySettings) -> NotifySettings:
    """Two calls before a resident is unreachable; the office calls back every day."""
    return notify_settings.model_copy(
        update={
            "callback_max_attempts": 2,
            "callback_working_days": EVERY_DAY,
            "public_url": "https://notify.example",
        }
    )


async def _resolve(
    notify: Notify, site: str, *, delay_hours: int = 0, times: int = 1
) -> tuple[CaseResolved, str, str]:
    """A resolved case of a known household: (event, callback id, household id)."""
    await notify.put_site(
        site,
        callback_delay_hours=delay_hours,
        working_hours_start="00:00",
        working_hours_end="23:59",
    )
    (household,) = await households(notify, site, 1)
    event = resolved(site, await known_complaint(notify, site, household))
    env = envelope(event, site_id=site, aggregate_id=event.case_id, aggregate_version=7)
    for n in range(times):
        await notify.publish(env if n % 2 == 0 else {**env, "id": hex_id("again-")})

    async def opened() -> int:
        sql = "SELECT count(*) FROM callback WHERE case_id = :c"
        return int(await notify.scalar(sql, c=event.case_id))

    assert await eventually(opened, 1) == 1
    ident = await notify.scalar("SELECT id FROM callback WHERE case_id = :c", c=event.case_id)
    return event, str(ident), household


async def _token(notify: Notify, callback_id: str) -> str:
    body = await notify.scalar(
        "SELECT body FROM message WHERE source_id = :s", s=f"callback:{callback_id}"
    )
    found = LINK.search(str(body))
    assert found is not None, body
    return found.group(1)


async def test_a_resolution_delivered_again_opens_one_callback_and_sends_one_reply(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    consumed = Consumed("notify", "case.resolved")
    event, ident, household = await _resolve(notify, site, delay_hours=30, times=4)
    await consumed.reach(4)  # each copy handled or absorbed: a second callback would be here
    assert (
        await notify.scalar("SELECT count(*) FROM callback WHERE case_id = :c", c=event.case_id)
        == 1
    )
    assert await reached(notify, f"callback:{ident}") == [(f"household:{household}", "sms")]
    assert (
        await notify.scalar(
            "SELECT count(*) FROM message WHERE source_id = :s", s=f"callback:{ident}"
        )
        == 1
    )
    assert await _token(notify, ident)
    found = await notify.ok("GET", f"/v1/callbacks/{ident}")
    async with reading(notify.db) as session:
        office = await get_office(session, site_id=site, working_days=frozenset(range(7)))
    expected = rules.due_at(event.at, delay=timedelta(hours=30), hours=office.hours)
    assert found["due_at"][:19] == expected.isoformat()[:19]
    assert (found["state"], found["summary"], found["origin"]) == ("pending", event.reply, "case")


async def test_staff_reach_a_satisfied_resident_and_callback_completed_goes_out(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    event, ident, _ = await _resolve(notify, site)
    due = await notify.ok("GET", f"/v1/callbacks?status=due&site_id={site}")
    assert [c["id"] for c in due["items"]] == [ident]
    caller = notify.headers(roles=["callcenter"], sites=[site], sub="agent-7")
    body = {"reached": True, "satisfied": True, "comment": "很满意，谢谢"}
    done = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=body, as_=caller)
    assert (done["status"], done["satisfied"], done["completed_via"]) == (
        "completed",
        True,
        "staff",
    )
    env, sent = await next_event(completed)
    assert isinstance(sent, CallbackCompleted)
    assert (sent.callback_id, sent.case_id, sent.complaint_id) == (
        ident,
        event.case_id,
        event.complaint_id,
    )
    assert (sent.satisfied, sent.by, sent.comment) == (True, "agent-7", "很满意，谢谢")
    assert env.site_id == site
    again = await notify.request("POST", f"/v1/callbacks/{ident}/attempts", json=body, as_=caller)
    assert is_problem(again, 409)
    link = await notify.client.get(
        f"/c/{await _token(notify, ident)}", headers={"Accept": "text/html"}
    )
    assert link.status_code == 410
    assert 'id="used"' in link.text
    listed = await notify.ok("GET", f"/v1/callbacks?status=completed&site_id={site}")
    assert [c["id"] for c in listed["items"]] == [ident]


async def test_an_unsatisfied_resident_is_reported_as_such(notify: Notify) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    _, ident, _ = await _resolve(notify, site)
    body = {"reached": True, "satisfied": False, "comment": "楼道还是很脏"}
    key = {"Idempotency-Key": hex_id()}
    ops = notify.headers(sub="ops")
    first = await notify.ok(
        "POST", f"/v1/callbacks/{ident}/attempts", json=body, headers=key, as_=ops
    )
    replay = await notify.ok(
        "POST", f"/v1/callbacks/{ident}/attempts", json=body, headers=key, as_=ops
    )
    assert first == replay
    assert first["satisfied"] is False
    # The replay's answer came back: an event it wrote would be committed by now.
    sent = await notify.committed("callback.completed", callback_id=ident)
    assert [(e["data"]["satisfied"], e["data"]["comment"]) for e in sent] == [
        (False, "楼道还是很脏")
    ]
    _, event = await next_event(completed)
    assert (event.satisfied, event.comment) == (False, "楼道还是很脏")  # type: ignore[attr-defined]


async def test_a_resident_nobody_reaches_becomes_unreachable_and_stays_in_the_queue(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    _, ident, _ = await _resolve(notify, site)
    miss = {"reached": False, "comment": "无人接听"}
    first = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=miss)
    assert (first["status"], first["attempts"], first["state"]) == ("open", 1, "pending")
    assert first["due_at"] > utcnow().isoformat()
    second = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=miss)
    assert (second["status"], second["attempts"], second["state"]) == (
        "unreachable",
        2,
        "unreachable",
    )
    assert is_problem(
        await notify.request("POST", f"/v1/callbacks/{ident}/attempts", json=miss), 409
    )
    queue = await notify.ok("GET", f"/v1/callbacks?status=unreachable&site_id={site}")
    assert [c["id"] for c in queue["items"]] == [ident]
    history = (await notify.ok("GET", f"/v1/callbacks/{ident}"))["history"]
    assert [(h["via"], h["reached"]) for h in history] == [("staff", False), ("staff", False)]
    assert await notify.committed("callback.completed", callback_id=ident) == []
    metrics = (await notify.client.get("/metrics")).text
    assert 'careloop_notify_callbacks_completed_total{outcome="unreachable",via="staff"}' in metrics


async def test_the_resident_answers_once_through_the_link(notify: Notify) -> None:
    site = hex_id("site-")
    completed = await notify.watch("callback.completed")
    event, ident, _ = await _resolve(notify, site)
    token = await _token(notify, ident)
    html = {"Accept": "text/html"}
    page = await notify.client.get(f"/c/{token}", headers=html)
    assert page.status_code == 200
    assert event.reply in page.text
    assert "翠苑小区" in page.text
    assert page.headers["cache-control"] == "no-store"
    form = {"satisfied": "no", "comment": "还有异味", "lang": "zh-CN"}
    answered = await notify.client.post(f"/c/{token}", data=form, headers=html)
    assert answered.status_code == 200
    assert 'id="thanks"' in answered.text
    _, sent = await next_event(completed)
    assert isinstance(sent, CallbackCompleted)
    assert (sent.satisfied, sent.comment, sent.by) == (False, "还有异味", None)
    reused = await notify.client.post(f"/c/{token}", data=form, headers=html)
    assert reused.status_code == 410
    assert 'id="used"' in reused.text
    staff = await notify.request(
        "POST", f"/v1/callbacks/{ident}/attempts", json={"reached": True, "satisfied": True}
    )
    assert is_problem(staff, 409)
    assert "link" in staff.json()["detail"]
    assert is_problem(await notify.client.get(f"/c/{token}"), 410)


async def test_unknown_expired_and_incomplete_answers_are_refused_clearly(notify: Notify) -> None:
    site = hex_id("site-")
    _, ident, _ = await _resolve(notify, site)
    token = await _token(notify, ident)
    html = {"Accept": "text/html"}
    unknown = await notify.client.get(f"/c/{'x' * 32}?lang=en", headers=html)
    assert unknown.status_code == 404
    assert "Callback not found" in unknown.text
    assert is_problem(await notify.client.get("/c/short"), 404)
    blank = await notify.client.post(f"/c/{token}", data={"comment": "?"}, headers=html)
    assert blank.status_code == 422
    assert 'role="alert"' in blank.text
    wrong = await notify.client.post(
        f"/c/{token}", content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert is_problem(wrong, 415)
    async with notify.db.engine.begin() as conn:
        await conn.execute(
            text("UPDATE callback SET link_expires_at = :t WHERE id = :i"),
            {"t": utcnow() - timedelta(minutes=1), "i": ident},
        )
    expired = await notify.client.get(f"/c/{token}", headers=html)
    assert expired.status_code == 410
    assert 'id="expired"' in expired.text


async def test_the_queue_shows_pending_due_and_overdue_callbacks_and_the_gauges_count_them(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    _, later, _ = await _resolve(notify, site, delay_hours=48)
    _, now, _ = await _resolve(notify, site)
    _, old, _ = await _resolve(notify, site)
    async with notify.db.engine.begin() as conn:
        await conn.execute(
            text("UPDATE callback SET due_at = :d, overdue_at = :o WHERE id = :i"),
            {"d": utcnow() - timedelta(days=3), "o": utcnow() - timedelta(days=1), "i": old},
        )
    views = {}
    for view in ("pending", "due", "overdue"):
        page = await notify.ok("GET", f"/v1/callbacks?status={view}&site_id={site}")
        views[view] = [c["id"] for c in page["items"]]
    assert views == {"pending": [later], "due": [now], "overdue": [old]}
    everything = await notify.ok("GET", f"/v1/callbacks?site_id={site}&limit=2")
    rest = await notify.ok(
        "GET", f"/v1/callbacks?site_id={site}&limit=2&cursor={everything['next_cursor']}"
    )
    assert [c["id"] for c in everything["items"] + rest["items"]] == [old, now, later]
    assert is_problem(await notify.request("GET", "/v1/callbacks?status=someday"), 422)

    async def gauges() -> bool:
        text = (await notify.client.get("/metrics")).text
        return (
            f'careloop_notify_callbacks_due{{site="{site}"}} 1.0' in text
            and f'careloop_notify_callbacks_overdue{{site="{site}"}} 1.0' in text
        )

    assert await eventually(gauges, True, timeout=10)


async def test_staff_work_only_their_sites_callbacks_and_only_in_their_role(
    notify: Notify,
) -> None:
    mine, theirs = hex_id("site-"), hex_id("site-")
    _, own, _ = await _resolve(notify, mine)
    _, other, _ = await _resolve(notify, theirs)
    handler = notify.headers(roles=["handler"], sites=[mine])
    surveyor = notify.headers(roles=["surveyor"], sites=[mine])
    listed = await notify.ok("GET", "/v1/callbacks", as_=handler)
    assert [c["id"] for c in listed["items"]] == [own]
    assert is_problem(await notify.request("GET", f"/v1/callbacks/{other}", as_=handler), 404)
    miss = {"reached": False}
    assert is_problem(
        await notify.request("POST", f"/v1/callbacks/{other}/attempts", json=miss, as_=handler),
        404,
    )
    assert is_problem(
        await notify.request("POST", f"/v1/callbacks/{own}/attempts", json=miss, as_=surveyor),
        403,
    )
    await notify.ok("GET", f"/v1/callbacks/{own}", as_=surveyor)
    for body in ({"reached": True}, {"reached": False, "satisfied": True}, {"reached": "maybe"}):
        refused = await notify.request("POST", f"/v1/callbacks/{own}/attempts", json=body)
        assert is_problem(refused, 422), refused.text


async def test_a_survey_answer_asking_for_a_call_is_queued_and_closes_no_case(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59")
    asked = SurveyCallbackRequested(
        callback_key=hex_id("cb-"),
        campaign_id=hex_id("c-"),
        site_id=site,
        household_id=hex_id("h-"),
        response_id=hex_id("r-"),
        topic="cleaning",
        level="dissatisfied",
        score=0,
        comment="垃圾桶周围很脏",
        due_at=utcnow() + timedelta(days=15),
    )
    env = envelope(asked, site_id=site)
    await notify.publish(env)
    await notify.publish({**env, "id": hex_id("again-")})

    async def queued() -> list[str]:
        page = await notify.ok("GET", f"/v1/callbacks?status=due&site_id={site}")
        return [c["origin"] for c in page["items"]]

    assert await eventually(queued, ["survey"]) == ["survey"]
    ident = (await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"][0]["id"]
    body = {"reached": True, "satisfied": True}
    done = await notify.ok("POST", f"/v1/callbacks/{ident}/attempts", json=body)
    assert done["status"] == "completed"
    assert done["case_id"] is None
    assert await notify.committed("callback.completed", callback_id=ident) == []


async def test_the_queue_and_each_callback_name_whom_to_call(notify: Notify) -> None:
    site = hex_id("site-")
    _, ident, household_id = await _resolve(notify, site)
    contact = {"name": "张敏", "phone": "13800000000", "building": "B1", "unit": "101"}

    (listed,) = (await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"]
    one = await notify.ok("GET", f"/v1/callbacks/{ident}")
    assert (listed["id"], listed["household_id"]) == (ident, household_id)
    assert listed["contact"] == one["contact"] == contact

    moved = household(site, phones=["13900000009"], household_id=household_id)
    moved = moved.model_copy(update={"name": "张敏华", "building": None, "unit": "202"})
    await notify.upsert(moved, version=2)
    assert await eventually(partial(notify.has_contact, household_id, unit="202"), True)
    renamed = {"name": "张敏华", "phone": "13900000009", "building": None, "unit": "202"}
    assert (await notify.ok("GET", f"/v1/callbacks/{ident}"))["contact"] == renamed
    missed = await notify.ok(
        "POST", f"/v1/callbacks/{ident}/attempts", json={"reached": False, "comment": "无人接听"}
    )
    assert missed["contact"] == renamed
    (again,) = (await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"]
    assert again["contact"] == renamed


async def test_a_visitor_gets_the_final_reply_and_the_callback_names_whom_to_call(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59")
    contact, received = visitor(site, phone="13600002468", email="liu.cb@example.cn")
    await notify.emit(contact)
    await notify.emit(received, aggregate_id=received.complaint_id, aggregate_version=1)
    event = resolved(site, received.complaint_id)
    await notify.publish(envelope(event, site_id=site, aggregate_id=event.case_id))

    async def queued() -> int:
        return len((await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"])

    assert await eventually(queued, 1) == 1
    (listed,) = (await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"]
    reply = await notify.settled(f"callback:{listed['id']}", 2)
    whom = {"name": "过客刘", "phone": "13600002468", "building": None, "unit": None}
    assert (listed["household_id"], listed["contact"]) == (None, whom)
    assert (await notify.ok("GET", f"/v1/callbacks/{listed['id']}"))["contact"] == whom
    assert {d["channel"] for d in reply} == {"sms", "email"}
    texts = [h.json["text"] for h in http_server.at("/sms") if h.json["to"] == "13600002468"]
    assert len(texts) == 2  # the acknowledgement, then the reply with the link
    assert [t for t in texts if LINK.search(t)]
    other = notify.headers(roles=["callcenter"], sites=[hex_id("site-")])
    assert (
        await notify.request("GET", f"/v1/callbacks/{listed['id']}", as_=other)
    ).status_code == 404


async def test_a_callback_of_a_household_notify_does_not_know_has_no_contact(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59")
    stranger = hex_id("h-")
    asked = SurveyCallbackRequested(
        callback_key=hex_id("cb-"),
        campaign_id=hex_id("c-"),
        site_id=site,
        household_id=stranger,
        response_id=hex_id("r-"),
        topic="cleaning",
        level="dissatisfied",
        score=0,
        comment="垃圾桶周围很脏",
        due_at=utcnow() + timedelta(days=15),
    )
    await notify.publish(envelope(asked, site_id=site))

    async def queued() -> int:
        return len((await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"])

    assert await eventually(queued, 1) == 1
    (listed,) = (await notify.ok("GET", f"/v1/callbacks?site_id={site}"))["items"]
    assert (listed["household_id"], listed["contact"]) == (stranger, None)
    assert (await notify.ok("GET", f"/v1/callbacks/{listed['id']}"))["contact"] is None
    # Another site's household of the same id is not this callback's contact.
    await notify.upsert(household(hex_id("site-"), phones=["13800000001"], household_id=stranger))
    assert await eventually(partial(notify.has_contact, stranger), True)
    assert (await notify.ok("GET", f"/v1/callbacks/{listed['id']}"))["contact"] is None


async def test_the_queue_narrows_to_the_callbacks_of_one_case(notify: Notify) -> None:
    site = hex_id("site-")
    first, first_id, _ = await _resolve(notify, site)
    _, second_id, _ = await _resolve(notify, site)
    mine = notify.headers(roles=["handler"], sites=[site])
    outsider = notify.headers(roles=["admin"], sites=[hex_id("site-")])

    def ids(page: dict[str, Any]) -> list[str]:
        return [c["id"] for c in page["items"]]

    everything = await notify.ok("GET", "/v1/callbacks", as_=mine)
    of_first = await notify.ok("GET", "/v1/callbacks", params={"case_id": first.case_id}, as_=mine)
    of_none = await notify.ok("GET", "/v1/callbacks", params={"case_id": hex_id("case-")})
    elsewhere = await notify.ok(
        "GET", "/v1/callbacks", params={"case_id": first.case_id}, as_=outsider
    )
    bad = await notify.request("GET", "/v1/callbacks", params={"case_id": "../x"})

    assert sorted(ids(everything)) == sorted([first_id, second_id])
    assert ids(of_first) == [first_id]
    assert of_first["items"][0]["case_id"] == first.case_id
    assert ids(of_none) == []
    assert ids(elsewhere) == []
    assert is_problem(bad, 422)


MINE = ("/v1/notices", "/v1/callbacks")
# What another site's principal with every role gets on the notice and callback routes:
# the site's notices and callbacks do not exist for it (404), a notice naming the site is
# forbidden (403), lists answer empty.
OUTSIDER = {
    ("POST", "/v1/notices"): 403,
    ("GET", "/v1/notices"): 200,
    ("GET", "/v1/notices/{notice_id}"): 404,
    ("PATCH", "/v1/notices/{notice_id}"): 404,
    ("POST", "/v1/notices/{notice_id}/cancel"): 404,
    ("GET", "/v1/notices/{notice_id}/document"): 404,
    ("GET", "/v1/notices/{notice_id}/sign"): 404,
    ("GET", "/v1/notices/{notice_id}/deliveries"): 404,
    ("GET", "/v1/notices/{notice_id}/deliveries/counts"): 404,
    ("GET", "/v1/callbacks"): 200,
    ("GET", "/v1/callbacks/{callback_id}"): 404,
    ("POST", "/v1/callbacks/{callback_id}/attempts"): 404,
}
ALL_ROLES = ["handler", "dept_head", "vp", "gm", "surveyor", "callcenter", "admin"]


async def test_another_sites_principal_finds_no_notice_or_callback_on_any_route(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    _, callback_id, _ = await _resolve(notify, site)
    created = await notify.ok("POST", "/v1/notices", json=notice_body(site), status=201)
    ids = {"notice_id": created["id"], "callback_id": callback_id}
    bodies = {
        ("POST", "/v1/notices"): notice_body(site),
        ("PATCH", "/v1/notices/{notice_id}"): {"title": "改"},
        ("POST", "/v1/callbacks/{callback_id}/attempts"): {"reached": False},
    }
    outsider = notify.headers(roles=ALL_ROLES, sites=[hex_id("site-")])
    routes = [r for r in api_routes(notify.app) if r[1].startswith(MINE)]
    assert set(routes) == set(OUTSIDER)  # a new route needs its case here
    answers = {}
    for method, path in routes:
        filled = re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)
        answers[(method, path)] = response = await notify.request(
            method,
            filled,
            as_=outsider,
            json=bodies.get((method, path)),
            params={"site_id": site} if "{" not in path and method == "GET" else None,
        )
        if response.status_code == 200:
            assert response.json()["items"] == [], path
    assert {route: r.status_code for route, r in answers.items()} == OUTSIDER
    assert all(is_problem(r) for r in answers.values() if r.status_code >= 400)
    insider = notify.headers(roles=["handler"], sites=[site])
    for path in (f"/v1/notices/{created['id']}", f"/v1/callbacks/{callback_id}"):
        assert (await notify.request("GET", path, as_=insider)).status_code == 200


async def test_a_resolution_that_overtakes_its_complaint_waits_for_it(notify: Notify) -> None:
    site = hex_id("site-")
    await notify.put_site(site, callback_delay_hours=0)
    (household,) = await households(notify, site, 1)
    early = complaint(site, household)
    event = resolved(site, early.complaint_id)
    retried = Retried("notify", "case.resolved")
    await notify.emit(event, aggregate_id=event.case_id, aggregate_version=3)
    await retried.reach(1, exactly=False)  # notify has not heard of the complaint yet
    await notify.emit(early, aggregate_id=early.complaint_id, aggregate_version=1)

    async def replied() -> list[tuple[str, str]]:
        ident = await notify.scalar("SELECT id FROM callback WHERE case_id = :c", c=event.case_id)
        return await reached(notify, f"callback:{ident}") if ident else []

    assert await eventually(replied, [(f"household:{household}", "sms")]) == [
        (f"household:{household}", "sms")
    ]


async def test_a_resolution_waits_for_its_complaint_even_when_the_assignment_came_first(
    notify: Notify,
) -> None:
    # case.assigned fills the projection without a household: that must not read as a
    # visitor's complaint, or the reply with the resident's link would go to nobody.
    site = hex_id("site-")
    await notify.put_site(site, callback_delay_hours=0)
    (household,) = await households(notify, site, 1)
    early = complaint(site, household)
    fields = case_fields(site, early.complaint_id)
    assigned = CaseAssigned(**fields, department="customer_service")
    retried = Retried("notify", "case.resolved")
    await notify.emit(assigned, aggregate_id=assigned.case_id, aggregate_version=1)
    event = resolved(site, early.complaint_id)
    event = event.model_copy(update={"case_id": assigned.case_id})
    await notify.emit(event, aggregate_id=event.case_id, aggregate_version=3)
    await retried.reach(1, exactly=False)  # tried after the assignment, and sent back
    opened = "SELECT count(*) FROM callback WHERE case_id = :c"
    assert await notify.scalar(opened, c=event.case_id) == 0
    await notify.emit(early, aggregate_id=early.complaint_id, aggregate_version=1)

    async def replied() -> list[tuple[str, str]]:
        ident = await notify.scalar("SELECT id FROM callback WHERE case_id = :c", c=event.case_id)
        return await reached(notify, f"callback:{ident}") if ident else []

    assert await eventually(replied, [(f"household:{household}", "sms")]) == [
        (f"household:{household}", "sms")
    ]
