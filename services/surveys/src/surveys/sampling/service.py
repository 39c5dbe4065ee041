"""Use cases of sampling: draw a campaign's sample (key + random).

The frame is read with one aggregated statement, the random part is drawn in memory from
a stored seed, and the members are written with one executemany; the frame itself is kept
as a snapshot with its digest, so that an auditor can replay the draw.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import zlib
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utcnow
from shared.db.engine import after_commit
from shared.http.errors import ConflictError
from shared.words import value
from surveys import metrics
from surveys.campaigns import service as campaigns
from surveys.campaigns.rules import may_draw
from surveys.frame import service as frame
from surveys.sampling import rules
from surveys.sampling.models import frame_snapshot, sample_member
from surveys.sampling.schemas import DrawRead

YEAR = timedelta(days=365)


async def _rotated(
    session: AsyncSession, row: Row[Any], previous: Row[Any] | None
) -> dict[str, str]:
    """Last campaign's households (-> building) when this one rotates them out."""
    if previous is None or not row.sampling.get("rotate"):
        return {}
    query = select(sample_member.c.household_id, sample_member.c.building).where(
        sample_member.c.campaign_id == previous.id
    )
    return {str(h): str(b) for h, b in (await session.execute(query)).all()}


async def _key(
    session: AsyncSession,
    row: Row[Any],
    previous: Row[Any] | None,
    unsatisfied: set[str],
    now: datetime,
) -> tuple[dict[str, tuple[str, str, str]], dict[str, Any]]:
    """Key households of the site in the frame (and the campaign's scope): household ->
    (building, reason, detail), and their frame rows."""
    year_ago = now - YEAR
    since = previous.drawn_at if previous is not None else year_ago
    facts = await frame.key_facts(
        session, site_id=row.site_id, since=min(since, year_ago), unsatisfied=unsatisfied
    )
    reasons = rules.key_sample(
        facts,
        since=since,
        year_ago=year_ago,
        min_complaints=int(row.sampling.get("key_min_complaints", 0)),
    )
    places = await frame.present(session, site_id=row.site_id, ids=list(reasons))
    places = {h: p for h, p in places.items() if _in_scope(p, row.buildings)}
    return {h: (places[h].building, *r) for h, r in reasons.items() if h in places}, places


def _in_scope(place: Row[Any], buildings: list[str] | None) -> bool:
    return not buildings or place.building in buildings


def _plan(row: Row[Any]) -> rules.Plan:
    s = row.sampling
    return rules.Plan(s.get("rate"), s.get("size"), s["confidence"], s["margin"])


def pack(strata: dict[str, list[str]]) -> tuple[bytes, str]:
    """The frame as zlib-compressed JSON {building: [sorted ids]}, and the JSON's sha256.

    `strata` comes sorted from `frame.strata`. Unambiguous and replayable; compressed here
    because PostgreSQL's own compression of a large value costs seconds. zlib releases the
    GIL, so this runs in a thread beside the draw
    (https://docs.python.org/3/library/zlib.html).
    """
    document = orjson.dumps(strata, option=orjson.OPT_SORT_KEYS)
    return zlib.compress(document, 1), hashlib.sha256(document).hexdigest()


async def draw_sample(
    session: AsyncSession,
    *,
    row: Row[Any],
    by: str,
    previous: Row[Any] | None,
    unsatisfied: set[str],
    seed: int | None = None,
) -> DrawRead:
    """Draw the campaign's sample: every key household, plus a random sample of the rest.

    `previous` is the site's previous campaign and `unsatisfied` the households not
    satisfied in it, both key-sample facts from above sampling (`lifecycle.drawing.draw`).
    """
    if not may_draw(row.status):
        raise ConflictError(
            f"Campaign {row.id} is {row.status}; its sample was drawn already",
            zh=f"测评活动 {row.id} 当前为“{value('campaign_status', row.status, 'zh')}”"
            f"，样本已抽取过",
        )
    now, seed = utcnow(), seed if seed is not None else secrets.randbits(62)
    strata = await frame.strata(session, site_id=row.site_id, buildings=row.buildings)
    packing = asyncio.create_task(asyncio.to_thread(pack, strata))
    key, places = await _key(session, row, previous, unsatisfied, now)
    sample = rules.compose(
        strata,
        key=key,
        rotated=await _rotated(session, row, previous),
        plan=_plan(row),
        seed=seed,
        stratify=bool(row.sampling.get("stratify", True)),
    )
    await _store(session, row=row, sample=sample, places=places)
    digest = await _keep_snapshot(session, row, strata, sample.excluded, await packing)
    await campaigns.change(
        session,
        row=row,
        status="drawn",
        seed=seed,
        drawn_at=now,
        drawn_by=by,
        frame_size=sample.frame_size,
        key_size=len(sample.key),
        random_size=len(sample.random),
    )
    after_commit(session, lambda: _count(sample))
    return _drawn(row, sample, seed, digest)


def _count(sample: rules.Sample) -> None:
    metrics.households_drawn.labels("key").inc(len(sample.key))
    metrics.households_drawn.labels("random").inc(len(sample.random))


def _drawn(row: Row[Any], sample: rules.Sample, seed: int, digest: str) -> DrawRead:
    reasons = Counter(reason for _, reason, _ in sample.key.values())
    reasons[rules.RANDOM] = len(sample.random)
    return DrawRead(
        campaign_id=row.id,
        status="drawn",
        seed=seed,
        frame_size=sample.frame_size,
        key_size=len(sample.key),
        random_size=len(sample.random),
        sample_size=sample.size,
        excluded=sample.excluded,
        allocation=dict(sorted(Counter(b for _, b in sample.random).items())),
        reasons=dict(reasons),
        digest=digest,
    )


def _members(sample: rules.Sample) -> list[tuple[str, str, str, str | None]]:
    """(household, building, reason, detail) of every member, key ones first."""
    key = [(h, building, reason, detail) for h, (building, reason, detail) in sample.key.items()]
    return key + [(h, b, rules.RANDOM, None) for h, b in sample.random]


async def _store(
    session: AsyncSession, *, row: Row[Any], sample: rules.Sample, places: dict[str, Any]
) -> None:
    """Write the members with one executemany; the method comes from the frame's contacts."""
    drawn = [h for h, _ in sample.random]
    places = {**places, **await frame.present(session, site_id=row.site_id, ids=drawn)}
    values = [
        {
            "campaign_id": row.id,
            "household_id": household,
            "building": building,
            "reason": reason,
            "detail": detail,
            "key": reason != rules.RANDOM,
            "method": rules.assign_method(
                row.methods,
                has_contact=bool(places[household].has_contact),
                key=reason != rules.RANDOM,
            ),
        }
        for household, building, reason, detail in _members(sample)
        if household in places  # removed meanwhile by a concurrent event
    ]
    if values:
        await session.execute(sample_member.insert(), values)


async def _keep_snapshot(
    session: AsyncSession,
    row: Row[Any],
    strata: dict[str, list[str]],
    excluded: int,
    packed: tuple[bytes, str],
) -> str:
    members, digest = packed
    await session.execute(
        frame_snapshot.insert().values(
            campaign_id=row.id,
            households=sum(len(ids) for ids in strata.values()),
            strata={b: len(ids) for b, ids in sorted(strata.items())},
            digest=digest,
            members=members,
            excluded=excluded,
            taken_at=utcnow(),
        )
    )
    return digest
