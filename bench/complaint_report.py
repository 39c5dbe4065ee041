"""Benchmark of the complaint report over a million complaints (DESIGN.md §12: ≤ 1 s).

    .venv/bin/python -m bench.complaint_report [--cases 1000000] [--runs 7] [--explain]

A fresh, migrated routing database on the local PostgreSQL (dropped afterwards) is filled
with one site's cases, all received within the report's period (a quarter), with their
history (assigned, accepted, escalated, resolved, closed and reopened entries) and a
spread of categories, kinds, channels, departments, validity, deadlines met and missed,
escalations, reopens and callbacks, by INSERT ... SELECT generate_series. The report is
then produced as the route produces it (scope check, figures, names, JSON) several times;
p50 and max are printed with their ratio to the target. The figure is printed, never
asserted. Talks only to the local database (DATABASE_URL, or the default local server).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import date

import asyncpg

from bench.common import database, percentile
from routing.main import SERVICE_DIR
from routing.reports import queries, service
from routing.reports.periods import period_of, previous
from routing.reports.router import render
from shared.clock import utcnow
from shared.db.engine import Database, reading
from shared.db.migrations import upgrade_async
from shared.http.auth import Principal, Role

TARGET_SECONDS = 1.0
SITE = "site-bench"
FIRST, LAST, ZONE = date(2026, 7, 1), date(2026, 9, 30), "Asia/Shanghai"
READER = Principal(sub="bench", name="bench", roles=frozenset({Role.VP}), sites=frozenset({SITE}))

CASES = """
SELECT setseed(0.20261127);
INSERT INTO "case" (
  id, complaint_id, site_id, reference, channel, kind, category, severity, reporter_type,
  household_id, description, location, received_at, status, level, department, handler_id,
  owner_id, validity, invalid_reason, opened_at, acknowledged_at, acknowledge_due_at,
  acknowledge_breached_at, resolve_due_at, resolve_breached_at, reminders, resolved_at,
  closed_at, reopen_count, escalation_count, version, updated_at)
SELECT 'case-' || i, 'complaint-' || i, $1, 'TS-' || i,
  (ARRAY['call_center','phone','face_to_face','suggestion_box','letter','web','app',
         'callback','staff_finding'])[1 + (r1 * 9)::int % 9],
  (ARRAY['complaint','complaint','grievance','inquiry','suggestion'])[1 + (r2 * 5)::int % 5],
  (ARRAY['housing_management','security','vehicles','cleaning','greening','maintenance',
         'community_activities','convenience_services','fees','other'])[1 + (r3 * 10)::int % 10],
  'normal', 'household', 'hh-' || (i % 50000), '楼道灯坏了', '3-2-501', received,
  CASE WHEN r4 < 0.7 THEN 'closed' WHEN r4 < 0.85 THEN 'resolved' ELSE 'in_progress' END,
  CASE WHEN r5 < 0.08 THEN 'dept_head' WHEN r5 < 0.10 THEN 'vp' ELSE 'handler' END,
  (ARRAY['customer_service','engineering','security','cleaning','greening',
         'housing_management','finance'])[1 + (r3 * 7)::int % 7],
  'h-' || (i % 40), 'h-' || (i % 40),
  CASE WHEN r6 < 0.75 THEN 'valid' WHEN r6 < 0.95 THEN 'invalid' END,
  CASE WHEN r6 >= 0.75 AND r6 < 0.95 THEN
    (ARRAY['developer','external_environment','public_facility_outside_jurisdiction',
           'not_a_complaint'])[1 + (r2 * 4)::int % 4] END,
  received + interval '1 minute',
  CASE WHEN r4 < 0.97 THEN received + (r1 * 6) * interval '1 hour' END,
  received + interval '4 hours',
  CASE WHEN r4 < 0.97 AND r1 * 6 > 4 THEN received + interval '4 hours' END,
  received + interval '27 hours',
  CASE WHEN r4 < 0.85 AND r2 * 40 > 27 THEN received + interval '27 hours' END,
  0,
  CASE WHEN r4 < 0.85 THEN received + (r2 * 40) * interval '1 hour' END,
  CASE WHEN r4 < 0.7 THEN received + interval '3 days' END,
  CASE WHEN r5 < 0.05 THEN 1 ELSE 0 END,
  CASE WHEN r5 < 0.08 THEN 1 WHEN r5 < 0.10 THEN 2 ELSE 0 END,
  4, received + interval '3 days'
FROM (
  SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
         random() AS r6,
         $2::timestamptz + (i::float / $3) * ($4::timestamptz - $2::timestamptz) AS received
  FROM generate_series(0, $3 - 1) AS i
) AS spread
"""
ENTRIES = """
INSERT INTO case_entry (case_id, version, type, actor, at, data)
SELECT id, 1, 'case.assigned', NULL, opened_at, '{}'::json FROM "case"
UNION ALL
SELECT id, 2, 'case.accepted', handler_id, acknowledged_at, '{}'::json
  FROM "case" WHERE acknowledged_at IS NOT NULL
UNION ALL
SELECT id, 3, 'case.escalated', NULL, received_at + interval '5 hours',
  json_build_object('level', 'dept_head', 'reason',
                    CASE WHEN reopen_count > 0 THEN 'unsatisfied' ELSE 'sla' END)
  FROM "case" WHERE escalation_count >= 1
UNION ALL
SELECT id, 4, 'case.escalated', NULL, received_at + interval '6 hours',
  '{"level": "vp", "reason": "transmittal"}'::json FROM "case" WHERE escalation_count >= 2
UNION ALL
SELECT id, 5, 'case.resolved', handler_id, resolved_at, '{}'::json
  FROM "case" WHERE resolved_at IS NOT NULL
UNION ALL
SELECT id, 6, 'case.closed', NULL, closed_at, '{}'::json FROM "case" WHERE closed_at IS NOT NULL
"""


async def fill(url: str, cases: int) -> float:
    """Insert the cases and their history; seconds it took."""
    started = time.perf_counter()
    period = period_of(FIRST, LAST, ZONE)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        async with conn.transaction():
            seed, insert = CASES.strip().split(";", 1)
            await conn.execute(seed)
            await conn.execute(insert, SITE, period.start, cases, period.end)
            await conn.execute(ENTRIES)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def report_once(db: Database) -> tuple[float, int]:
    """The report as the route makes it; (seconds, complaints counted)."""
    started = time.perf_counter()
    period = period_of(FIRST, LAST, ZONE)
    async with reading(db) as session, reading(db) as helper:
        await queries.pair(session, helper)
        cover = await service.coverage(session, principal=READER, site_id=SITE, region=None)
        report = await service.build_report(
            session, cover=cover, period=period, as_of=utcnow(), helper=helper
        )
        names = await service.names_for(session, sites=cover.sites, lang="zh")
    render(report, "json", "zh", names)
    return time.perf_counter() - started, int(report.figure("complaints").value or 0)


async def explain(url: str) -> None:
    """EXPLAIN ANALYZE of each statement of the report."""
    period = period_of(FIRST, LAST, ZONE)
    window = queries.Window((SITE,), period, previous(period))
    statements = {
        "tallies": queries.tallies_statement(window, utcnow()),
        "percentiles": queries.percentiles_statement(window),
        "escalations": queries.escalations_statement(window),
    }
    db = Database(url, pool_size=1)
    try:
        async with reading(db) as session:
            for tuning in queries.TUNING:
                await session.execute(tuning)
            for name, statement in statements.items():
                compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
                connection = await session.connection()
                rows = await connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}")
                print(f"-- {name}\n" + "\n".join(r[0] for r in rows))
    finally:
        await db.dispose()


async def bench(cases: int, runs: int, show_plans: bool = False) -> dict[str, float]:
    """Fill a fresh database, then time the report `runs` times."""
    async with database("postgresql", "report_bench") as url:
        await upgrade_async(SERVICE_DIR, url)
        loaded = await fill(url, cases)
        if show_plans:
            await explain(url)
        db = Database(url, pool_size=2)
        try:
            await report_once(db)  # warm the pool and the caches, as a running service has them
            timed = [await report_once(db) for _ in range(runs)]
        finally:
            await db.dispose()
    seconds = [t for t, _ in timed]
    p50, worst = percentile(seconds, 50), max(seconds)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    verdict = "within" if p50 <= TARGET_SECONDS else "OVER"
    print(
        f"complaint report over {timed[0][1]:,} complaints (PostgreSQL): p50 {p50:.3f} s, "
        f"max {worst:.3f} s over {runs} runs ({p50 / TARGET_SECONDS:.2f} x the "
        f"{TARGET_SECONDS:.0f} s target, {verdict}); loaded in {loaded:.1f} s; load average {load}"
    )
    return {"p50": p50, "max": worst, "runs": runs, "complaints": timed[0][1], "loaded": loaded}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print each statement's plan")
    args = parser.parse_args()
    await bench(args.cases, args.runs, args.explain)


if __name__ == "__main__":
    asyncio.run(main())
