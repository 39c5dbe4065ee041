"""The complaint report against a data set whose figures this test counts for itself.

Cases come two ways: a few through the real handlers and routes (a complaint, its
acknowledgement, validity, resolution and callbacks), and many written straight into the
case table with varied categories, channels, departments, validity, deadlines,
escalations, reopens and callbacks, over the period, the period before and other sites.
Every figure of the report is compared with what `expected()` counts from the test's own
records, never with routing's code.
"""

from __future__ import annotations

import asyncio
import csv
import io
import math
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aio_pika
import orjson
import pytest
from routing_harness import Routing, committed, short
from sqlalchemy import select

from routing.cases.models import Case, CaseEntry
from routing.corrective.models import CorrectiveAction
from routing.organisation.models import SiteLeadership
from routing.reports.models import ComplaintReport
from routing.reports.periods import month_before
from routing.reports.published import publish_monthly
from shared.clock import utcnow
from shared.db.engine import Database, reading, transaction
from shared.testing.checks import eventually, is_problem

pytestmark = pytest.mark.integration

ZONE = ZoneInfo("Asia/Shanghai")
CATEGORIES = ("cleaning", "maintenance", "security", "fees", "greening")
KINDS = ("complaint", "grievance", "inquiry", "suggestion")
CHANNELS = ("call_center", "phone", "web", "letter", "staff_finding")
DEPARTMENTS = ("customer_service", "engineering", "security")
REASONS = ("developer", "external_environment", "public_facility_outside_jurisdiction")
LEVELS = ("dept_head", "vp", "gm")
WHY = ("sla", "transmittal", "unsatisfied", "manual")


@dataclass
class Record:
    """One case as the test made it (or watched the real handlers make it)."""

    site: str
    received_at: datetime
    category: str = "other"
    kind: str = "complaint"
    channel: str = "call_center"
    department: str = "customer_service"
    validity: str | None = None
    invalid_reason: str | None = None
    acknowledged_at: datetime | None = None
    acknowledge_due_at: datetime | None = None
    acknowledge_breached: bool = False
    resolved_at: datetime | None = None
    resolve_due_at: datetime | None = None
    resolve_breached: bool = False
    closed: bool = False
    closed_unreachable: bool = False  # closed because the callback reached nobody
    unreachable: int = 0  # callbacks that reached nobody
    reopens: int = 0
    escalations: list[tuple[str, str]] = field(default_factory=list)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))


# ---- what the test expects, counted from its own records ---------------------------------


def _missed(done: datetime | None, due: datetime | None, breached: bool, now: datetime) -> bool:
    return (
        breached
        or (done is not None and due is not None and done > due)
        or (done is None and due is not None and due < now)
    )


def _met(done: datetime | None, due: datetime | None, breached: bool) -> bool:
    return done is not None and not breached and (due is None or done <= due)


def _nearest_rank(values: list[int], q: float) -> int | None:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else None


def headline_of(records: list[Record], now: datetime) -> dict[str, Any]:
    """The headline figures of one period's records."""
    n = len(records)
    ack = [
        int((r.acknowledged_at - r.received_at).total_seconds() // 1)
        for r in records
        if r.acknowledged_at
    ]
    res = [
        int((r.resolved_at - r.received_at).total_seconds() // 1) for r in records if r.resolved_at
    ]
    ack_met = sum(
        _met(r.acknowledged_at, r.acknowledge_due_at, r.acknowledge_breached) for r in records
    )
    ack_missed = sum(
        _missed(r.acknowledged_at, r.acknowledge_due_at, r.acknowledge_breached, now)
        for r in records
    )
    res_met = sum(_met(r.resolved_at, r.resolve_due_at, r.resolve_breached) for r in records)
    res_missed = sum(
        _missed(r.resolved_at, r.resolve_due_at, r.resolve_breached, now) for r in records
    )
    satisfied = sum(r.closed and not r.closed_unreachable for r in records)
    unsatisfied = sum(r.reopens for r in records)
    reopened = sum(r.reopens > 0 for r in records)
    return {
        "complaints": n,
        "valid": sum(r.validity == "valid" for r in records),
        "invalid": sum(r.validity == "invalid" for r in records),
        "unjudged": sum(r.validity is None for r in records),
        "acknowledge_met": ack_met,
        "acknowledge_missed": ack_missed,
        "acknowledge_open": n - ack_met - ack_missed,
        "acknowledge_median_seconds": _nearest_rank(ack, 0.5),
        "acknowledge_p90_seconds": _nearest_rank(ack, 0.9),
        "resolve_met": res_met,
        "resolve_missed": res_missed,
        "resolve_open": n - res_met - res_missed,
        "resolve_median_seconds": _nearest_rank(res, 0.5),
        "resolve_p90_seconds": _nearest_rank(res, 0.9),
        "escalations": sum(len(r.escalations) for r in records),
        "escalated_cases": sum(bool(r.escalations) for r in records),
        "reopened_cases": reopened,
        "reopen_rate": reopened / n if n else None,
        "callbacks_satisfied": satisfied,
        "callbacks_unsatisfied": unsatisfied,
        "callbacks_unreachable": sum(r.unreachable > 0 for r in records),
        "callback_satisfaction_rate": (
            satisfied / (satisfied + unsatisfied) if satisfied + unsatisfied else None
        ),
    }


def _key(r: Record, dimension: str) -> str | None:
    if dimension == "validity":
        return r.validity or "unjudged"
    return r.site if dimension == "site" else getattr(r, dimension)


def lines_of(now: list[Record], before: list[Record]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every breakdown line: (dimension, key) -> value, valid, invalid, unjudged, previous."""
    lines: dict[tuple[str, str], dict[str, Any]] = {}
    for dimension in (
        "site",
        "category",
        "kind",
        "channel",
        "department",
        "validity",
        "invalid_reason",
    ):
        for r in now + before:
            k = _key(r, dimension)
            if k is None:
                continue
            line = lines.setdefault(
                (dimension, k), {"value": 0, "valid": 0, "invalid": 0, "unjudged": 0, "previous": 0}
            )
            if r in before:
                line["previous"] += 1
                continue
            line["value"] += 1
            line[r.validity or "unjudged"] += 1
    for dimension, index in (("escalation_level", 0), ("escalation_reason", 1)):
        counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for half, records in ((0, now), (1, before)):
            for r in records:
                for escalation in r.escalations:
                    counted[escalation[index]][half] += 1
        for k, (value, previous) in counted.items():
            lines[(dimension, k)] = {"value": value, "previous": previous}
    return lines


# ---- building the data set --------------------------------------------------------------


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def random_record(
    rng: random.Random, site: str, start: datetime, end: datetime, now: datetime
) -> Record:
    """A case received between start and end (at least an hour before now), of any kind."""
    received = _moment(rng, start, min(end, now - timedelta(hours=2)))
    validity = rng.choice(("valid", "valid", "invalid", None))
    record = Record(
        site=site, received_at=received, category=rng.choice(CATEGORIES), kind=rng.choice(KINDS),
        channel=rng.choice(CHANNELS), department=rng.choice(DEPARTMENTS), validity=validity,
        invalid_reason=rng.choice(REASONS) if validity == "invalid" else None,
    )  # fmt: skip
    # Due times are well in the past or well in the future, so "now" never sits on one.
    for step in ("acknowledge", "resolve"):
        due = received + timedelta(minutes=30) if rng.random() < 0.5 else now + timedelta(days=2)
        done = received + timedelta(seconds=rng.randint(1, 3000)) if rng.random() < 0.7 else None
        setattr(record, f"{step}_due_at", due if rng.random() < 0.9 else None)
        setattr(record, f"{step}_breached", rng.random() < 0.2)
        setattr(record, "acknowledged_at" if step == "acknowledge" else "resolved_at", done)
    record.closed = record.resolved_at is not None and rng.random() < 0.6
    # Some callbacks reach nobody: the case is closed for it, or escalated and still open.
    record.unreachable = int(record.resolved_at is not None and rng.random() < 0.3)
    record.closed_unreachable = record.closed and bool(record.unreachable)
    record.reopens = rng.choice((0, 0, 0, 1, 2))
    record.escalations = [
        (rng.choice(LEVELS), rng.choice(WHY)) for _ in range(rng.choice((0, 0, 1, 2)))
    ]
    return record


def case_row(r: Record) -> Case:
    status = "closed" if r.closed else "resolved" if r.resolved_at else "in_progress"
    return Case(
        id=r.id, complaint_id=str(uuid.uuid4()), site_id=r.site, reference=f"TS-{short()}",
        channel=r.channel, kind=r.kind, category=r.category, severity="normal",
        reporter_type="household", description="楼道灯坏了", received_at=r.received_at,
        status=status, level="handler", department=r.department, validity=r.validity,
        invalid_reason=r.invalid_reason, opened_at=r.received_at,
        acknowledged_at=r.acknowledged_at, acknowledge_due_at=r.acknowledge_due_at,
        acknowledge_breached_at=r.received_at if r.acknowledge_breached else None,
        resolved_at=r.resolved_at, resolve_due_at=r.resolve_due_at,
        resolve_breached_at=r.received_at if r.resolve_breached else None,
        closed_at=(r.resolved_at or r.received_at) if r.closed else None,
        reopen_count=r.reopens, escalation_count=len(r.escalations),
        unreachable_count=r.unreachable, closed_unreachable=r.closed_unreachable,
        version=len(r.escalations), updated_at=r.received_at,
    )  # fmt: skip


def entries(r: Record) -> list[CaseEntry]:
    return [
        CaseEntry(
            case_id=r.id, version=n, type="case.escalated", at=r.received_at + timedelta(minutes=n),
            data={"level": level, "reason": reason, "from_level": "handler"},
        )
        for n, (level, reason) in enumerate(r.escalations, start=1)
    ]  # fmt: skip


async def insert(db: Database, records: list[Record]) -> None:
    async with transaction(db) as session:
        session.add_all(case_row(r) for r in records)
        await session.flush()
        session.add_all(e for r in records for e in entries(r))


async def put_site(db: Database, site: str, name: str, region: str | None) -> None:
    async with transaction(db) as session:
        row = await session.get(SiteLeadership, site) or SiteLeadership(site_id=site)
        row.site_name, row.region = name, region
        session.add(row)


# ---- the real handlers ----------------------------------------------------------------


async def act(routing: Routing, case: dict[str, Any], action: str, body: Any = None) -> None:
    response = await routing.post(f"/v1/cases/{case['case_id']}/{action}", case["handler"], body)
    assert response.status_code == 200, response.text


async def through_the_handlers(routing: Routing) -> list[Record]:
    """Four complaints the real way: closed, reopened and escalated, untouched, and closed
    because its callback reached nobody."""
    closed = await routing.opened(category="other", channel="web")
    await act(routing, closed, "accept")
    await act(routing, closed, "validity", {"valid": True})
    await act(routing, closed, "resolution", {"result": "已清扫", "reply": "已处理"})
    await routing.callback(closed, satisfied=True)
    reopened = await routing.opened(category="maintenance", channel="phone")
    await act(routing, reopened, "accept")
    await act(routing, reopened, "validity", {"valid": False, "reason": "external_environment"})
    await act(routing, reopened, "resolution", {"result": "已联系", "reply": "非我司原因"})
    await routing.callback(reopened, satisfied=False)
    untouched = await routing.opened(
        category="convenience_services", channel="letter", kind="inquiry"
    )
    unreached = await routing.opened(category="other", channel="face_to_face")
    await act(routing, unreached, "accept")
    await act(routing, unreached, "resolution", {"result": "已清理", "reply": "已处理"})
    await routing.unreachable(unreached)
    await routing.wait_event(closed["complaint_id"], "case.closed")
    await routing.wait_event(reopened["complaint_id"], "case.escalated")
    await routing.wait_event(unreached["complaint_id"], "case.closed_unreachable")
    return [await _as_record(routing, c) for c in (closed, reopened, untouched, unreached)]


async def _as_record(routing: Routing, case: dict[str, Any]) -> Record:
    """What the handlers did to a case, as its row and history hold it."""
    async with reading(routing.db) as session:
        row = await session.get(Case, case["case_id"])
        assert row is not None
        history = await session.scalars(
            select(CaseEntry).where(CaseEntry.case_id == row.id, CaseEntry.type == "case.escalated")
        )
        escalations = [(e.data["level"], e.data["reason"]) for e in history]
    return Record(
        site=row.site_id, received_at=row.received_at, category=row.category, kind=row.kind,
        channel=row.channel, department=row.department, validity=row.validity,
        invalid_reason=row.invalid_reason, acknowledged_at=row.acknowledged_at,
        acknowledge_due_at=row.acknowledge_due_at,
        acknowledge_breached=row.acknowledge_breached_at is not None,
        resolved_at=row.resolved_at, resolve_due_at=row.resolve_due_at,
        resolve_breached=row.resolve_breached_at is not None, closed=row.status == "closed",
        closed_unreachable=row.closed_unreachable, unreachable=row.unreachable_count,
        reopens=row.reopen_count, escalations=escalations, id=row.id,
    )  # fmt: skip


# ---- the data set of one test -------------------------------------------------------------


@dataclass
class DataSet:
    site: str
    neighbour: str  # same region
    faraway: str  # another region
    first: str
    last: str
    now: list[Record]
    before: list[Record]
    others: list[Record]

    def of(self, sites: set[str]) -> tuple[list[Record], list[Record]]:
        return [r for r in self.now if r.site in sites], [r for r in self.before if r.site in sites]


async def build(routing: Routing) -> DataSet:
    rng = random.Random(20261127)
    site, neighbour, faraway = routing.staff.site, f"nb-{short()}", f"far-{short()}"
    today = utcnow().astimezone(ZONE).date()
    first, last = today - timedelta(days=13), today
    start = datetime.combine(first, datetime.min.time(), ZONE)
    before_start = start - timedelta(days=14)
    now = utcnow()
    real = await through_the_handlers(routing)
    current = [
        random_record(rng, s, start, now, now)
        for s in [site] * 40 + [neighbour] * 8 + [faraway] * 5
    ]
    before = [
        random_record(rng, s, before_start, start, now) for s in [site] * 20 + [neighbour] * 4
    ]
    older = [
        random_record(rng, site, before_start - timedelta(days=30), before_start, now)
        for _ in range(6)
    ]
    await insert(routing.db, current + before + older)
    await put_site(routing.db, site, "翠湖花园管理处", "south")
    await put_site(routing.db, neighbour, "碧水苑管理处", "south")
    await put_site(routing.db, faraway, "北城管理处", "north")
    return DataSet(site, neighbour, faraway, first.isoformat(), last.isoformat(),
                   real + current, before, older)  # fmt: skip


async def report(routing: Routing, sub: str, role: str, sites: list[str], **params: str) -> Any:
    return await routing.client.get(
        "/v1/reports/complaints", params=params, headers=routing.headers(sub, role, sites=sites)
    )


def check(body: dict[str, Any], now: list[Record], before: list[Record]) -> None:
    """Every figure and line of a JSON report against the test's own counts."""
    figures = {f["name"]: f for f in body["figures"]}
    expected_now, expected_before = headline_of(now, utcnow()), headline_of(before, utcnow())
    for name, value in expected_now.items():
        got = figures[name]
        assert got["value"] == pytest.approx(value), name
        assert got["previous"] == pytest.approx(expected_before[name]), name
        if value is not None and expected_before[name] is not None:
            assert got["change"] == pytest.approx(value - expected_before[name]), name
    lines = {(line["dimension"], line["key"]): line for line in body["lines"]}
    expected = lines_of(now, before)
    assert set(lines) == set(expected)
    for key, want in expected.items():
        got = lines[key]
        assert {k: got[k] for k in want} == want, key
        assert got["change"] == want["value"] - want["previous"], key


# ---- the tests --------------------------------------------------------------------------------


async def test_every_figure_of_a_site_region_and_group_report(routing: Routing) -> None:
    data = await build(routing)
    staff = routing.staff
    period = {"from": data.first, "to": data.last}
    site = await report(routing, staff.vp, "vp", [data.site], site_id=data.site, **period)
    assert site.status_code == 200, site.text
    body = site.json()
    assert (body["scope"], body["name"], body["sites"]) == ("site", "翠湖花园管理处", [data.site])
    assert body["period"]["first"] == data.first
    check(body, *data.of({data.site}))

    both = [data.site, data.neighbour]
    region = await report(routing, staff.vp, "vp", both, region="south", **period)
    assert region.status_code == 200, region.text
    assert region.json()["sites"] == sorted(both)
    check(region.json(), *data.of(set(both)))

    group = await report(routing, staff.gm, "gm", ["*"], **period)
    assert group.status_code == 200, group.text
    check(group.json(), *data.of({data.site, data.neighbour, data.faraway}))


async def test_the_printed_report_and_the_csv_say_what_the_json_says(routing: Routing) -> None:
    data = await build(routing)
    period = {"from": data.first, "to": data.last, "site_id": data.site}
    body = (await report(routing, routing.staff.vp, "vp", [data.site], **period)).json()
    page = await report(routing, routing.staff.vp, "vp", [data.site], format="html", **period)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert text.count("<svg") >= 5
    assert "顾客投诉报告" in text
    assert "翠湖花园管理处" in text
    assert "投诉总数（含有效、无效）" in text
    assert f"<td>{body['figures'][0]['value']}</td>" in text
    english = await report(
        routing, routing.staff.vp, "vp", [data.site], format="html", lang="en", **period
    )
    assert "Complaint report" in english.text
    assert "All complaints (valid and invalid)" in english.text

    exported = await report(routing, routing.staff.vp, "vp", [data.site], format="csv", **period)
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    figures = {r["key"]: r for r in rows if r["dimension"] == "headline"}
    for f in body["figures"]:
        assert figures[f["name"]]["value"] == ("" if f["value"] is None else str(f["value"]))
    lines = {(r["dimension"], r["key"]): r for r in rows if r["dimension"] != "headline"}
    for line in body["lines"]:
        row = lines[(line["dimension"], line["key"])]
        assert (int(row["value"]), int(row["previous"])) == (line["value"], line["previous"])


async def test_reports_are_scoped_to_the_principals_sites(routing: Routing) -> None:
    data = await build(routing)
    staff, period = routing.staff, {"from": data.first, "to": data.last}
    mine = [data.site]
    other_site = await report(routing, staff.vp, "vp", mine, site_id=data.faraway, **period)
    assert is_problem(other_site, 404)
    group = await report(routing, staff.vp, "vp", mine, **period)
    assert is_problem(group, 403)
    region = await report(routing, staff.vp, "vp", mine, region="south", **period)
    assert is_problem(region, 403)
    unknown = await report(routing, staff.vp, "vp", ["*"], region="nowhere", **period)
    assert is_problem(unknown, 404)
    handler = await report(
        routing, staff.cs_handlers[0], "handler", mine, site_id=data.site, **period
    )
    assert is_problem(handler, 403)
    head = await report(routing, staff.cs_head, "dept_head", mine, site_id=data.site, **period)
    assert head.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-10-31", "to": "2026-10-01"},
        {"from": "2026-13-01", "to": "2026-10-01"},
        {"from": "yesterday"},
        {"to": "2026-10-01"},
        {"from": "2020-01-01", "to": "2026-01-01"},
        {"format": "pdf"},
        {"lang": "fr"},
        {"region": "south", "site_id": "x"},
        {"site_id": "not a site!"},
    ],
)
async def test_bad_requests_are_problems(routing: Routing, params: dict[str, str]) -> None:
    response = await report(routing, routing.staff.gm, "gm", ["*"], **params)
    assert is_problem(response), (response.status_code, response.text)
    assert response.status_code in (400, 422)


async def test_the_monthly_report_is_published_once_per_site_and_month(routing: Routing) -> None:
    month = month_before(utcnow(), "Asia/Shanghai")
    site = f"m-{short()}"
    rng, now = random.Random(7), utcnow()
    inside = [random_record(rng, site, month.start, month.end, now) for _ in range(9)]
    outside = [random_record(rng, site, month.end, now, now) for _ in range(3)]
    await insert(routing.db, inside + outside)
    queue = await routing.channel.declare_queue(exclusive=True)
    await queue.bind(routing.exchange, routing_key="report.published")
    published: list[dict[str, Any]] = []

    async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            published.append(orjson.loads(message.body))

    await queue.consume(collect)
    await put_site(routing.db, site, "月报花园", "south")
    replicas = [Database(routing.settings.database_url, pool_size=2) for _ in range(2)]
    try:  # two replicas at once, then a restart: still one report per site
        await asyncio.gather(*(publish_monthly(db, routing.settings) for db in replicas))
        await publish_monthly(replicas[0], routing.settings)
    finally:
        for db in replicas:
            await db.dispose()

    async with reading(routing.db) as session:
        rows = list(await session.scalars(select(ComplaintReport)))
    per_site = Counter((r.site_id, r.period) for r in rows)
    assert per_site[(site, month.label)] == 1
    assert all(n == 1 for n in per_site.values())

    def mine() -> list[dict[str, Any]]:
        return [e for e in published if e["data"]["site_id"] == site]

    async def arrived() -> int:
        return len(mine())

    assert await eventually(arrived, 1, timeout=20) == 1
    (event,) = mine()
    # The publishers have returned: a duplicate would be in the outbox by now.
    assert len(await committed(routing, "report.published", site_id=site)) == 1
    # Every other site with an organisation got its report too, and none got two.
    sent = await committed(routing, "report.published")
    assert set(Counter(e["data"]["site_id"] for e in sent).values()) == {1}
    facts = event["data"]
    assert (facts["period"], facts["complaints"]) == (month.label, len(inside))
    assert facts["valid"] == sum(r.validity == "valid" for r in inside)
    assert facts["url"].endswith(f"/v1/reports/{facts['report_id']}?format=html")

    headers = routing.headers(routing.staff.vp, "vp", sites=[site])
    listed = (await routing.client.get("/v1/reports", headers=headers)).json()
    assert [item["id"] for item in listed["items"]] == [facts["report_id"]]
    stored = await routing.client.get(f"/v1/reports/{facts['report_id']}", headers=headers)
    check(stored.json(), inside, [])
    page = await routing.client.get(
        f"/v1/reports/{facts['report_id']}", params={"format": "html"}, headers=headers
    )
    assert "<svg" in page.text
    assert "月报花园" in page.text
    elsewhere = routing.headers(routing.staff.vp, "vp", sites=[routing.staff.site])
    hidden = await routing.client.get(f"/v1/reports/{facts['report_id']}", headers=elsewhere)
    assert is_problem(hidden, 404)
    assert site not in {
        i["site_id"]
        for i in (await routing.client.get("/v1/reports", headers=elsewhere)).json()["items"]
    }


async def test_actions_taken_are_listed_with_the_recurring_problems(routing: Routing) -> None:
    site, other = routing.staff.site, f"far-{short()}"
    today = utcnow().astimezone(ZONE).date()
    start = datetime.combine(today - timedelta(days=13), datetime.min.time(), ZONE)

    def action(
        number: str, site_id: str, source: str, opened: datetime, verified: datetime | None
    ) -> CorrectiveAction:
        return CorrectiveAction(
            id=str(uuid.uuid4()), number=number, site_id=site_id, kind="corrective", source=source,
            category="cleaning", problem=f"问题 {number}", action="加强巡查", status="open",
            opened_at=opened, verified_at=verified, updated_at=opened,
        )  # fmt: skip

    async with transaction(routing.db) as session:
        session.add_all(
            [
                action("CA-1", site, "recurring", start + timedelta(days=2), None),
                action("CA-2", site, "cases", start - timedelta(days=40), None),
                action(
                    "CA-3", site, "survey", start - timedelta(days=40), start - timedelta(days=1)
                ),
                action("CA-4", other, "recurring", start + timedelta(days=1), None),
            ]
        )
    params = {
        "site_id": site,
        "from": (today - timedelta(days=13)).isoformat(),
        "to": today.isoformat(),
    }
    body = (await report(routing, routing.staff.vp, "vp", [site], **params)).json()
    assert [a["number"] for a in body["recurring"]] == ["CA-1"]
    assert [a["number"] for a in body["actions"]] == ["CA-2"]
    page = await report(routing, routing.staff.vp, "vp", [site], format="html", **params)
    assert "问题 CA-1" in page.text
    assert "CA-3" not in page.text


async def test_the_action_table_says_each_action_in_words(routing: Routing) -> None:
    site, campaign = f"acts-{short()}", f"camp-{short()}"
    opened = utcnow() - timedelta(days=2)
    facts = {"site_id": site, "kind": "corrective", "opened_at": opened, "updated_at": opened}
    survey = CorrectiveAction(
        id=str(uuid.uuid4()), number="CA-S", source="survey", topic="housing_management",
        campaign_id=campaign, campaign_title="2026 年春季满意度测评", rate_before=0.5,
        target=0.9, answers_before=1, problem=f"Satisfaction ... in campaign {campaign}",
        status="planned", action="增加巡楼", **facts,
    )  # fmt: skip
    recurring = CorrectiveAction(
        id=str(uuid.uuid4()), number="CA-R", source="recurring", category="cleaning",
        complaints_before=5, window_days=30, problem="5 valid complaints about cleaning",
        status="open", **facts,
    )  # fmt: skip
    async with transaction(routing.db) as session:
        session.add_all([survey, recurring])
    params = {"site_id": site, "from": (opened - timedelta(days=1)).date().isoformat()}
    zh = (await report(routing, routing.staff.gm, "gm", [site], format="html", **params)).text
    assert "2026 年春季满意度测评：房管满意率 50.0%，低于质量目标 90.0%（1 份答卷）" in zh
    assert "30 天内清洁类有效投诉 5 起，问题重复出现" in zh
    assert ">纠正措施<" in zh
    assert ">已制定<" in zh
    en = (
        await report(routing, routing.staff.gm, "gm", [site], format="html", lang="en", **params)
    ).text
    assert "2026 年春季满意度测评: Satisfaction with Housing management was 50.0%" in en
    assert "(1 answer)" in en
    assert "5 valid complaints about Cleaning within 30 days" in en
    assert ">Corrective action<" in en
    assert ">Planned<" in en
    for raw in (campaign, "housing_management", ">corrective<", ">planned<", "1 answers"):
        assert raw not in zh
        assert raw not in en


async def test_the_default_period_is_last_month_and_from_alone_runs_to_today(
    routing: Routing,
) -> None:
    site = routing.staff.site
    default = await report(routing, routing.staff.vp, "vp", [site], site_id=site)
    month = month_before(utcnow(), "Asia/Shanghai")
    assert default.json()["period"]["label"] == month.label
    assert (
        default.json()["previous_period"]["last"] == (month.first - timedelta(days=1)).isoformat()
    )
    today = utcnow().astimezone(ZONE).date()
    since = await report(
        routing, routing.staff.vp, "vp", [site], site_id=site, **{"from": month.first.isoformat()}
    )
    assert since.json()["period"]["last"] == today.isoformat()
