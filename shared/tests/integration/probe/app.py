"""The probe service: one write route, one handler, a counter and a projection."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime
from typing import ClassVar

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus import ordering, outbox
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived
from shared.db.engine import dialect_insert, transaction
from shared.http.app import DatabaseDep, ServiceSpec, create_app
from shared.settings import ServiceSettings

metadata = MetaData()
handled = Table(
    "probe_handled",
    metadata,
    Column("complaint_id", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)
projection = Table(
    "probe_projection",
    metadata,
    Column("aggregate_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("state", String(200), nullable=False),
)
applied = Table(
    "probe_applied",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("aggregate_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)


class ProbeSettings(ServiceSettings):
    service_name: ClassVar[str] = "probe"
    default_port: ClassVar[int] = 8099


def complaint(complaint_id: str, description: str = "leaking pipe") -> ComplaintReceived:
    """A valid complaint.received for the probe."""
    now = datetime.now(UTC)
    return ComplaintReceived(
        complaint_id=complaint_id,
        reference=f"PR-{complaint_id[:8]}",
        site_id="site-probe",
        channel="phone",
        kind="complaint",
        category="maintenance",
        description=description,
        reporter_type="visitor",
        received_at=now,
    )


async def on_complaint_received(
    event: ComplaintReceived, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Count the complaint; apply aggregate versions strictly in order; fail or dawdle on
    request."""
    if os.environ.get("PROBE_FAIL_WORD", "FAIL") in event.description:
        raise RuntimeError("the probe was told to fail")
    if "SLOW" in event.description:
        await asyncio.sleep(0.25)
    await _count(session, event.complaint_id)
    aggregate, version = envelope.aggregate_id, envelope.aggregate_version
    if not (aggregate and version):
        return
    if await ordering.apply_in_order(session, aggregate_id=aggregate, version=version):
        await _project(session, aggregate, version, event.description)


async def _count(session: AsyncSession, complaint_id: str) -> None:
    bumped = await session.execute(
        update(handled)
        .where(handled.c.complaint_id == complaint_id)
        .values(count=handled.c.count + 1)
    )
    if not bumped.rowcount:  # type: ignore[attr-defined]
        await session.execute(handled.insert().values(complaint_id=complaint_id, count=1))


async def _project(session: AsyncSession, aggregate_id: str, version: int, state: str) -> None:
    await session.execute(applied.insert().values(aggregate_id=aggregate_id, version=version))
    await session.execute(
        dialect_insert(session)(projection)
        .values(aggregate_id=aggregate_id, version=version, state=state)
        .on_conflict_do_update(
            index_elements=[projection.c.aggregate_id], set_={"version": version, "state": state}
        )
    )


class Record(BaseModel):
    complaint_id: str
    description: str = "leaking pipe"
    kill_after_commit: bool = False


router = APIRouter()


@router.post("/probe/complaints", status_code=201)
async def record(body: Record, db: DatabaseDep) -> dict[str, str]:
    """Commit an outbox row; optionally die before the relay can publish it."""
    async with transaction(db) as session:
        message_id = await outbox.add(
            session, complaint(body.complaint_id, body.description), site_id="site-probe"
        )
    if body.kill_after_commit:
        os.kill(os.getpid(), signal.SIGKILL)
    return {"message_id": message_id}


@router.get("/probe/handled")
async def count_handled(db: DatabaseDep) -> dict[str, int]:
    """How many distinct complaints were handled."""
    async with db.read_sessions() as session:
        rows = (await session.execute(select(handled.c.complaint_id))).all()
    return {"handled": len(rows)}


def build() -> object:
    spec = ServiceSpec(
        settings=ProbeSettings(),
        title="careloop probe",
        public_routers=[router],
        handlers={"complaint.received": on_complaint_received},
    )
    return create_app(spec)
