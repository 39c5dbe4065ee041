"""Rectifications (整改) end to end: opened, reported on, rejected, accepted, escalated, printed.

Each test runs the real app on SQLite and PostgreSQL with the real broker, and reads the
events routing publishes on the exchange.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from routing_harness import Routing, committed, wait_published, watch

from routing.gauges import refresh_improvement_gauges
from shared.clock import clock, utcnow
from shared.testing.checks import is_problem
from shared.testing.inprocess import timer_rounds
from shared.testing.routes import api_routes

pytestmark = pytest.mark.integration

PATH = "/v1/rectifications"


@pytest.fixture
async def rect(routing: Routing) -> Routing:
    await watch(routing, "rectification.*")
    return routing


def later(**delta: float) -> str:
    return (utcnow() + timedelta(**delta)).isoformat()


def plan(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "楼道照明 <b>整改</b>",
        "problem": "3 栋楼道灯长期不亮",
        "measures": "更换灯具，建立巡检制度",
        "due_at": later(days=10),
        "items": [
            {"team": "customer_service", "task": "通知业户并回访", "due_at": later(days=5)},
            {"team": "engineering", "task": "更换全部灯具", "due_at": later(days=7)},
        ],
    }
    body.update(changes)
    return body


async def open_rect(routing: Routing, sub: str | None = None, **changes: Any) -> dict[str, Any]:
    body = plan(**changes)
    if "case_id" not in body and "site_id" not in body:
        body["site_id"] = routing.staff.site
    response = await routing.post(PATH, sub or routing.staff.cs_head, body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def report(
    routing: Routing, rect_id: str, position: int, sub: str, *, done: bool, note: str = "做了"
) -> Any:
    return await routing.post(
        f"{PATH}/{rect_id}/items/{position}/reports", sub, {"note": note, "done": done}
    )


async def worked_case(routing: Routing, **changes: Any) -> dict[str, Any]:
    case = await routing.opened(**changes)
    accepted = await routing.post(f"/v1/cases/{case['case_id']}/accept", case["handler"])
    assert accepted.status_code == 200, accepted.text
    return case


async def finish_all(routing: Routing, rect_id: str) -> None:
    """Each team reports its open items done."""
    staff = routing.staff
    member = {"customer_service": staff.cs_handlers[0], "engineering": staff.eng_handler}
    rect = (await routing.get(f"{PATH}/{rect_id}", staff.gm)).json()
    for item in rect["items"]:
        if item["status"] == "open":
            sub = member[item["team"]]
            response = await report(routing, rect_id, item["position"], sub, done=True)
            assert response.status_code == 200, response.text


def versions(routing: Routing, rect_id: str) -> list[int]:
    return sorted(
        e["aggregate_version"]
        for e in routing.events
        if e.get("aggregate_id") == rect_id and e["type"].startswith("rectification.")
    )


async def test_from_a_case_through_rejection_to_acceptance(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    case = await worked_case(routing)
    opened = await open_rect(routing, case_id=case["case_id"])
    rid = opened["id"]
    assert (opened["origin"], opened["site_id"], opened["status"]) == (
        "case",
        staff.site,
        "in_progress",
    )
    assert opened["complaint_id"] == case["complaint_id"]
    assert [(i["position"], i["team"], i["status"]) for i in opened["items"]] == [
        (1, "customer_service", "open"),
        (2, "engineering", "open"),
    ]
    (event,) = await wait_published(routing, "rectification.opened", rectification_id=rid)
    assert [i["team"] for i in event["data"]["items"]] == ["customer_service", "engineering"]

    progress = await report(routing, rid, 2, staff.eng_handler, done=False, note="已采购灯具")
    assert progress.status_code == 200, progress.text
    assert progress.json()["items"][1]["reports"] == 1
    (told,) = await wait_published(routing, "rectification.item_reported", rectification_id=rid)
    assert (told["data"]["position"], told["data"]["done"], told["data"]["note"]) == (
        2,
        False,
        "已采购灯具",
    )
    assert told["data"]["actor"] == staff.eng_handler
    await finish_all(routing, rid)
    submitted = (await routing.get(f"{PATH}/{rid}", staff.cs_head)).json()
    assert submitted["status"] == "in_acceptance"
    assert submitted["submitted_at"] is not None
    await wait_published(routing, "rectification.submitted", rectification_id=rid)

    rejected = await routing.post(
        f"{PATH}/{rid}/rejection", staff.cs_head, {"reason": "2 楼仍有一盏不亮", "items": [2]}
    )
    assert rejected.status_code == 200, rejected.text
    body = rejected.json()
    assert (body["status"], body["rejections"]) == ("in_progress", 1)
    assert [i["status"] for i in body["items"]] == ["done", "open"]
    (no,) = await wait_published(routing, "rectification.rejected", rectification_id=rid)
    assert (no["data"]["reason"], no["data"]["reopened"]) == ("2 楼仍有一盏不亮", [2])

    again = await report(routing, rid, 2, staff.eng_head, done=True, note="已全部更换")
    assert again.json()["status"] == "in_acceptance"
    await wait_published(routing, "rectification.submitted", rectification_id=rid, count=2)
    accepted = await routing.post(f"{PATH}/{rid}/acceptance", staff.vp, {"note": "验收合格"})
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["accepted_by"]) == ("accepted", staff.vp)

    (done,) = await wait_published(routing, "rectification.accepted", rectification_id=rid)
    assert done["data"]["report_url"] == f"{PATH}/{rid}/report"
    assert (done["data"]["items"], done["data"]["case_id"]) == (2, case["case_id"])
    assert (done["data"]["accepted_by"], done["site_id"]) == (staff.vp, staff.site)
    assert versions(routing, rid) == list(range(1, len(versions(routing, rid)) + 1))

    (note,) = await routing.wait_event(case["complaint_id"], "case.progressed")
    assert opened["number"] in note["data"]["note"]
    detail = (await routing.get(f"/v1/cases/{case['case_id']}", staff.cs_head)).json()
    assert [h["version"] for h in detail["history"]] == list(range(1, detail["version"] + 1))
    assert detail["history"][-1]["type"] == "case.progressed"


async def test_an_accepted_rectification_leaves_a_closed_case_alone(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    case = await routing.opened(immediate_reply="已当场答复")
    opened = await open_rect(routing, case_id=case["case_id"])
    await finish_all(routing, opened["id"])
    accepted = await routing.post(f"{PATH}/{opened['id']}/acceptance", staff.gm, {})
    assert accepted.status_code == 200, accepted.text
    await wait_published(routing, "rectification.accepted", rectification_id=opened["id"])
    assert routing.of(case["complaint_id"], "case.progressed") == []


async def test_staff_findings_and_managers_open_rectifications_too(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    finding = await routing.opened(
        channel="staff_finding",
        reporter_type="staff",
        household_id=None,
        staff_member=staff.eng_handler,
        staff_department="engineering",
    )
    from_finding = await open_rect(routing, staff.eng_head, case_id=finding["case_id"])
    assert from_finding["origin"] == "finding"
    by_manager = await open_rect(routing, staff.gm)
    assert (by_manager["origin"], by_manager["case_id"]) == ("manager", None)
    printed = await routing.get(by_manager["report_url"], staff.gm)
    assert printed.status_code == 200
    assert "管理人员提出" in printed.text


async def test_illegal_steps_are_409_problems(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    rid = (await open_rect(routing))["id"]
    early = await routing.post(f"{PATH}/{rid}/acceptance", staff.cs_head, {})
    assert is_problem(early, 409), early.text
    assert early.json()["detail"] == "A rectification that is in_progress cannot accept"
    chinese = {**routing.headers(staff.cs_head), "Accept-Language": "zh-CN"}
    early_zh = await routing.client.post(f"{PATH}/{rid}/acceptance", json={}, headers=chinese)
    assert is_problem(early_zh, 409), early_zh.text
    assert early_zh.headers["content-language"] == "zh-CN"
    assert (early_zh.json()["title"], early_zh.json()["detail"]) == (
        "状态冲突",
        "整改当前为“整改中”，不能验收通过",
    )
    early_no = await routing.post(f"{PATH}/{rid}/rejection", staff.cs_head, {"reason": "r"})
    assert is_problem(early_no, 409)
    await report(routing, rid, 1, staff.cs_handlers[0], done=True)
    twice = await report(routing, rid, 1, staff.cs_handlers[1], done=False)
    assert is_problem(twice, 409), twice.text
    twice_zh = await routing.client.post(
        f"{PATH}/{rid}/items/1/reports",
        json={"note": "又做了", "done": False},
        headers={**routing.headers(staff.cs_handlers[1]), "Accept-Language": "zh-CN"},
    )
    assert twice_zh.json()["detail"] == "整改项已完成，不能汇报整改进展"
    await report(routing, rid, 2, staff.eng_handler, done=True)
    waiting = await report(routing, rid, 2, staff.eng_handler, done=False)
    assert is_problem(waiting, 409)
    await routing.post(f"{PATH}/{rid}/acceptance", staff.cs_head, {})
    for path, body in (("acceptance", {}), ("rejection", {"reason": "r"})):
        late = await routing.post(f"{PATH}/{rid}/{path}", staff.cs_head, body)
        assert is_problem(late, 409), late.text
    assert (await routing.get(f"{PATH}/{rid}", staff.cs_head)).json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"items": [{"team": "laundry", "task": "t", "due_at": later(days=1)}]}, 422),
        ({"items": [{"team": "engineering", "task": "t", "due_at": later(days=30)}]}, 422),
        ({"items": []}, 422),
        (
            {
                "due_at": later(days=-1),
                "items": [{"team": "engineering", "task": "t", "due_at": later(days=-2)}],
            },
            422,
        ),
        ({"site_id": "some-other-site"}, 403),
        ({"case_id": "no-such-case"}, 404),
    ],
)
async def test_a_bad_plan_is_a_problem(rect: Routing, changes: dict[str, Any], status: int) -> None:
    body = {"site_id": rect.staff.site, **plan(), **changes}
    if "case_id" in changes:
        body.pop("site_id")
    response = await rect.post(PATH, rect.staff.cs_head, body)
    assert is_problem(response, status), response.text


async def test_only_the_team_its_head_and_leaders_report_on_an_item(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    rid = (await open_rect(routing))["id"]
    for sub in (staff.cs_handlers[0], staff.cs_head):
        refused = await report(routing, rid, 2, sub, done=False)
        assert is_problem(refused, 403), refused.text
    for sub in (staff.eng_handler, staff.eng_head, staff.vp, staff.gm, staff.admin):
        assert (await report(routing, rid, 2, sub, done=False)).status_code == 200
    missing = await report(routing, rid, 9, staff.eng_handler, done=False)
    assert is_problem(missing, 404)


async def test_an_overdue_item_escalates_once_per_due_time(rect: Routing, frozen: None) -> None:
    routing, staff = rect, rect.staff
    items = [
        {"team": "engineering", "task": "更换灯具", "due_at": later(seconds=60)},
        {"team": "customer_service", "task": "回访", "due_at": later(days=1)},
    ]
    rid = (await open_rect(routing, items=items))["id"]
    clock.advance(timedelta(seconds=59))
    await timer_rounds(routing.app)  # every item due by now has had its timer fired
    assert await committed(routing, "rectification.item_overdue", rectification_id=rid) == []

    clock.advance(timedelta(seconds=2))
    (first,) = await wait_published(routing, "rectification.item_overdue", rectification_id=rid)
    assert (first["data"]["position"], first["data"]["team"]) == (1, "engineering")
    assert (first["data"]["level"], first["data"]["owner"]) == ("dept_head", staff.eng_head)
    clock.advance(timedelta(hours=2))
    await timer_rounds(routing.app)  # a second escalation of the item would be due by now
    overdue = await committed(routing, "rectification.item_overdue", rectification_id=rid)
    assert [e["id"] for e in overdue] == [first["id"]]
    item = (await routing.get(f"{PATH}/{rid}", staff.eng_head)).json()["items"][0]
    assert (item["overdue"], item["level"], item["escalated_to"]) == (
        True,
        "dept_head",
        staff.eng_head,
    )

    await finish_all(routing, rid)
    new_due = later(seconds=120)
    rejected = await routing.post(
        f"{PATH}/{rid}/rejection", staff.gm, {"reason": "返工", "items": [1], "due_at": new_due}
    )
    assert rejected.status_code == 200, rejected.text
    clock.advance(timedelta(seconds=121))
    found = await wait_published(
        routing, "rectification.item_overdue", rectification_id=rid, count=2
    )
    assert (found[1]["data"]["level"], found[1]["data"]["owner"]) == ("vp", staff.vp)
    assert datetime.fromisoformat(found[1]["data"]["due_at"]) == datetime.fromisoformat(new_due)


async def test_the_printable_report_shows_plan_history_and_acceptance(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    case = await worked_case(routing)
    opened = await open_rect(routing, case_id=case["case_id"])
    rid = opened["id"]
    await report(routing, rid, 2, staff.eng_handler, done=False, note="已采购灯具")
    await finish_all(routing, rid)
    await routing.post(f"{PATH}/{rid}/rejection", staff.cs_head, {"reason": "仍有一盏不亮"})
    await finish_all(routing, rid)
    await routing.post(f"{PATH}/{rid}/acceptance", staff.vp, {"note": "验收合格"})

    zh = await routing.get(f"{PATH}/{rid}/report", staff.cs_head)
    assert zh.status_code == 200
    assert zh.headers["content-type"].startswith("text/html")
    page = zh.text
    for words in (
        "整改报告",
        opened["number"],
        "翠湖花园管理处",
        "工程部",
        "客服中心",
        "已采购灯具",
        "仍有一盏不亮",
        "验收合格",
        "李副总",
        "验收通过",
        "结果已反馈各部门",
        "@page",
        case["reference"],
        "&lt;b&gt;整改&lt;/b&gt;",
    ):
        assert words in page, words
    assert "<b>整改</b>" not in page
    en = (await routing.get(f"{PATH}/{rid}/report?lang=en", staff.cs_head)).text
    for words in (
        "Rectification report",
        'lang="en"',
        "Engineering",
        "Rejected at acceptance",
        "Result fed back to all departments",
    ):
        assert words in en, words


async def test_writes_are_idempotent_and_lists_page_and_filter(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    body = {**plan(), "site_id": staff.site}
    headers = {**routing.headers(staff.cs_head), "Idempotency-Key": "open-1"}
    first = await routing.client.post(PATH, json=body, headers=headers)
    second = await routing.client.post(PATH, json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["id"] == second.json()["id"]
    other = await open_rect(routing, staff.gm)
    await finish_all(routing, other["id"])

    # The replay wrote nothing: its answer was returned, so anything it wrote is committed.
    opened = await committed(routing, "rectification.opened", rectification_id=first.json()["id"])
    assert len(opened) == 1
    ids: list[str] = []
    cursor = None
    while True:
        params = {"limit": 1, "site_id": staff.site, **({"cursor": cursor} if cursor else {})}
        page = (
            await routing.client.get(PATH, params=params, headers=routing.headers(staff.vp))
        ).json()
        ids += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert ids == [first.json()["id"], other["id"]]
    waiting = await routing.client.get(
        PATH, params={"status": "in_acceptance"}, headers=routing.headers(staff.vp)
    )
    assert [r["id"] for r in waiting.json()["items"]] == [other["id"]]
    by_origin = await routing.client.get(
        PATH, params={"origin": "case"}, headers=routing.headers(staff.vp)
    )
    assert by_origin.json()["items"] == []
    bad = await routing.client.get(
        PATH, params={"cursor": "junk"}, headers=routing.headers(staff.vp)
    )
    assert is_problem(bad, 400)


ROUTES = {
    ("GET", "/v1/rectifications"),
    ("POST", "/v1/rectifications"),
    ("GET", "/v1/rectifications/{rectification_id}"),
    ("POST", "/v1/rectifications/{rectification_id}/items/{position}/reports"),
    ("POST", "/v1/rectifications/{rectification_id}/acceptance"),
    ("POST", "/v1/rectifications/{rectification_id}/rejection"),
    ("GET", "/v1/rectifications/{rectification_id}/report"),
}
BODIES: dict[str, Any] = {
    "reports": {"note": "n", "done": False},
    "acceptance": {},
    "rejection": {"reason": "r"},
}


async def test_every_route_is_guarded_by_role_and_site(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    assert {r for r in api_routes(routing.app) if r[1].startswith(PATH)} == ROUTES
    rid = (await open_rect(routing))["id"]
    stranger = routing.headers("admin-elsewhere", "admin", sites=["some-other-site"])
    for method, template in sorted(ROUTES - {("GET", PATH), ("POST", PATH)}):
        path = template.format(rectification_id=rid, position=1)
        body = BODIES.get(path.rsplit("/", 1)[-1]) if method == "POST" else None
        hidden = await routing.client.request(method, path, json=body, headers=stranger)
        assert is_problem(hidden, 404), (template, hidden.text)
    listed = await routing.client.get(PATH, headers=stranger)
    assert listed.json()["items"] == []
    elsewhere = await routing.client.post(
        PATH, json={**plan(), "site_id": staff.site}, headers=stranger
    )
    assert is_problem(elsewhere, 403)

    for role in ("surveyor", "callcenter", "handler"):
        who = routing.headers(f"{role}-x", role)
        for path, body in (
            (PATH, {**plan(), "site_id": staff.site}),
            (f"{PATH}/{rid}/acceptance", {}),
            (f"{PATH}/{rid}/rejection", {"reason": "r"}),
        ):
            refused = await routing.client.post(path, json=body, headers=who)
            assert is_problem(refused, 403), (role, path, refused.text)
    for role in ("surveyor", "callcenter"):
        refused = await routing.client.post(
            f"{PATH}/{rid}/items/1/reports",
            json=BODIES["reports"],
            headers=routing.headers("x", role),
        )
        assert is_problem(refused, 403)
        readable = await routing.client.get(f"{PATH}/{rid}", headers=routing.headers("x", role))
        assert readable.status_code == 200


async def test_gauges_count_open_rectifications_and_overdue_items(
    rect: Routing, frozen: None
) -> None:
    routing, staff = rect, rect.staff
    items = [{"team": "engineering", "task": "t", "due_at": later(seconds=30)}]
    await open_rect(routing, items=items)
    done = await open_rect(routing, items=items)
    await report(routing, done["id"], 1, staff.eng_handler, done=True)
    clock.advance(timedelta(seconds=31))
    await refresh_improvement_gauges(routing.db)
    text = (await routing.client.get("/metrics")).text
    site = staff.site
    assert f'careloop_routing_open_rectifications{{site="{site}",status="in_progress"}} 1.0' in text
    assert (
        f'careloop_routing_open_rectifications{{site="{site}",status="in_acceptance"}} 1.0' in text
    )
    assert f'careloop_routing_overdue_rectification_items{{site="{site}"}} 1.0' in text


async def test_the_list_finds_overdue_ones_and_names_the_case(rect: Routing, frozen: None) -> None:
    routing, staff = rect, rect.staff
    case = await worked_case(routing)
    items = [{"team": "engineering", "task": "t", "due_at": later(seconds=30)}]
    late = await open_rect(routing, case_id=case["case_id"], items=items)
    on_time = await open_rect(routing)
    assert (late["case_reference"], on_time["case_reference"]) == (case["reference"], None)
    assert late["overdue"] is False
    clock.advance(timedelta(seconds=31))

    async def listed(**params: Any) -> list[str]:
        response = await routing.client.get(
            PATH, params={"site_id": staff.site, **params}, headers=routing.headers(staff.vp)
        )
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["items"]]

    assert await listed(overdue="true") == [late["id"]]
    assert await listed(overdue="false") == [on_time["id"]]
    found = (await routing.get(f"{PATH}/{late['id']}", staff.vp)).json()
    assert (found["overdue"], found["case_reference"]) == (True, case["reference"])
    rows = (await routing.get(f"{PATH}?site_id={staff.site}", staff.vp)).json()["items"]
    # both opened at the same frozen instant: the list's order between them is the ids'
    assert {r["id"]: (r["case_reference"], r["overdue"]) for r in rows} == {
        late["id"]: (case["reference"], True),
        on_time["id"]: (None, False),
    }
    await report(routing, late["id"], 1, staff.eng_handler, done=True)
    clock.advance(timedelta(days=11))  # past the whole rectification's completion time too
    assert sorted(await listed(overdue="true")) == sorted([late["id"], on_time["id"]])
    await routing.post(f"{PATH}/{late['id']}/acceptance", staff.vp, {})
    assert await listed(overdue="true") == [on_time["id"]]


async def test_the_detail_says_what_the_reader_may_do_now(rect: Routing) -> None:
    routing, staff = rect, rect.staff
    rid = (await open_rect(routing))["id"]

    async def may(sub: str) -> tuple[list[str], list[int]]:
        found = (await routing.get(f"{PATH}/{rid}", sub)).json()
        return found["actions"], found["reportable"]

    assert await may(staff.eng_handler) == ([], [2])
    assert await may(staff.cs_head) == ([], [1])
    assert await may(staff.gm) == ([], [1, 2])
    assert await may(staff.admin) == ([], [1, 2])
    surveyor = await routing.client.get(f"{PATH}/{rid}", headers=routing.headers("x", "surveyor"))
    assert (surveyor.json()["actions"], surveyor.json()["reportable"]) == ([], [])
    await report(routing, rid, 1, staff.cs_handlers[0], done=True)
    assert await may(staff.cs_head) == ([], [])
    await finish_all(routing, rid)
    assert await may(staff.cs_head) == (["accept", "reject"], [])
    assert await may(staff.eng_handler) == ([], [])
