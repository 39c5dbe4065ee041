"""Copies of received messages, for moving them between a service's queues."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

# Headers the broker adds when it dead-letters a message; a moved copy starts afresh.
BROKER_DEATH_HEADERS = ("x-death", "x-first-death", "x-last-death")


def copy_message(
    message: AbstractIncomingMessage,
    *,
    headers: Mapping[str, Any] | None = None,
    drop: tuple[str, ...] = BROKER_DEATH_HEADERS,
    expiration: float | None = None,
) -> aio_pika.Message:
    """The same message (body, id, type, correlation) with headers starting `drop` removed
    and `headers` added."""
    kept = {k: v for k, v in (message.headers or {}).items() if not k.startswith(drop)}
    return aio_pika.Message(
        body=message.body,
        headers={**kept, **(headers or {})},
        message_id=message.message_id,
        type=message.type,
        app_id=message.app_id,
        correlation_id=message.correlation_id,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=message.timestamp,
        expiration=expiration,
    )
