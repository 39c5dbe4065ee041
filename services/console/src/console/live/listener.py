"""The bus side of live updates: every case and callback event, as a hint for the hub.

Each console process binds a queue of its own (`declare_listener_queue`), so every
replica hears every event and tells its own browsers. Nothing here is durable or retried:
a hint missed while the process was down is made up for by the page's own refresh.
"""

from __future__ import annotations

from typing import Any

import orjson
from aio_pika.abc import AbstractIncomingMessage

from console.live.hub import Hint, Hub
from shared.bus.connection import Bus
from shared.bus.topology import declare_listener_queue
from shared.logging import get_logger
from shared.settings import ServiceSettings

log = get_logger(__name__)

ROUTING_KEYS = ("case.*", "sla.*", "callback.*", "complaint.*")


class Listener:
    """Consumes the process's listener queue into the hub."""

    def __init__(self, *, settings: ServiceSettings, bus: Bus, hub: Hub) -> None:
        self.settings = settings
        self.bus = bus
        self.hub = hub

    async def start(self) -> None:
        """Declare and bind the queue and start consuming (restored after reconnects)."""
        channel = await self.bus.channel(prefetch=256)
        queue = await declare_listener_queue(channel, self.settings, ROUTING_KEYS)
        await queue.consume(self._on_message, no_ack=True)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        hint = hint_of(message.body)
        if hint is not None:
            self.hub.tell(hint)


def hint_of(body: bytes) -> Hint | None:
    """The hint an event envelope gives (None for a body that is not an envelope)."""
    try:
        envelope: Any = orjson.loads(body)
        data = envelope.get("data") or {}
        return Hint(
            type=str(envelope["type"]),
            site_id=envelope.get("site_id") or data.get("site_id"),
            case_id=data.get("case_id"),
            complaint_id=data.get("complaint_id"),
        )
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError):
        log.warning("live update skipped: not an event envelope")
        return None
