"""Small checks every service's tests use."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from shared.http.errors import PROBLEM_JSON


async def eventually(
    check: Callable[[], Awaitable[Any]], expected: Any, *, timeout: float = 30
) -> Any:
    """Poll `check` until it returns `expected`; returns the last value either way."""
    deadline = time.monotonic() + timeout
    value = await check()
    while value != expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        value = await check()
    return value


async def past(moment: datetime, *, margin: float = 0.5) -> None:
    """Until the wall clock is `margin` seconds past `moment` (a deadline read from the
    system): what waits for a deadline to pass, in a process whose clock is not frozen."""
    await asyncio.sleep(max((moment - datetime.now(UTC)).total_seconds() + margin, 0))


async def watched(*, seconds: float, why: str) -> None:
    """Watch for `seconds` that something does NOT happen, where no later marker can prove
    it would have happened by then; `why` says why that long is enough."""
    if seconds <= 0 or not why.strip():
        raise ValueError("say how long is watched (seconds > 0) and why that is enough")
    await asyncio.sleep(seconds)


def is_problem(response: httpx.Response, status: int | None = None) -> bool:
    """A problem+json response of a 4xx status (or exactly `status`)."""
    ok_status = response.status_code == status if status else 400 <= response.status_code < 500
    body = response.json() if response.content else {}
    return (
        ok_status
        and response.headers.get("content-type", "").startswith(PROBLEM_JSON)
        and body.get("status") == response.status_code
        and isinstance(body.get("detail"), str)
    )
