"""The reference endpoints DESIGN.md §12 measures intake against, served by uvicorn.

    BENCH_MODE=naive|raw BENCH_DATABASE_URL=postgresql+asyncpg://... BENCH_PORT=... \\
        python -m bench.limits_app

- naive: a bare FastAPI endpoint in one process doing a SQLModel insert of the complaint
  row plus an outbox row (no auth, no idempotency, no logs, no metrics);
- raw: the same endpoint with one plain asyncpg insert.
Both take the same JSON body intake takes and answer 201 with the new id.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Column, DateTime, LargeBinary, Text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlmodel import Field, SQLModel

MODE = os.environ.get("BENCH_MODE", "naive")
URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
PORT = int(os.environ.get("BENCH_PORT", "8090"))


class BenchComplaint(SQLModel, table=True):
    __tablename__ = "bench_complaint"

    id: str = Field(primary_key=True)
    site_id: str
    channel: str
    kind: str
    category: str
    severity: str
    description: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class BenchOutbox(SQLModel, table=True):
    __tablename__ = "bench_outbox"

    id: str = Field(primary_key=True)
    type: str
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


RAW_INSERT = (
    "INSERT INTO bench_complaint (id, site_id, channel, kind, category, severity, description,"
    " received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
)

app = FastAPI()
state: dict[str, Any] = {}


@app.on_event("startup")
async def start() -> None:
    engine = create_async_engine(URL, pool_size=20)
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    state["engine"] = engine
    state["pool"] = await asyncpg.create_pool(
        URL.replace("postgresql+asyncpg://", "postgresql://"), min_size=5, max_size=20
    )


@app.post("/v1/complaints", status_code=201)
async def post(request: Request) -> Response:
    body = orjson.loads(await request.body())
    complaint_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    if MODE == "raw":
        await state["pool"].execute(
            RAW_INSERT,
            complaint_id,
            body["site_id"],
            body["channel"],
            body["kind"],
            body["category"],
            body.get("severity", "normal"),
            body["description"],
            now,
        )
    else:
        async with AsyncSession(state["engine"]) as session:
            session.add(BenchComplaint(id=complaint_id, received_at=now, **_fields(body)))
            session.add(
                BenchOutbox(
                    id=str(uuid.uuid4()),
                    type="complaint.received",
                    body=orjson.dumps(body),
                    created_at=now,
                )
            )
            await session.commit()
    return Response(
        orjson.dumps({"id": complaint_id}), status_code=201, media_type="application/json"
    )


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    keys = ("site_id", "channel", "kind", "category", "description")
    return {**{k: body[k] for k in keys}, "severity": body.get("severity", "normal")}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
