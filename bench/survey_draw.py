"""Benchmark of the survey draw from a frame of a million households (DESIGN.md §12: ≤ 2 s).

    .venv/bin/python -m bench.survey_draw [--households 1000000] [--backends postgresql,sqlite]

For each database: a fresh, migrated surveys database (a new PostgreSQL database, dropped
afterwards, or a temporary SQLite file) is filled with the frame spread over 400 buildings
and a complainant registry, a campaign is planned, and `lifecycle.drawing.draw` runs in its own
transaction as the draw route runs it: frame read, key sample, stratified random sample,
members written, frame snapshot kept, commit. The figure is printed, never asserted.
Talks only to the local database (DATABASE_URL, or the default local server).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg

from bench.common import database
from shared.clock import utcnow
from shared.db.engine import Database, transaction
from shared.db.migrations import upgrade_async
from shared.http.auth import Principal, Role
from surveys.campaigns import service as campaigns
from surveys.campaigns.schemas import CampaignCreate, SamplingIn
from surveys.lifecycle import drawing
from surveys.main import SERVICE_DIR

TARGET_SECONDS = 2.0
BUILDINGS = 400
COMPLAINERS = 3000
SITE = "site-bench"
PLANNER = Principal(sub="bench", name="bench", roles=frozenset({Role.ADMIN}), sites=frozenset("*"))
FRAME_COLUMNS = ("household_id", "site_id", "building", "unit", "phone", "has_contact")
FRAME_COLUMNS += ("occupancy", "updated_at", "removed_at")


def frame_rows(count: int) -> Iterator[tuple[object, ...]]:
    """A frame of `count` households over BUILDINGS buildings; two in three have a phone."""
    now = datetime.now(UTC)
    for n in range(count):
        phone = "139" + f"{n:08d}" if n % 3 else None
        yield (str(uuid.uuid4()), SITE, f"B{n % BUILDINGS:03d}", f"{n // BUILDINGS}")
        yield (phone, phone is not None, "owner", now, None)


def rows(count: int) -> list[tuple[object, ...]]:
    made = iter(frame_rows(count))
    return [(*a, *b) for a, b in zip(made, made, strict=True)]


def marks(households: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """A complaint within the year for COMPLAINERS households, some recent."""
    now = datetime.now(UTC)
    return [
        (str(uuid.uuid4()), h[0], SITE, "complaint", "cleaning", now - timedelta(days=n % 300), 0)
        for n, h in enumerate(households[:COMPLAINERS])
    ]


MARK_COLUMNS = ("complaint_id", "household_id", "site_id", "kind", "category", "received_at")
MARK_COLUMNS += ("reopens",)


async def load_postgresql(url: str, frame: list[tuple[object, ...]]) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await conn.copy_records_to_table("frame_household", records=frame, columns=FRAME_COLUMNS)
        await conn.copy_records_to_table(
            "complaint_mark", records=marks(frame), columns=MARK_COLUMNS
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def load_sqlite(path: str, frame: list[tuple[object, ...]]) -> None:
    conn = sqlite3.connect(path)
    try:
        iso = [(*r[:7], r[7].isoformat(sep=" "), None) for r in frame]  # type: ignore[attr-defined]
        conn.executemany(f"INSERT INTO frame_household VALUES ({','.join('?' * 9)})", iso)
        mark = [(*m[:5], m[5].isoformat(sep=" "), m[6]) for m in marks(frame)]  # type: ignore[attr-defined]
        conn.executemany(
            f"INSERT INTO complaint_mark ({','.join(MARK_COLUMNS)}) VALUES (?,?,?,?,?,?,?)", mark
        )
        conn.commit()
    finally:
        conn.close()


async def plan(db: Database) -> str:
    body = CampaignCreate(
        site_id=SITE,
        kind="special",
        title="Bench survey",
        sampling=SamplingIn(confidence=0.95, margin=0.03),
        opens_at=utcnow(),
        closes_at=utcnow() + timedelta(days=14),
    )
    async with transaction(db) as session:
        return (await campaigns.create_campaign(session, data=body, by=PLANNER.sub)).id


async def draw_once(db: Database, campaign_id: str) -> tuple[float, str]:
    started = time.perf_counter()
    async with transaction(db) as session:
        row = await campaigns.get_row(session, campaign_id=campaign_id)
        drawn = await drawing.draw(session, row=row, by="bench", seed=20261127)
    elapsed = time.perf_counter() - started
    summary = f"key {drawn.key_size} + random {drawn.random_size} of {drawn.frame_size:,}"
    return elapsed, summary


async def bench(backend: str, frame: list[tuple[object, ...]]) -> dict[str, object]:
    async with database(backend, "surveys_bench") as url:
        await upgrade_async(SERVICE_DIR, url)
        loading = time.perf_counter()
        if backend == "sqlite":
            await asyncio.to_thread(load_sqlite, url.split(":///", 1)[1], frame)
        else:
            await load_postgresql(url, frame)
        loaded = time.perf_counter() - loading
        db = Database(url, pool_size=2)
        try:
            elapsed, summary = await draw_once(db, await plan(db))
        finally:
            await db.dispose()
    verdict = "within" if elapsed <= TARGET_SECONDS else "OVER"
    print(
        f"{backend:>10}: draw {elapsed:.2f} s ({elapsed / TARGET_SECONDS:.2f} x the "
        f"{TARGET_SECONDS:.0f} s target, {verdict}); {summary}; frame loaded in {loaded:.1f} s"
    )
    return {"backend": backend, "seconds": elapsed, "summary": summary, "loaded": loaded}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--backends", default="postgresql,sqlite")
    args = parser.parse_args()
    frame = rows(args.households)
    for backend in args.backends.split(","):
        await bench(backend.strip(), frame)


if __name__ == "__main__":
    asyncio.run(main())
