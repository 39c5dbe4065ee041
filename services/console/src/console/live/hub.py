"""Live updates: who is watching, and which of them an event may be told to.

An event reaches a browser only if the person may see its site, the same rule every
service applies to every read (`Principal.sees`). What is pushed is a hint (which case
changed), never the case itself: the page then asks the services again with the
person's own token, so a live update can never show more than a reload would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from console import metrics
from shared.http.auth import Principal

BACKLOG = 100


@dataclass(frozen=True)
class Hint:
    """Something changed: an event's type, its site, and the case it is about."""

    type: str
    site_id: str | None
    case_id: str | None = None
    complaint_id: str | None = None

    def names(self) -> list[str]:
        """The SSE event names a page listens for: the area, and the one case."""
        area = "callback" if self.type.startswith("callback.") else "case"
        found = [area]
        if self.case_id:
            found.append(f"case-{self.case_id}")
        return found


@dataclass(eq=False)
class Watcher:
    """One open live connection of one session."""

    session_id: str
    principal: Principal
    inbox: asyncio.Queue[Hint] = field(default_factory=lambda: asyncio.Queue(BACKLOG))
    closed: asyncio.Event = field(default_factory=asyncio.Event)


class Hub:
    """The open live connections of this process."""

    def __init__(self) -> None:
        self._watchers: set[Watcher] = set()

    @contextmanager
    def watch(self, session_id: str, principal: Principal) -> Iterator[Watcher]:
        """Register a connection for as long as the block runs."""
        watcher = Watcher(session_id, principal)
        self._watchers.add(watcher)
        metrics.live_connections.set(len(self._watchers))
        try:
            yield watcher
        finally:
            self._watchers.discard(watcher)
            metrics.live_connections.set(len(self._watchers))

    def tell(self, hint: Hint) -> int:
        """Hand the hint to every watcher who may see its site; how many were told."""
        told = 0
        for watcher in self._watchers:
            if watcher.principal.sees(hint.site_id) and not watcher.inbox.full():
                watcher.inbox.put_nowait(hint)
                told += 1
        metrics.live_events.labels("told" if told else "unseen").inc()
        return told

    def close_session(self, session_id: str) -> None:
        """End the connections of a session that signed out."""
        for watcher in self._watchers:
            if watcher.session_id == session_id:
                watcher.closed.set()
