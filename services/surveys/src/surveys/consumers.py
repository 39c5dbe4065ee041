"""Which event types surveys handles, and by whom."""

from __future__ import annotations

from shared.bus.consumer import Handler

HANDLERS: dict[str, Handler] = {}
