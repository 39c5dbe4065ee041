"""`GET /live`: the signed-in person's stream of hints (server-sent events).

Pages listen with htmx's SSE extension: a queue reloads itself on `case`, a case page
shows who changed it on `case-<id>`, the callback list reloads on `callback`. Every few
seconds of silence the stream sends a comment (keeps proxies from closing it) and checks
that the session still exists: a person who signed out, anywhere, stops hearing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from console.live.hub import Hint, Watcher
from console.sessions import store
from console.sessions.store import Person
from console.web.auth import CurrentPerson
from console.web.state import Console, console_of
from shared.clock import utcnow
from shared.db.engine import reading

router = APIRouter(include_in_schema=False)


@router.get("/live", response_class=EventSourceResponse)
async def live(request: Request, person: CurrentPerson) -> AsyncIterator[ServerSentEvent]:
    console = console_of(request)
    with console.hub.watch(person.session_id, person.principal) as watcher:
        yield ServerSentEvent(comment="connected", retry=5000)
        while await _still_signed_in(console, person, watcher):
            hint = await _next_hint(watcher, console.settings.live_keepalive)
            if hint is None:
                yield ServerSentEvent(comment="keepalive")
                continue
            for name in hint.names():
                yield ServerSentEvent(event=name, data={"type": hint.type, "case": hint.case_id})


async def _next_hint(watcher: Watcher, wait: float) -> Hint | None:
    try:
        return await asyncio.wait_for(watcher.inbox.get(), timeout=wait)
    except TimeoutError:
        return None


async def _still_signed_in(console: Console, person: Person, watcher: Watcher) -> bool:
    if watcher.closed.is_set() or person.expires_at <= utcnow():
        return False
    if not watcher.inbox.empty():
        return True
    async with reading(console.db) as session:
        return await store.session_exists(session, session_id=person.session_id)
