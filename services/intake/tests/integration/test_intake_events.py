"""Intake's events on the real exchange, and the timeline built from other services' events."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from intake_harness import Intake, complaint_body, envelope, eventually, next_event
from prometheus_client import REGISTRY

from shared.bus import parking
from shared.clock import utcnow
from shared.contracts.intake import (
    ComplaintContactGiven,
    ComplaintReceived,
    ComplaintSupplemented,
)
from shared.contracts.notify import CallbackCompleted, NotificationSent
from shared.contracts.routing import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseEvent,
    CaseReopened,
    CaseResolved,
)

pytestmark = pytest.mark.integration


async def test_a_posted_complaint_is_on_the_exchange_with_a_valid_envelope(intake: Intake) -> None:
    queue = await intake.watch("complaint.received", "complaint.supplemented")
    place = await intake.place()
    body = complaint_body(
        place.site_id,
        reporter={"type": "household", "household_id": place.household_id},
        location={"unit_id": place.unit_id},
        external_ref="CC-77",
        immediate_reply={"text": "We will send someone.", "replied_by": "Wang Fang"},
    )
    headers = {"X-Correlation-Id": "call-4711"}
    as_ = intake.headers(roles=["callcenter"], sites=[place.site_id], sub="cc-system-7")
    created = await intake.ok(
        "POST", "/v1/complaints", json=body, headers=headers, as_=as_, status=201
    )
    await intake.ok(
        "POST",
        f"/v1/complaints/{created['id']}/supplements",
        json={"text": "Still there."},
        status=201,
    )

    received_env, received = await next_event(queue)
    supplemented_env, supplemented = await next_event(queue)

    assert isinstance(received, ComplaintReceived)
    assert (received_env.type, received_env.source, received_env.version) == (
        "complaint.received",
        "intake",
        1,
    )
    assert received_env.site_id == place.site_id
    assert (received_env.aggregate_id, received_env.aggregate_version) == (created["id"], 1)
    assert received_env.correlation_id == "call-4711"
    assert received.complaint_id == created["id"]
    assert received.reference == created["reference"]
    assert received.household_id == place.household_id
    assert (received.unit_id, received.building_id) == (place.unit_id, place.building_id)
    assert received.location == "B1-1202"
    assert received.external_ref == "CC-77"
    assert received.filed_by == "cc-system-7"  # whose subscriptions hear of its status
    assert received.immediate_reply is not None
    assert received.immediate_reply.text == "We will send someone."
    assert isinstance(supplemented, ComplaintSupplemented)
    assert (supplemented_env.aggregate_id, supplemented_env.aggregate_version) == (created["id"], 2)
    assert supplemented_env.correlation_id == "call-4711"


async def test_complaint_received_carries_no_contact_details(intake: Intake) -> None:
    queue = await intake.watch("complaint.received")
    place = await intake.place()
    body = complaint_body(place.site_id)
    await intake.ok("POST", "/v1/complaints", json=body, status=201)

    received_env, _ = await next_event(queue)

    raw = received_env.model_dump_json()
    assert body["reporter"]["phone"] not in raw
    assert body["reporter"]["name"] not in raw
    assert received_env.data["reporter_type"] == "visitor"


async def test_a_visitors_contact_travels_apart_only_to_whoever_binds_it(intake: Intake) -> None:
    contacts = await intake.watch("complaint.contact_given")
    complaints = await intake.watch("complaint.received")
    place = await intake.place()
    body = complaint_body(place.site_id)
    created = await intake.ok("POST", "/v1/complaints", json=body, status=201)
    resident = complaint_body(
        place.site_id, reporter={"type": "household", "household_id": place.household_id}
    )
    await intake.ok("POST", "/v1/complaints", json=resident, status=201)

    _, given = await next_event(contacts)
    visitor_env, visitor = await next_event(complaints)
    _, household = await next_event(complaints)

    assert isinstance(given, ComplaintContactGiven)
    assert (given.complaint_id, given.site_id) == (created["id"], place.site_id)
    assert (given.name, given.phone) == (body["reporter"]["name"], body["reporter"]["phone"])
    assert isinstance(visitor, ComplaintReceived)
    assert isinstance(household, ComplaintReceived)
    assert (visitor.complaint_id, visitor.contact_given) == (created["id"], True)
    assert household.contact_given is False
    assert body["reporter"]["phone"] not in visitor_env.model_dump_json()
    assert await contacts.get(fail=False) is None  # the household's contact is the directory's


async def test_a_visitor_may_leave_an_email_instead_of_a_phone_but_not_nothing(
    intake: Intake,
) -> None:
    contacts = await intake.watch("complaint.contact_given")
    place = await intake.place()
    by_mail = {"type": "visitor", "name": "Zhou Yan", "email": "zhou.yan@example.cn"}
    body = complaint_body(place.site_id, reporter=by_mail)
    created = await intake.ok("POST", "/v1/complaints", json=body, status=201)
    nothing = complaint_body(place.site_id, reporter={"type": "visitor", "name": "Zhou Yan"})
    refused = await intake.request("POST", "/v1/complaints", json=nothing)

    _, given = await next_event(contacts)

    assert isinstance(given, ComplaintContactGiven)
    assert (given.complaint_id, given.phone, given.email) == (
        created["id"],
        None,
        "zhou.yan@example.cn",
    )
    reporter = (await intake.ok("GET", f"/v1/complaints/{created['id']}"))["reporter"]
    assert (reporter["name"], reporter["phone"], reporter["email"]) == (
        "Zhou Yan",
        None,
        "zhou.yan@example.cn",
    )
    assert refused.status_code == 422, refused.text


def _case(kind: type[CaseEvent], complaint: dict[str, Any], case_id: str, **fields: Any) -> Any:
    return kind(
        case_id=case_id,
        complaint_id=complaint["id"],
        site_id=complaint["site_id"],
        actor="handler-7",
        at=fields.pop("at", utcnow()),
        **fields,
    )


async def test_timeline_applies_case_events_in_version_order_when_delivered_out_of_order_and_twice(
    intake: Intake,
) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)
    complaint = {"id": created["id"], "site_id": place.site_id}
    case_id = str(uuid.uuid4())
    start = utcnow()
    sent = {
        1: _case(CaseAssigned, complaint, case_id, department="cleaning", at=start),
        2: _case(CaseAccepted, complaint, case_id, at=start + timedelta(minutes=1)),
        3: _case(
            CaseResolved,
            complaint,
            case_id,
            result="collected",
            reply="The rubbish was collected this morning.",
            at=start + timedelta(minutes=2),
        ),
    }
    envelopes = {
        v: envelope(e, site_id=place.site_id, aggregate_id=case_id, aggregate_version=v)
        for v, e in sent.items()
    }
    stale = _sample(
        "careloop_intake_timeline_events_total", event_type="case.assigned", outcome="stale"
    )
    for version in (3, 1, 3, 2):
        await intake.publish(envelopes[version])
    # The same version again under another message id (a producer that sent it twice).
    await intake.publish({**envelopes[1], "id": str(uuid.uuid4())})

    status = await eventually(lambda: _status(intake, created["id"]), "resolved")

    assert status == "resolved"
    detail = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    assert [e["type"] for e in detail["timeline"]] == [
        "complaint.received",
        "case.assigned",
        "case.accepted",
        "case.resolved",
    ]
    assert detail["timeline"][1]["description"] == "Assigned to cleaning"
    assert detail["timeline"][3]["detail"] == "The rubbish was collected this morning."
    assert detail["case_id"] == case_id
    assert detail["department"] == "cleaning"
    applied = await intake.rows(
        "SELECT aggregate_version FROM timeline_entry WHERE source = 'routing' ORDER BY seq"
    )
    assert [r.aggregate_version for r in applied] == [1, 2, 3]
    assert (
        await eventually(
            lambda: _async(
                _sample(
                    "careloop_intake_timeline_events_total",
                    event_type="case.assigned",
                    outcome="stale",
                )
            ),
            stale + 1,
        )
        == stale + 1
    )


async def test_closing_reopening_and_notices_reach_the_timeline_in_chinese_too(
    intake: Intake,
) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)
    complaint = {"id": created["id"], "site_id": place.site_id}
    case_id = str(uuid.uuid4())
    steps = [
        _case(CaseAssigned, complaint, case_id, department="maintenance"),
        _case(CaseResolved, complaint, case_id, result="fixed", reply="Fixed."),
        _case(CaseClosed, complaint, case_id),
        _case(CaseReopened, complaint, case_id, reason="It leaks again."),
    ]
    for version, event in enumerate(steps, start=1):
        await intake.publish(
            envelope(event, site_id=place.site_id, aggregate_id=case_id, aggregate_version=version)
        )
    callback = CallbackCompleted(
        callback_id=str(uuid.uuid4()),
        case_id=case_id,
        complaint_id=created["id"],
        site_id=place.site_id,
        satisfied=False,
        comment="still leaking",
        by="callback-3",
        completed_at=utcnow(),
    )
    notice = NotificationSent(
        notification_id=str(uuid.uuid4()),
        site_id=place.site_id,
        complaint_id=created["id"],
        kind="case_reply",
        channel="sms",
        sent_at=utcnow(),
        recipient="household:h-1",
    )
    unrelated = NotificationSent(
        notification_id=str(uuid.uuid4()),
        site_id=place.site_id,
        kind="bulletin",
        channel="sms",
        sent_at=utcnow(),
    )
    for event in (callback, notice, unrelated):
        await intake.publish(envelope(event, site_id=place.site_id))

    count = await eventually(lambda: _entries(intake, created["id"]), 7)

    assert count == 7
    detail = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    assert detail["status"] == "reopened"
    assert detail["closed_at"] is None
    descriptions = {e["type"]: e["description"] for e in detail["timeline"]}
    assert descriptions["callback.completed"] == "Callback: the resident is not satisfied"
    assert descriptions["notification.sent"] == "Reply sent to the resident (SMS)"
    chinese = await intake.ok(
        "GET", f"/v1/complaints/{created['id']}", headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    in_chinese = {e["type"]: e["description"] for e in chinese["timeline"]}
    assert in_chinese["case.assigned"] == "已分派至维修"
    assert in_chinese["case.reopened"] == "业户不满意，已重新处理"
    assert in_chinese["notification.sent"] == "已通过短信向业户发送处理答复"


async def test_an_event_about_an_unknown_complaint_is_parked_after_its_retries(
    intake: Intake,
) -> None:
    complaint = {"id": str(uuid.uuid4()), "site_id": "site-nowhere"}
    case_id = str(uuid.uuid4())
    lost = envelope(
        _case(CaseAssigned, complaint, case_id, department="x"),
        aggregate_id=case_id,
        aggregate_version=1,
    )

    await intake.publish(lost)

    found = await eventually(lambda: _parked_ids(intake), [lost["id"]], timeout=60)
    assert found == [lost["id"]]


async def _parked_ids(intake: Intake) -> list[str | None]:
    parked = await parking.list_parked(intake.channel, intake.settings.queue_name(".parking"))
    return [p.message_id for p in parked]


async def _status(intake: Intake, complaint_id: str) -> Any:
    return (await intake.ok("GET", f"/v1/complaints/{complaint_id}"))["status"]


async def _entries(intake: Intake, complaint_id: str) -> int:
    return int(
        await intake.scalar(
            "SELECT count(*) FROM timeline_entry WHERE complaint_id = :c", c=complaint_id
        )
    )


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _async(value: Any) -> Any:
    return value


async def test_overlong_names_in_a_case_event_are_cut_to_fit(intake: Intake) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)
    complaint = {"id": created["id"], "site_id": place.site_id}
    case_id = str(uuid.uuid4())
    assigned = CaseAssigned(
        case_id=case_id,
        complaint_id=created["id"],
        site_id=place.site_id,
        actor="a" * 300,
        at=utcnow(),
        department="d" * 150,
    )

    await intake.publish(
        envelope(assigned, site_id=complaint["site_id"], aggregate_id=case_id, aggregate_version=1)
    )

    assert await eventually(lambda: _status(intake, created["id"]), "assigned") == "assigned"
    detail = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    assert detail["department"] == "d" * 100
    assert detail["timeline"][1]["actor"] == "a" * 200
