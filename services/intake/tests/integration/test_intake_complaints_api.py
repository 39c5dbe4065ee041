"""Complaint intake over HTTP: recording, reading, listing, follow-ups, duplicates."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from intake_harness import Intake, complaint_body, eventually, hex_id, is_problem, visitor
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration

REFERENCE = re.compile(r"^(?P<code>[A-Z0-9]+)-(?P<day>\d{8})-(?P<seq>\d{4})$")


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_recorded_complaint_has_a_site_reference_and_its_first_timeline_entry(
    intake: Intake,
) -> None:
    place = await intake.place()
    received = _sample(
        "careloop_intake_complaints_received_total",
        site=place.site_id,
        channel="call_center",
        kind="complaint",
        category="cleaning",
    )

    created = await intake.file(place.site_id, severity="urgent")
    second = await intake.file(place.site_id)

    match = REFERENCE.match(created["reference"])
    assert match is not None, created["reference"]
    assert match["code"] == place.code
    assert int(match["seq"]) == 1
    assert REFERENCE.match(second["reference"])["seq"] == "0002"  # type: ignore[index]
    assert created["status"] == "received"
    assert created["links"]["self"] == f"/v1/complaints/{created['id']}"
    detail = await intake.ok("GET", created["links"]["self"])
    assert detail["severity"] == "urgent"
    assert detail["reporter"]["type"] == "visitor"
    assert detail["answered"] is False
    assert [e["type"] for e in detail["timeline"]] == ["complaint.received"]
    assert created["reference"] in detail["timeline"][0]["description"]
    after = _sample(
        "careloop_intake_complaints_received_total",
        site=place.site_id,
        channel="call_center",
        kind="complaint",
        category="cleaning",
    )
    assert after == received + 2


async def test_household_reporter_location_and_immediate_reply_are_recorded(intake: Intake) -> None:
    place = await intake.place()
    body = complaint_body(
        place.site_id,
        channel="face_to_face",
        kind="inquiry",
        category="fees",
        reporter={"type": "household", "household_id": place.household_id},
        location={"unit_id": place.unit_id, "common_area": "lift lobby"},
        occurred_at="2024-05-01T08:00:00+08:00",
        immediate_reply={"text": "The fee notice is on the board.", "replied_by": "Wang Fang"},
    )

    created = await intake.ok("POST", "/v1/complaints", json=body, status=201)

    detail = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    assert detail["reporter"] == {
        "type": "household",
        "household_id": place.household_id,
        "name": "Zhang Min",
        "phone": place.phone,
        "email": None,  # a household's is the directory's; only a visitor's is on the record
        "staff_member": None,
        "department": None,
    }
    assert detail["location"]["building_id"] == place.building_id
    assert detail["location"]["text"] == "B1-1202 · lift lobby"
    assert detail["answered"] is True
    assert detail["immediate_reply"]["replied_by"] == "Wang Fang"
    assert [e["type"] for e in detail["timeline"]] == ["complaint.received", "complaint.answered"]
    assert detail["timeline"][1]["detail"] == "The fee notice is on the board."


async def test_staff_finding_names_the_staff_member_and_department(intake: Intake) -> None:
    place = await intake.place()
    staff = {"type": "staff", "staff_member": "Chen Jie", "department": "security"}

    created = await intake.file(place.site_id, channel="staff_finding", reporter=staff)

    detail = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    assert detail["reporter"]["staff_member"] == "Chen Jie"
    assert detail["reporter"]["department"] == "security"
    wrong = await intake.request(
        "POST", "/v1/complaints", json=complaint_body(place.site_id, reporter=staff)
    )
    assert is_problem(wrong, 422)


async def test_same_idempotency_key_returns_the_first_complaint(intake: Intake) -> None:
    place = await intake.place()
    caller = intake.headers(roles=["callcenter"], sites=[place.site_id])
    body = complaint_body(place.site_id)
    key = {"Idempotency-Key": hex_id()}

    first = await intake.request("POST", "/v1/complaints", json=body, as_=caller, headers=key)
    again = await intake.request("POST", "/v1/complaints", json=body, as_=caller, headers=key)
    changed = await intake.request(
        "POST", "/v1/complaints", json={**body, "kind": "grievance"}, as_=caller, headers=key
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["reference"] == first.json()["reference"]
    assert is_problem(changed, 422)
    assert await _count(intake, place.site_id) == 1


async def test_same_external_ref_of_the_same_caller_returns_the_first_complaint(
    intake: Intake,
) -> None:
    place = await intake.place()
    caller = intake.headers(roles=["callcenter"], sites=[place.site_id], sub="cc-vendor-1")
    other = intake.headers(roles=["callcenter"], sites=[place.site_id], sub="cc-vendor-2")
    body = complaint_body(place.site_id, external_ref="CC-2024-000123")

    first = await intake.request("POST", "/v1/complaints", json=body, as_=caller)
    again = await intake.request("POST", "/v1/complaints", json=body, as_=caller)
    elsewhere = await intake.request("POST", "/v1/complaints", json=body, as_=other)

    assert (first.status_code, again.status_code, elsewhere.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert elsewhere.json()["id"] != first.json()["id"]
    assert await _count(intake, place.site_id) == 2
    # The rolled-back attempt did not use up a number: the next one follows on.
    assert elsewhere.json()["reference"].endswith("-0002")


@pytest.mark.parametrize("same", ["idempotency_key", "external_ref"])
async def test_twenty_concurrent_identical_requests_make_one_complaint(
    intake: Intake, same: str
) -> None:
    place = await intake.place()
    caller = intake.headers(roles=["callcenter"], sites=[place.site_id])
    body = complaint_body(place.site_id)
    headers: dict[str, str] = {}
    if same == "external_ref":
        body["external_ref"] = hex_id("CC-")
    else:
        headers["Idempotency-Key"] = hex_id()

    responses = await asyncio.gather(
        *(
            intake.request("POST", "/v1/complaints", json=body, as_=caller, headers=headers)
            for _ in range(20)
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 19 + [201], [r.text for r in responses if r.status_code >= 300]
    assert len({r.json()["id"] for r in responses}) == 1
    assert await _count(intake, place.site_id) == 1
    assert await intake.scalar("SELECT count(*) FROM outbox WHERE type = 'complaint.received'") == 1


async def _count(intake: Intake, site_id: str) -> int:
    return int(await intake.scalar("SELECT count(*) FROM complaint WHERE site_id = :s", s=site_id))


async def test_by_reference_finds_the_complaint_with_its_timeline(intake: Intake) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)

    found = await intake.ok("GET", f"/v1/complaints/by-reference/{created['reference']}")
    missing = await intake.request("GET", f"/v1/complaints/by-reference/{place.code}-20200101-0001")

    assert found["id"] == created["id"]
    assert found["timeline"][0]["type"] == "complaint.received"
    assert is_problem(missing, 404)


async def test_list_filters_and_pages_through_complaints(intake: Intake) -> None:
    place = await intake.place()
    other = await intake.place()
    for category in ("cleaning", "security", "cleaning", "fees", "cleaning"):
        await intake.file(place.site_id, category=category, description=f"about {category}")
    await intake.file(other.site_id, category="cleaning")
    await intake.file(
        place.site_id,
        channel="web",
        category="security",
        description="a broken gate at the north door",
    )

    page = await intake.ok(
        "GET",
        "/v1/complaints",
        params={"site_id": place.site_id, "category": "cleaning", "limit": 2},
    )
    rest = await intake.ok(
        "GET",
        "/v1/complaints",
        params={"site_id": place.site_id, "category": "cleaning", "cursor": page["next_cursor"]},
    )
    text = await intake.ok("GET", "/v1/complaints", params={"q": "NORTH door"})
    by_channel = await intake.ok(
        "GET", "/v1/complaints", params={"site_id": place.site_id, "channel": "web"}
    )
    none = await intake.ok(
        "GET",
        "/v1/complaints",
        params={"site_id": place.site_id, "received_to": "2000-01-01T00:00:00Z"},
    )

    ids = [c["id"] for c in page["items"] + rest["items"]]
    assert len(page["items"]) == 2
    assert len(ids) == len(set(ids)) == 3
    assert rest["next_cursor"] is None
    assert all(c["category"] == "cleaning" and c["site_id"] == place.site_id for c in page["items"])
    times = [c["received_at"] for c in page["items"] + rest["items"]]
    assert times == sorted(times, reverse=True)
    assert [c["description"] for c in text["items"]] == ["a broken gate at the north door"]
    assert [c["channel"] for c in by_channel["items"]] == ["web"]
    assert none["items"] == []


async def test_the_list_narrows_to_the_ids_asked_for_within_your_sites(intake: Intake) -> None:
    place = await intake.place()
    other = await intake.place()
    first, second, third = [await intake.file(place.site_id) for _ in range(3)]
    elsewhere = await intake.file(other.site_id)
    wanted = [first["id"], third["id"], elsewhere["id"], hex_id()]
    mine = intake.headers(roles=["handler"], sites=[place.site_id])

    listed = await intake.ok("GET", "/v1/complaints", params={"id": wanted}, as_=mine)
    everywhere = await intake.ok("GET", "/v1/complaints", params={"id": wanted})
    narrowed = await intake.ok(
        "GET", "/v1/complaints", params={"id": wanted, "site_id": other.site_id}
    )
    one = await intake.ok("GET", "/v1/complaints", params={"id": second["id"]}, as_=mine)
    hundred = [first["id"], *(hex_id() for _ in range(99))]
    most = await intake.ok("GET", "/v1/complaints", params={"id": hundred}, as_=mine)
    too_many = await intake.request("GET", "/v1/complaints", params={"id": [*hundred, hex_id()]})
    bad = await intake.request("GET", "/v1/complaints", params={"id": [first["id"], "../x"]})

    assert [c["id"] for c in listed["items"]] == [third["id"], first["id"]]
    assert [c["id"] for c in everywhere["items"]] == [elsewhere["id"], third["id"], first["id"]]
    assert [c["id"] for c in narrowed["items"]] == [elsewhere["id"]]
    assert [c["id"] for c in one["items"]] == [second["id"]]
    assert [c["id"] for c in most["items"]] == [first["id"]]
    assert is_problem(too_many, 422)
    assert is_problem(bad, 422)


async def test_a_household_reporter_reads_with_the_directorys_name_and_first_phone(
    intake: Intake,
) -> None:
    place = await intake.place()
    household = {"type": "household", "household_id": place.household_id}
    filed = await intake.file(place.site_id, reporter=household)
    walk_in = await intake.file(place.site_id, reporter=visitor(name="Li Wei", phone="13700001111"))
    new_number = "13600002222"
    await intake.ok(
        "PATCH",
        f"/v1/sites/{place.site_id}/households/{place.household_id}",
        json={"name": "Zhang Minhua", "phones": [new_number, place.phone]},
    )
    expected = ("Zhang Minhua", new_number)

    def who(found: dict[str, Any]) -> tuple[str, str]:
        return found["reporter"]["name"], found["reporter"]["phone"]

    by_id = await intake.ok("GET", f"/v1/complaints/{filed['id']}")
    by_reference = await intake.ok("GET", f"/v1/complaints/by-reference/{filed['reference']}")
    listed = await intake.ok("GET", "/v1/complaints", params={"site_id": place.site_id})
    caller = await intake.ok("GET", "/v1/callers", params={"phone": place.phone})
    (household_read,) = caller["households"]

    assert who(by_id) == who(by_reference) == expected
    assert {c["id"]: who(c) for c in listed["items"]} == {
        filed["id"]: expected,
        walk_in["id"]: ("Li Wei", "13700001111"),
    }
    assert [who(c) for c in household_read["open_complaints"]] == [expected]
    assert [who(c) for c in household_read["recent_complaints"]] == [expected]
    await intake.ok(
        "DELETE", f"/v1/sites/{place.site_id}/households/{place.household_id}", status=204
    )
    removed = await intake.ok("GET", f"/v1/complaints/{filed['id']}")
    assert who(removed) == expected


async def test_supplement_and_withdrawal_are_events_on_the_timeline(intake: Intake) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)
    base = f"/v1/complaints/{created['id']}"

    supplemented = await intake.ok(
        "POST", f"{base}/supplements", json={"text": "It is also blocking the exit."}, status=201
    )
    withdrawn = await intake.ok(
        "POST", f"{base}/withdrawal", json={"reason": "cleaned up now"}, status=201
    )
    late = await intake.request("POST", f"{base}/supplements", json={"text": "one more thing"})
    again = await intake.request("POST", f"{base}/withdrawal", json={})

    assert supplemented["version"] == 2
    assert withdrawn["version"] == 3
    assert withdrawn["status"] == "withdrawn"
    assert is_problem(late, 409)
    assert is_problem(again, 409)
    detail = await intake.ok("GET", base)
    assert detail["status"] == "withdrawn"
    assert detail["closed_at"] is not None
    assert [(e["type"], e["detail"]) for e in detail["timeline"]] == [
        ("complaint.received", None),
        ("complaint.supplemented", "It is also blocking the exit."),
        ("complaint.withdrawn", "cleaned up now"),
    ]
    rows = await intake.rows("SELECT type FROM outbox WHERE type LIKE 'complaint.%' ORDER BY seq")
    assert [r.type for r in rows] == [
        "complaint.contact_given",  # the visitor's, for notify, just before their complaint
        "complaint.received",
        "complaint.supplemented",
        "complaint.withdrawn",
    ]


async def test_caller_lookup_finds_households_and_their_open_complaints(intake: Intake) -> None:
    place = await intake.place()
    mine = await intake.file(
        place.site_id, reporter={"type": "household", "household_id": place.household_id}
    )
    done = await intake.file(
        place.site_id, reporter={"type": "household", "household_id": place.household_id}
    )
    await intake.ok("POST", f"/v1/complaints/{done['id']}/withdrawal", json={}, status=201)
    walk_in = await intake.file(place.site_id, reporter=visitor(phone=place.phone))
    spaced = f"{place.phone[:3]} {place.phone[3:7]}-{place.phone[7:]}"

    found = await intake.ok(
        "GET",
        "/v1/callers",
        params={"phone": spaced},
        as_=intake.headers(roles=["callcenter"], sites=[place.site_id]),
    )

    assert found["phone"] == place.phone
    assert [h["id"] for h in found["households"]] == [place.household_id]
    assert [c["id"] for c in found["households"][0]["open_complaints"]] == [mine["id"]]
    assert [c["id"] for c in found["other_open_complaints"]] == [walk_in["id"]]
    stranger = await intake.ok(
        "GET",
        "/v1/callers",
        params={"phone": place.phone},
        as_=intake.headers(roles=["callcenter"], sites=[hex_id("site-")]),
    )
    assert stranger == {"phone": place.phone, "households": [], "other_open_complaints": []}


async def test_caller_lookup_shows_each_households_ten_latest_complaints(
    intake: Intake, frozen_clock: Any
) -> None:
    frozen_clock.freeze(datetime.now(UTC))
    place = await intake.place()
    tenant = await intake.ok(
        "POST",
        f"/v1/sites/{place.site_id}/households",
        json={"unit_id": place.unit_id, "name": "Wu Fang", "phones": [place.phone]},
        status=201,
    )
    filed = []
    for _ in range(12):
        frozen_clock.advance(timedelta(seconds=1))
        filed.append(await _household_complaint(intake, place.site_id, place.household_id))
    await intake.ok("POST", f"/v1/complaints/{filed[-1]['id']}/withdrawal", json={}, status=201)
    frozen_clock.advance(timedelta(seconds=1))
    tenants = await _household_complaint(intake, place.site_id, tenant["id"])

    found = await intake.ok(
        "GET",
        "/v1/callers",
        params={"phone": place.phone},
        as_=intake.headers(roles=["callcenter"], sites=[place.site_id]),
    )

    by_id = {h["id"]: h for h in found["households"]}
    newest = [c["id"] for c in reversed(filed)]
    assert [c["id"] for c in by_id[place.household_id]["recent_complaints"]] == newest[:10]
    assert [c["id"] for c in by_id[place.household_id]["open_complaints"]] == newest[1:]
    assert by_id[place.household_id]["recent_complaints"][0]["status"] == "withdrawn"
    assert [c["id"] for c in by_id[tenant["id"]]["recent_complaints"]] == [tenants["id"]]


async def _household_complaint(intake: Intake, site_id: str, household_id: str) -> Any:
    return await intake.file(site_id, reporter={"type": "household", "household_id": household_id})


async def test_callcenter_of_another_site_sees_nothing_of_this_one(intake: Intake) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)
    outsider = intake.headers(roles=["callcenter"], sites=[hex_id("site-")])

    read = await intake.request("GET", f"/v1/complaints/{created['id']}", as_=outsider)
    listed = await intake.ok("GET", "/v1/complaints", as_=outsider)
    posted = await intake.request(
        "POST", "/v1/complaints", json=complaint_body(place.site_id), as_=outsider
    )
    followed = await intake.request(
        "POST", f"/v1/complaints/{created['id']}/supplements", json={"text": "x"}, as_=outsider
    )

    assert is_problem(read, 404)
    assert listed["items"] == []
    assert is_problem(posted, 403)
    assert is_problem(followed, 404)


async def test_roles_decide_who_records_and_who_only_reads(intake: Intake) -> None:
    place = await intake.place()
    surveyor = intake.headers(roles=["surveyor"], sites=[place.site_id])
    handler = intake.headers(roles=["handler"], sites=[place.site_id])

    refused = await intake.request(
        "POST", "/v1/complaints", json=complaint_body(place.site_id), as_=surveyor
    )
    created = await intake.file(place.site_id, as_=handler)
    read = await intake.request("GET", f"/v1/complaints/{created['id']}", as_=surveyor)
    directory = await intake.request(
        "POST", f"/v1/sites/{place.site_id}/buildings", json={"code": "B9"}, as_=handler
    )

    assert is_problem(refused, 403)
    assert read.status_code == 200
    assert is_problem(directory, 403)


async def _status(intake: Intake, complaint_id: str) -> Any:
    return (await intake.ok("GET", f"/v1/complaints/{complaint_id}"))["status"]


async def test_complaint_records_are_counted_once_in_the_duplicate_metric(intake: Intake) -> None:
    place = await intake.place()
    before = _sample("careloop_intake_duplicates_absorbed_total", matched="external_ref")
    body = complaint_body(place.site_id, external_ref=hex_id())
    caller = intake.headers(roles=["callcenter"], sites=[place.site_id])

    for _ in range(3):
        await intake.request("POST", "/v1/complaints", json=body, as_=caller)

    after = await eventually(
        lambda: _async(
            _sample("careloop_intake_duplicates_absorbed_total", matched="external_ref")
        ),
        before + 2,
    )
    assert after == before + 2


async def _async(value: Any) -> Any:
    return value


async def test_times_with_an_offset_mean_the_same_instant_on_every_database(
    intake: Intake,
) -> None:
    place = await intake.place()
    created = await intake.file(
        place.site_id,
        occurred_at="2024-05-01T08:00:00+08:00",
        immediate_reply={
            "text": "On our way.",
            "replied_by": "Wang Fang",
            "replied_at": "2024-05-01T09:30:00+08:00",
        },
    )

    detail = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    received = datetime.fromisoformat(detail["received_at"])
    just_before = (received - timedelta(seconds=1)).astimezone(timezone(timedelta(hours=-5)))
    just_after = (received + timedelta(seconds=1)).astimezone(timezone(timedelta(hours=8)))
    window = await intake.ok(
        "GET",
        "/v1/complaints",
        params={
            "site_id": place.site_id,
            "received_from": just_before.isoformat(),
            "received_to": just_after.isoformat(),
        },
    )

    assert datetime.fromisoformat(detail["occurred_at"]) == datetime(2024, 5, 1, 0, 0, tzinfo=UTC)
    replied = datetime.fromisoformat(detail["immediate_reply"]["replied_at"])
    assert replied == datetime(2024, 5, 1, 1, 30, tzinfo=UTC)
    assert [c["id"] for c in window["items"]] == [created["id"]]


async def test_a_very_long_token_subject_still_files_and_deduplicates(intake: Intake) -> None:
    place = await intake.place()
    caller = intake.headers(roles=["callcenter"], sites=[place.site_id], sub="cc-" + "x" * 300)
    body = complaint_body(place.site_id, external_ref="CC-LONG-1")

    first = await intake.request("POST", "/v1/complaints", json=body, as_=caller)
    again = await intake.request("POST", "/v1/complaints", json=body, as_=caller)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
