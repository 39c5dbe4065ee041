"""Admins manage each site's organisation and rules: JSON, YAML, one by one, or from a file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from routing_harness import Routing, short

from routing.loader import read_file
from routing.organisation import service as organisation
from routing.rules import service as rules
from shared.db.engine import Database, reading

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]
DEMO = ROOT / "services" / "routing" / "demo" / "group.yaml"
PROBLEM = "application/problem+json"


async def load(path: Path, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m routing load <path>` against the test's database."""
    env = {"ROUTING_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "routing", "load", str(path)]
    return await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=60, cwd=cwd
    )


def admin(routing: Routing) -> dict[str, str]:
    return routing.headers(routing.staff.admin, "admin")


async def test_the_organisation_reads_back_as_it_was_loaded(routing: Routing) -> None:
    staff = routing.staff
    found = (await routing.get(f"/v1/sites/{staff.site}/organisation", staff.cs_handlers[0])).json()
    assert (found["vp"], found["gm"], found["site_name"]) == (staff.vp, staff.gm, "翠湖花园管理处")
    assert {d["code"]: d["head"] for d in found["departments"]} == {
        "customer_service": staff.cs_head,
        "engineering": staff.eng_head,
    }
    assert {s["id"] for s in found["staff"]} == {
        staff.gm,
        staff.vp,
        staff.cs_head,
        *staff.cs_handlers,
        staff.eng_head,
        staff.eng_handler,
    }


async def test_an_organisation_can_be_sent_as_yaml(routing: Routing) -> None:
    site = f"yaml-{short()}"
    document = yaml.safe_dump(
        {
            "site_name": "Harbour View",
            "departments": [{"code": "security", "name": "Security", "head": "s-head"}],
            "staff": [
                {"id": "s-head", "name": "Sun", "role": "dept_head", "department": "security"}
            ],
        },
        allow_unicode=True,
    )
    response = await routing.client.put(
        f"/v1/sites/{site}/organisation",
        content=document.encode(),
        headers={
            **routing.headers("root", "admin", sites=["*"]),
            "Content-Type": "application/yaml",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["departments"][0]["head"] == "s-head"


@pytest.mark.parametrize(
    ("content", "content_type", "words"),
    [
        (b"departments: [unclosed", "application/yaml", "not valid YAML"),
        (b"{not json", "application/json", "not valid JSON"),
        (b'{"departments": [], "bosses": []}', "application/json", "bosses"),
        (b'{"staff": [{"id": "h", "name": "H", "role": "janitor"}]}', "application/json", "role"),
        (
            b'{"departments": [{"code": "cleaning", "name": "C", "head": "nobody"}]}',
            "application/json",
            "nobody, is not listed as staff",
        ),
        (b'{"vp": "ghost"}', "application/json", "the vp, ghost"),
    ],
)
async def test_a_bad_organisation_document_is_a_422_problem(
    routing: Routing, content: bytes, content_type: str, words: str
) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/organisation",
        content=content,
        headers={**admin(routing), "Content-Type": content_type},
    )
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert words in response.text
    kept = await routing.get(f"/v1/sites/{routing.staff.site}/organisation", routing.staff.gm)
    assert len(kept.json()["staff"]) == 7


async def test_departments_and_staff_one_by_one(routing: Routing) -> None:
    base = f"/v1/sites/{routing.staff.site}"
    headers = admin(routing)
    created = await routing.client.post(
        f"{base}/departments", json={"code": "greening", "name": "Greening"}, headers=headers
    )
    assert created.status_code == 201
    again = await routing.client.post(
        f"{base}/departments", json={"code": "greening", "name": "Greening"}, headers=headers
    )
    assert (again.status_code, again.headers["content-type"]) == (409, PROBLEM)
    head = {"id": "g-head", "name": "Wu", "role": "dept_head", "department": "greening"}
    assert (
        await routing.client.post(f"{base}/staff", json=head, headers=headers)
    ).status_code == 201
    assert (
        await routing.client.post(f"{base}/staff", json=head, headers=headers)
    ).status_code == 409
    named = await routing.client.patch(
        f"{base}/departments/greening",
        json={"head": "g-head", "name_zh": "绿化部"},
        headers=headers,
    )
    assert named.json() == {
        "code": "greening",
        "name": "Greening",
        "name_zh": "绿化部",
        "head": "g-head",
    }
    wrong = await routing.client.patch(
        f"{base}/departments/greening", json={"head": routing.staff.vp}, headers=headers
    )
    assert (wrong.status_code, wrong.headers["content-type"]) == (422, PROBLEM)
    missing = await routing.client.patch(f"{base}/departments/laundry", json={}, headers=headers)
    assert missing.status_code == 404
    leadership = await routing.client.put(
        f"{base}/leadership", json={"vp": routing.staff.cs_head}, headers=headers
    )
    assert leadership.status_code == 422


async def test_a_deactivated_handler_gets_no_new_cases(routing: Routing) -> None:
    gone, stays = routing.staff.cs_handlers
    response = await routing.client.patch(
        f"/v1/sites/{routing.staff.site}/staff/{gone}",
        json={"active": False},
        headers=admin(routing),
    )
    assert response.json()["active"] is False
    handlers = {(await routing.opened())["handler"] for _ in range(3)}
    assert handlers == {stays}


async def test_rules_show_what_ships_and_keep_sections_not_sent(routing: Routing) -> None:
    base = f"/v1/sites/{routing.staff.site}/rules"
    shipped = (await routing.get(base, routing.staff.gm)).json()
    assert shipped["routes"] == []
    assert shipped["default_department"] is None
    assert shipped["shipped_routes"]["maintenance"] == "engineering"
    assert shipped["calendar"]["timezone"] == "Asia/Shanghai"
    assert shipped["developer_follow_up"] == "P1D"

    first = {
        "default_department": "engineering",
        "routes": [{"category": "fees", "department": "customer_service"}],
        "sla_policies": [
            {"severity": "urgent", "acknowledge_within": "PT30M", "resolve_within": "PT8H"}
        ],
        "calendar": {
            "timezone": "Europe/Berlin",
            "week": {"mon": {"start": "08:00", "end": "16:00"}},
            "holidays": [{"day": "2026-12-25", "name": "Christmas"}],
        },
    }
    assert (await routing.client.put(base, json=first, headers=admin(routing))).status_code == 200
    second = await routing.client.put(
        base, json={"developer_follow_up": "PT12H"}, headers=admin(routing)
    )
    found = second.json()
    assert found["default_department"] == "engineering"
    assert found["routes"] == [
        {"category": "fees", "kind": None, "severity": None, "department": "customer_service"}
    ]
    assert found["sla_policies"][0]["acknowledge_within"] == "PT30M"
    assert found["calendar"]["week"] == {"mon": {"start": "08:00:00", "end": "16:00:00"}}
    assert found["calendar"]["holidays"] == [
        {"day": "2026-12-25", "name": "Christmas", "working": False}
    ]
    assert found["developer_follow_up"] == "PT12H"


@pytest.mark.parametrize(
    "body",
    [
        {
            "calendar": {
                "timezone": "Mars/Olympus",
                "week": {"mon": {"start": "09:00", "end": "17:00"}},
            }
        },
        {"calendar": {"week": {}}},
        {"calendar": {"week": {"mon": {"start": "18:00", "end": "09:00"}}}},
        {"calendar": {"week": {"funday": {"start": "09:00", "end": "17:00"}}}},
        {
            "routes": [
                {"category": "fees", "department": "a_b"},
                {"category": "fees", "department": "c_d"},
            ]
        },
        {"sla_policies": [{"acknowledge_within": "PT2H", "resolve_within": "PT1H"}]},
        {"sla_policies": [{"acknowledge_within": "PT0S", "resolve_within": "PT1H"}]},
        {"routes": [{"category": "weather", "department": "x"}]},
        {"developer_follow_up": "tomorrow"},
    ],
)
async def test_bad_rules_are_422_problems(routing: Routing, body: dict[str, Any]) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules", json=body, headers=admin(routing)
    )
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)


async def test_the_demo_group_loads_from_its_file(database_url: str, tmp_path: Path) -> None:
    done = await load(DEMO, database_url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "loaded 1 site(s)" in done.stderr
    (site,) = read_file(DEMO)
    db = Database(database_url, pool_size=1)
    try:
        async with reading(db) as session:
            org = await organisation.get_organisation(session, site_id=site.site_id)
            found = await rules.get_rules(session, site_id=site.site_id)
    finally:
        await db.dispose()
    assert (org.vp, org.gm, len(org.departments), len(org.staff)) == ("vp-li", "gm-wang", 7, 18)
    assert found.default_department == "customer_service"
    assert [h.day.isoformat() for h in found.calendar.holidays][-1] == "2026-10-10"


async def test_a_bad_file_loads_nothing_and_says_why(database_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sites:\n  - site_id: x\n    vp: ghost\n", encoding="utf-8")
    done = await load(bad, database_url, tmp_path)
    assert done.returncode == 1
    assert "the vp, ghost, must be listed as staff" in done.stderr
