"""Corrective and preventive actions end to end: from cases, from a topic under target,
from a recurring problem; planned, completed and verified by hand, by survey or by count.

Each test runs the real app on SQLite and PostgreSQL with the real broker.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from routing_harness import Routing, committed, wait_published, watch
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from routing.corrective import policy
from routing.corrective.actions import new_action
from routing.corrective.automatic import survey_key
from routing.corrective.rules import RecurringPolicy
from routing.gauges import refresh_improvement_gauges
from routing.settings import RoutingSettings
from shared.clock import clock, utcnow
from shared.contracts.surveys import SurveyCompleted, SurveyTargetMissed, TopicOutcome
from shared.db.engine import reading, transaction
from shared.db.tables import inbox
from shared.testing.checks import eventually, is_problem
from shared.testing.inprocess import Consumed
from shared.testing.routes import api_routes

pytestmark = pytest.mark.integration

PATH = "/v1/corrective-actions"


@pytest.fixture
async def acts(routing: Routing) -> Routing:
    await watch(routing, "corrective_action.*", "problem.*")
    return routing


@pytest.fixture
def recurring_at_three(routing: Routing, monkeypatch: pytest.MonkeyPatch) -> None:
    """The running app's settings say three valid complaints in thirty days recur."""
    monkeypatch.setattr(routing.settings, "recurring_threshold", 3)
    monkeypatch.setattr(routing.settings, "recurring_window_days", 30)


def later(**delta: float) -> str:
    return (utcnow() + timedelta(**delta)).isoformat()


def a_plan(routing: Routing, **changes: Any) -> dict[str, Any]:
    return {
        "analysis": "夜间保洁人手不足",
        "action": "增加夜班保洁一人，每日巡查",
        "owner": routing.staff.eng_handler,
        "due_at": later(days=14),
        **changes,
    }


def missed(routing: Routing, campaign: str, topic: str = "cleaning") -> SurveyTargetMissed:
    return SurveyTargetMissed(
        campaign_id=campaign,
        site_id=routing.staff.site,
        topic=topic,  # type: ignore[arg-type]
        rate=0.72,
        target=0.85,
        valid=120,
        closed_at=utcnow(),
        title="2026 年第四季度测评",
    )


def completed(routing: Routing, campaign: str, **met: bool) -> SurveyCompleted:
    outcomes = [
        TopicOutcome(
            topic=topic,  # type: ignore[arg-type]
            valid=100,
            satisfied=90 if ok else 60,
            rate=0.9 if ok else 0.6,
            target=0.85,
            met=ok,
        )
        for topic, ok in met.items()
    ]
    return SurveyCompleted(
        campaign_id=campaign,
        site_id=routing.staff.site,
        kind="regular",
        title="2026 Q4",
        closed_at=utcnow(),
        sample_size=200,
        responses=100,
        outcomes=outcomes,
    )


async def handled(routing: Routing, *message_ids: str) -> int:
    async with reading(routing.db) as session:
        query = select(func.count()).select_from(inbox).where(inbox.c.message_id.in_(message_ids))
        return int(await session.scalar(query) or 0)


async def listed(routing: Routing, **params: Any) -> list[dict[str, Any]]:
    response = await routing.client.get(
        PATH,
        params={"site_id": routing.staff.site, **params},
        headers=routing.headers(routing.staff.gm),
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_missed_target_opens_one_action_however_often_it_is_delivered(
    acts: Routing,
) -> None:
    routing = acts
    campaign = f"camp-{uuid.uuid4().hex[:8]}"
    first = await routing.publish(missed(routing, campaign))
    await routing.publish_envelope(first)  # redelivered: the same message id
    second = await routing.publish(missed(routing, campaign))  # a new id, the same facts
    assert await eventually(lambda: handled(routing, first["id"], second["id"]), 2) == 2

    (action,) = await listed(routing, source="survey")
    assert (action["topic"], action["campaign_id"], action["status"]) == (
        "cleaning",
        campaign,
        "open",
    )
    assert (action["rate_before"], action["target"], action["kind"]) == (0.72, 0.85, "corrective")
    assert (action["campaign_title"], action["answers_before"]) == ("2026 年第四季度测评", 120)
    assert campaign not in action["problem"]
    await wait_published(routing, "corrective_action.opened", action_id=action["id"])
    # Both messages were handled (the inbox holds them): all they opened is committed.
    assert len(await committed(routing, "corrective_action.opened", topic="cleaning")) == 1

    # The database itself refuses a second action for the campaign and topic.
    twin = new_action(
        site_id=routing.staff.site,
        kind="corrective",
        source="survey",
        problem="p",
        window_days=30,
        dedupe_key=survey_key(routing.staff.site, campaign, "cleaning"),
    )
    with pytest.raises(IntegrityError):
        async with transaction(routing.db) as session:
            session.add(twin)

    await routing.publish(missed(routing, campaign, topic="security"))
    await routing.publish(missed(routing, f"{campaign}-next"))
    await wait_published(routing, "corrective_action.opened", count=3)
    assert len(await listed(routing, source="survey")) == 3


async def test_the_next_survey_verifies_completed_actions_of_its_topic(acts: Routing) -> None:
    routing, staff = acts, acts.staff
    campaign = f"camp-{uuid.uuid4().hex[:8]}"
    await routing.publish(missed(routing, campaign, "cleaning"))
    await routing.publish(missed(routing, campaign, "security"))
    opened = await wait_published(routing, "corrective_action.opened", count=2)
    ids = {e["data"]["topic"]: e["data"]["action_id"] for e in opened}
    for action_id in ids.values():
        planned = await routing.post(f"{PATH}/{action_id}/plan", staff.cs_head, a_plan(routing))
        assert planned.status_code == 200, planned.text
        done = await routing.post(f"{PATH}/{action_id}/completion", staff.eng_handler, {})
        assert done.json()["status"] == "completed", done.text

    # The campaign that raised them does not verify them; the next one does.
    await routing.publish(completed(routing, campaign, cleaning=True, security=True))
    await routing.publish(completed(routing, f"{campaign}-next", cleaning=True, security=False))
    verified = await wait_published(routing, "corrective_action.verified", count=2)
    by_id = {e["data"]["action_id"]: e["data"] for e in verified}
    assert by_id[ids["cleaning"]]["effective"] is True
    assert by_id[ids["security"]]["effective"] is False
    assert (by_id[ids["cleaning"]]["basis"], by_id[ids["cleaning"]]["rate_after"]) == (
        "survey",
        0.9,
    )
    assert by_id[ids["cleaning"]]["rate_before"] == 0.72
    cleaning = (await routing.get(f"{PATH}/{ids['cleaning']}", staff.cs_head)).json()
    assert (cleaning["status"], cleaning["effective"]) == ("verified", True)
    security = (await routing.get(f"{PATH}/{ids['security']}", staff.cs_head)).json()
    assert (security["status"], security["effective"], security["rate_after"]) == (
        "planned",
        False,
        0.6,
    )


def worker(routing: Routing, case: dict[str, Any]) -> str:
    """Someone of the case's department who may work it."""
    staff = routing.staff
    return str(
        case["handler"]
        or {"engineering": staff.eng_handler}.get(case["department"], staff.cs_handlers[0])
    )


async def valid_complaint(routing: Routing, category: str) -> dict[str, Any]:
    case = await routing.opened(category=category)
    path = f"/v1/cases/{case['case_id']}"
    await routing.post(f"{path}/accept", worker(routing, case))
    judged = await routing.post(f"{path}/validity", worker(routing, case), {"valid": True})
    assert judged.status_code == 200, judged.text
    return case


async def test_a_recurring_problem_opens_one_action_until_it_is_verified(
    acts: Routing, recurring_at_three: None, frozen: None
) -> None:
    routing, staff = acts, acts.staff
    site = staff.site
    counted = (
        REGISTRY.get_sample_value(
            "careloop_routing_recurring_problems_detected_total",
            {"site": site, "category": "maintenance"},
        )
        or 0.0
    )
    judged = Consumed("routing", "case.validity_judged")  # routing hears its own judgements
    cases = [await valid_complaint(routing, "maintenance") for _ in range(2)]
    invalid = await routing.opened(category="maintenance")
    await routing.post(f"/v1/cases/{invalid['case_id']}/accept", worker(routing, invalid))
    await routing.post(
        f"/v1/cases/{invalid['case_id']}/validity",
        worker(routing, invalid),
        {"valid": False, "reason": "external_environment"},
    )
    await valid_complaint(routing, "other")
    await judged.reach(4)  # each judgement was heard, and what it detected committed
    assert await committed(routing, "problem.recurring_detected") == []

    cases.append(await valid_complaint(routing, "maintenance"))
    (detected,) = await wait_published(
        routing, "problem.recurring_detected", category="maintenance"
    )
    assert (detected["data"]["complaints"], detected["data"]["threshold"]) == (3, 3)
    action_id = detected["data"]["action_id"]
    (opened,) = await wait_published(routing, "corrective_action.opened", action_id=action_id)
    assert opened["data"]["origin"] == "recurring"
    assert sorted(opened["data"]["case_ids"]) == sorted(c["case_id"] for c in cases)
    assert (
        REGISTRY.get_sample_value(
            "careloop_routing_recurring_problems_detected_total",
            {"site": site, "category": "maintenance"},
        )
        == counted + 1
    )

    await valid_complaint(routing, "maintenance")  # a fourth: still the one action
    await judged.reach(6)
    assert len(await listed(routing, source="recurring")) == 1

    clock.advance(timedelta(hours=1))
    await routing.post(f"{PATH}/{action_id}/plan", staff.cs_head, a_plan(routing))
    await routing.post(f"{PATH}/{action_id}/completion", staff.eng_handler, {"note": "已增派"})
    clock.advance(timedelta(days=30, seconds=1))
    (verified,) = await wait_published(routing, "corrective_action.verified", action_id=action_id)
    assert (verified["data"]["basis"], verified["data"]["effective"]) == ("complaints", True)
    assert (verified["data"]["complaints_before"], verified["data"]["complaints_after"]) == (3, 0)

    for _ in range(3):  # the problem comes back: a new action
        await valid_complaint(routing, "maintenance")
    await wait_published(routing, "problem.recurring_detected", category="maintenance", count=2)
    assert len(await listed(routing, source="recurring")) == 2


async def test_the_window_and_threshold_come_from_the_settings(
    acts: Routing, make_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(RoutingSettings, recurring_threshold=7, recurring_window_days=9)
    assert policy.of(settings) == RecurringPolicy(threshold=7, window_days=9)

    # The route that opens an action reads the running app's settings for its window.
    monkeypatch.setattr(acts.settings, "recurring_window_days", 9)
    case = await acts.opened(category="cleaning")
    body = {
        "case_ids": [case["case_id"]],
        "kind": "corrective",
        "problem": "x",
        "category": "cleaning",
    }
    response = await acts.post(PATH, acts.staff.cs_head, body)
    assert response.status_code == 201, response.text
    assert response.json()["window_days"] == 9


async def test_a_department_head_opens_plans_and_verifies_an_action(acts: Routing) -> None:
    routing, staff = acts, acts.staff
    cases = [await routing.opened(category="cleaning") for _ in range(2)]
    body = {
        "case_ids": [c["case_id"] for c in cases],
        "kind": "preventive",
        "problem": "保洁投诉集中在夜间",
        "category": "cleaning",
    }
    response = await routing.post(PATH, staff.cs_head, body)
    assert response.status_code == 201, response.text
    action = response.json()
    aid = action["id"]
    assert (action["source"], action["kind"], action["status"]) == ("cases", "preventive", "open")
    assert action["case_ids"] == sorted(c["case_id"] for c in cases)
    assert action["complaints_before"] == 0

    early = await routing.post(f"{PATH}/{aid}/completion", staff.cs_head, {})
    assert is_problem(early, 409), early.text
    early_zh = await routing.client.post(
        f"{PATH}/{aid}/completion",
        json={},
        headers={**routing.headers(staff.cs_head), "Accept-Language": "zh-CN"},
    )
    assert is_problem(early_zh, 409), early_zh.text
    assert early_zh.json()["detail"] == "措施当前为“待制定”，不能报告完成"
    planned = await routing.post(
        f"{PATH}/{aid}/plan", staff.cs_head, a_plan(routing, kind="corrective")
    )
    assert (planned.json()["status"], planned.json()["kind"]) == ("planned", "corrective")
    not_owner = await routing.post(f"{PATH}/{aid}/completion", staff.cs_handlers[0], {})
    assert is_problem(not_owner, 403), not_owner.text
    done = await routing.post(f"{PATH}/{aid}/completion", staff.eng_handler, {"note": "已落实"})
    assert done.json()["status"] == "completed"

    by_handler = await routing.post(
        f"{PATH}/{aid}/verification", staff.eng_handler, {"effective": True, "note": "n"}
    )
    assert is_problem(by_handler, 403)
    no = await routing.post(
        f"{PATH}/{aid}/verification", staff.cs_head, {"effective": False, "note": "仍有投诉"}
    )
    assert (no.json()["status"], no.json()["effective"], no.json()["basis"]) == (
        "planned",
        False,
        "manual",
    )
    await routing.post(f"{PATH}/{aid}/completion", staff.cs_head, {})
    yes = await routing.post(
        f"{PATH}/{aid}/verification", staff.vp, {"effective": True, "note": "一月无投诉"}
    )
    assert (yes.json()["status"], yes.json()["verified_by"]) == ("verified", staff.vp)
    for path, payload in (("plan", a_plan(routing)), ("completion", {})):
        closed = await routing.post(f"{PATH}/{aid}/{path}", staff.cs_head, payload)
        assert is_problem(closed, 409), closed.text

    await wait_published(routing, "corrective_action.verified", action_id=aid, count=2)
    steps = sorted(
        (e["aggregate_version"], e["type"]) for e in routing.events if e.get("aggregate_id") == aid
    )
    assert [t for _, t in steps] == [
        "corrective_action.opened",
        "corrective_action.planned",
        "corrective_action.completed",
        "corrective_action.verified",
        "corrective_action.completed",
        "corrective_action.verified",
    ]
    assert [v for v, _ in steps] == list(range(1, 7))


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"case_ids": ["no-such-case"]}, 404),
        ({"case_ids": []}, 422),
        ({"kind": "other"}, 422),
        (
            {"plan": {"analysis": "a", "action": "b", "owner": "nobody", "due_at": later(days=1)}},
            422,
        ),
        ({"plan": {"analysis": "a", "action": "b", "owner": "x", "due_at": later(days=-1)}}, 422),
    ],
)
async def test_a_bad_action_is_a_problem(
    acts: Routing, changes: dict[str, Any], status: int
) -> None:
    case = await acts.opened()
    body = {"case_ids": [case["case_id"]], "kind": "corrective", "problem": "p", **changes}
    response = await acts.post(PATH, acts.staff.cs_head, body)
    assert is_problem(response, status), response.text


ROUTES = {
    ("GET", PATH),
    ("POST", PATH),
    ("GET", f"{PATH}/{{action_id}}"),
    ("POST", f"{PATH}/{{action_id}}/plan"),
    ("POST", f"{PATH}/{{action_id}}/completion"),
    ("POST", f"{PATH}/{{action_id}}/verification"),
}


async def test_every_route_is_guarded_by_role_and_site(acts: Routing) -> None:
    routing, staff = acts, acts.staff
    assert {r for r in api_routes(routing.app) if r[1].startswith(PATH)} == ROUTES
    case = await routing.opened()
    opened = await routing.post(
        PATH, staff.cs_head, {"case_ids": [case["case_id"]], "kind": "corrective", "problem": "p"}
    )
    aid = opened.json()["id"]
    bodies = {
        "plan": a_plan(routing),
        "completion": {},
        "verification": {"effective": True, "note": "n"},
    }
    stranger = routing.headers("admin-elsewhere", "admin", sites=["some-other-site"])
    for method, template in sorted(ROUTES - {("GET", PATH), ("POST", PATH)}):
        path = template.format(action_id=aid)
        body = bodies.get(path.rsplit("/", 1)[-1]) if method == "POST" else None
        hidden = await routing.client.request(method, path, json=body, headers=stranger)
        assert is_problem(hidden, 404), (template, hidden.text)
    assert (await routing.client.get(PATH, headers=stranger)).json()["items"] == []
    foreign = {"case_ids": [case["case_id"]], "kind": "corrective", "problem": "p"}
    assert is_problem(await routing.client.post(PATH, json=foreign, headers=stranger), 404)

    for role in ("surveyor", "callcenter", "handler"):
        who = routing.headers(f"{role}-x", role)
        for path, body in (
            (PATH, foreign),
            (f"{PATH}/{aid}/plan", bodies["plan"]),
            (f"{PATH}/{aid}/verification", bodies["verification"]),
        ):
            refused = await routing.client.post(path, json=body, headers=who)
            assert is_problem(refused, 403), (role, path, refused.text)
    for role in ("surveyor", "callcenter"):
        refused = await routing.client.post(
            f"{PATH}/{aid}/completion", json={}, headers=routing.headers("x", role)
        )
        assert is_problem(refused, 403)
        readable = await routing.client.get(f"{PATH}/{aid}", headers=routing.headers("x", role))
        assert readable.status_code == 200


async def test_writes_are_idempotent_and_lists_page_and_filter(acts: Routing) -> None:
    routing, staff = acts, acts.staff
    case = await routing.opened()
    body = {"case_ids": [case["case_id"]], "kind": "preventive", "problem": "p"}
    headers = {**routing.headers(staff.cs_head), "Idempotency-Key": "act-1"}
    first = await routing.client.post(PATH, json=body, headers=headers)
    again = await routing.client.post(PATH, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["id"] == again.json()["id"]
    await routing.publish(missed(routing, f"camp-{uuid.uuid4().hex[:8]}"))
    await wait_published(routing, "corrective_action.opened", count=2)

    ids, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (
            await routing.client.get(PATH, params=params, headers=routing.headers(staff.vp))
        ).json()
        ids += [a["id"] for a in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert len(ids) == 2
    assert ids[0] == first.json()["id"]
    assert [a["id"] for a in await listed(routing, kind="preventive")] == [first.json()["id"]]
    assert [a["source"] for a in await listed(routing, kind="corrective")] == ["survey"]
    assert await listed(routing, status="verified") == []


async def test_open_actions_are_counted_by_kind(acts: Routing) -> None:
    routing, staff = acts, acts.staff
    case = await routing.opened()
    for kind in ("preventive", "corrective", "corrective"):
        body = {"case_ids": [case["case_id"]], "kind": kind, "problem": "p"}
        assert (await routing.post(PATH, staff.cs_head, body)).status_code == 201
    await refresh_improvement_gauges(routing.db)
    text = (await routing.client.get("/metrics")).text
    site = staff.site
    assert (
        f'careloop_routing_open_corrective_actions{{kind="corrective",site="{site}"}} 2.0' in text
    )
    assert (
        f'careloop_routing_open_corrective_actions{{kind="preventive",site="{site}"}} 1.0' in text
    )


async def test_the_list_finds_overdue_actions(acts: Routing, frozen: None) -> None:
    routing, staff = acts, acts.staff
    case = await routing.opened()
    opened = []
    for _ in range(2):
        body = {"case_ids": [case["case_id"]], "kind": "corrective", "problem": "p"}
        opened.append((await routing.post(PATH, staff.cs_head, body)).json()["id"])
    late, on_time = opened
    plan = a_plan(routing, due_at=later(seconds=30))
    assert (await routing.post(f"{PATH}/{late}/plan", staff.cs_head, plan)).status_code == 200
    clock.advance(timedelta(seconds=31))
    assert [a["id"] for a in await listed(routing, overdue="true")] == [late]
    assert [a["id"] for a in await listed(routing, overdue="false")] == [on_time]
    done = await routing.post(f"{PATH}/{late}/completion", staff.eng_handler, {})
    assert done.json()["overdue"] is False
    assert await listed(routing, overdue="true") == []


async def test_the_detail_names_its_cases_and_the_readers_next_steps(acts: Routing) -> None:
    routing, staff = acts, acts.staff
    cases = [await routing.opened(category="cleaning") for _ in range(2)]
    body = {"case_ids": [c["case_id"] for c in cases], "kind": "corrective", "problem": "p"}
    aid = (await routing.post(PATH, staff.cs_head, body)).json()["id"]

    async def steps(sub: str) -> list[str]:
        return list((await routing.get(f"{PATH}/{aid}", sub)).json()["actions"])

    found = (await routing.get(f"{PATH}/{aid}", staff.vp)).json()
    first = (await routing.get(f"/v1/cases/{cases[0]['case_id']}", staff.vp)).json()
    assert sorted(c["id"] for c in found["cases"]) == sorted(c["case_id"] for c in cases)
    assert {c["reference"] for c in found["cases"]} >= {first["reference"]}
    assert {c["category"] for c in found["cases"]} == {"cleaning"}
    assert (await steps(staff.cs_head), await steps(staff.eng_handler)) == (["plan"], [])
    await routing.post(f"{PATH}/{aid}/plan", staff.cs_head, a_plan(routing))
    assert await steps(staff.cs_head) == ["plan", "complete"]
    assert await steps(staff.eng_handler) == ["complete"]  # the owner
    assert await steps(staff.cs_handlers[0]) == []
    await routing.post(f"{PATH}/{aid}/completion", staff.eng_handler, {})
    assert (await steps(staff.vp), await steps(staff.eng_handler)) == (["verify"], [])
