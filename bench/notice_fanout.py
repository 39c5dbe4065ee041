"""Benchmark of a notice to 100,000 households (DESIGN.md §12: every delivery queued ≤ 20 s).

    .venv/bin/python -m bench.notice_fanout [--households 100000] [--backends postgresql,sqlite]

For each database: a fresh, migrated notify database (a new PostgreSQL database, dropped
afterwards, or a temporary SQLite file) is filled with the households' contacts of one site
(every one with a phone, one in three with an e-mail too), a notice to the whole site is
scheduled through the service as POST /v1/notices does it, and the scheduler fires its
publish timer — the real code path: claim the timer, read the households in scope, record
whom the notice reaches, queue one delivery per household channel, commit. The time from
the timer's claim to the commit is the figure, printed with its ratio to the 20 s target
and never asserted. Talks only to the local database (DATABASE_URL, or the local server).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy import text

from bench.common import database
from notify.main import SERVICE_DIR
from notify.notices import service as notices
from notify.notices.schemas import NoticeCreate
from notify.notices.timers import TIMERS
from notify.settings import NotifySettings
from shared.clock import utcnow
from shared.db.engine import Database, transaction
from shared.db.migrations import upgrade_async
from shared.http.auth import Principal, Role
from shared.timers import Scheduler

TARGET_SECONDS = 20.0
BUILDINGS = 200
SITE = "site-bench"
OFFICE = Principal(
    sub="bench", name="bench", roles=frozenset({Role.ADMIN}), sites=frozenset({SITE})
)
COLUMNS = ("household_id", "site_id", "building_id", "unit_id", "building", "unit", "name")
COLUMNS += ("phone", "email", "opted_out", "updated_at")


def contacts(count: int) -> list[tuple[object, ...]]:
    """`count` households over BUILDINGS buildings; all have a phone, one in three an e-mail."""
    now = datetime.now(UTC)
    return [
        (
            str(uuid.uuid4()),
            SITE,
            f"b{n % BUILDINGS:03d}",
            f"u{n:07d}",
            f"{n % BUILDINGS + 1}栋",
            f"{n // BUILDINGS + 101}",
            "Bench Resident",
            f"139{n:08d}",
            f"r{n}@example.com" if n % 3 == 0 else None,
            n % 10 == 0,  # opted out: safety and outage notices still reach them
            now,
        )
        for n in range(count)
    ]


async def load_postgresql(url: str, rows: list[tuple[object, ...]]) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await conn.copy_records_to_table("household_contact", records=rows, columns=COLUMNS)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def load_sqlite(path: str, rows: list[tuple[object, ...]]) -> None:
    conn = sqlite3.connect(path)
    try:
        iso = [(*r[:10], r[10].isoformat(sep=" ")) for r in rows]  # type: ignore[attr-defined]
        marks = ",".join("?" * len(COLUMNS))
        conn.executemany(
            f"INSERT INTO household_contact ({','.join(COLUMNS)}) VALUES ({marks})", iso
        )
        conn.commit()
    finally:
        conn.close()


async def schedule(db: Database) -> str:
    """A water outage for the whole site, due now, as POST /v1/notices schedules it."""
    body = NoticeCreate(
        site_id=SITE,
        kind="water_outage",
        title="全区停水检修",
        body="因市政供水管网维修，届时全区停水，请提前储水。",
        starts_at=utcnow() + timedelta(days=1),
        ends_at=utcnow() + timedelta(days=1, hours=8),
    )
    async with transaction(db) as session:
        return (await notices.create_notice(session, data=body, by=OFFICE)).id


async def publish(db: Database, url: str) -> float:
    """Fire the notice's publish timer; the seconds until its fan-out was committed."""
    scheduler = Scheduler(settings=NotifySettings(database_url=url), db=db, handlers=TIMERS)
    started = time.perf_counter()
    fired = await scheduler.fire_due(limit=1)
    elapsed = time.perf_counter() - started
    if fired != 1:
        raise SystemExit("the notice's publish timer did not fire")
    return elapsed


async def counted(db: Database, notice_id: str) -> tuple[int, int, str]:
    """(deliveries queued, household channels recorded, the notice's status)."""
    async with db.engine.connect() as conn:
        queued = (
            await conn.execute(
                text("SELECT count(*) FROM delivery WHERE source_id = :s"),
                {"s": f"notice:{notice_id}:1"},
            )
        ).scalar_one()
        notice = (
            await conn.execute(
                text("SELECT recipients, status FROM notice WHERE id = :i"), {"i": notice_id}
            )
        ).one()
    return int(queued), int(notice.recipients), str(notice.status)


async def bench(backend: str, rows: list[tuple[object, ...]]) -> dict[str, object]:
    async with database(backend, "notify_bench") as url:
        await upgrade_async(SERVICE_DIR, url)
        loading = time.perf_counter()
        if backend == "sqlite":
            await asyncio.to_thread(load_sqlite, url.split(":///", 1)[1], rows)
        else:
            await load_postgresql(url, rows)
        loaded = time.perf_counter() - loading
        db = Database(url, pool_size=2)
        try:
            notice_id = await schedule(db)
            elapsed = await publish(db, url)
            queued, recorded, status = await counted(db, notice_id)
        finally:
            await db.dispose()
    if queued != recorded or status != "published":
        raise SystemExit(f"{backend}: {queued} deliveries for {recorded} recipients ({status})")
    verdict = "within" if elapsed <= TARGET_SECONDS else "OVER"
    print(
        f"{backend:>10}: notice to {len(rows):,} households, {queued:,} deliveries queued in "
        f"{elapsed:.2f} s ({elapsed / TARGET_SECONDS:.2f} x the {TARGET_SECONDS:.0f} s target, "
        f"{verdict}); contacts loaded in {loaded:.1f} s"
    )
    return {"backend": backend, "seconds": elapsed, "deliveries": queued, "loaded": loaded}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--backends", default="postgresql")
    args = parser.parse_args()
    rows = contacts(args.households)
    for backend in args.backends.split(","):
        await bench(backend.strip(), rows)


if __name__ == "__main__":
    asyncio.run(main())
