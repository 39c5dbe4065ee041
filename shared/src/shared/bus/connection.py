"""A robust broker connection that survives broker restarts and dropped connections.

aio-pika's robust connection reopens channels and restores exchanges, queues, bindings and
consumers after a reconnect, so no process restart is needed:
https://docs.aio-pika.com/apidoc.html#aio_pika.connect_robust
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractRobustConnection

from shared.logging import get_logger

log = get_logger(__name__)


class Bus:
    """The service's connection and a publisher-confirms channel."""

    def __init__(self, url: str, *, name: str) -> None:
        self.url = url
        self.name = name
        self.connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self.down_since: float | None = time.monotonic()
        self._closing = False

    async def connect(self) -> None:
        """Connect (retrying in the background after the first success)."""
        self.connection = await aio_pika.connect_robust(
            self.url,
            client_properties={"connection_name": f"{self.name}:{os.getpid()}"},
            reconnect_interval=1,
            fail_fast=True,
        )
        self.connection.close_callbacks.add(self._on_close)
        self.connection.reconnect_callbacks.add(self._on_reconnect)
        self.down_since = None

    async def channel(
        self, *, confirms: bool = False, prefetch: int | None = None
    ) -> AbstractChannel:
        """A new channel; with confirms, unroutable publishes raise instead of vanishing."""
        if self.connection is None:
            raise RuntimeError("Bus.connect() first")
        channel = await self.connection.channel(
            publisher_confirms=confirms, on_return_raises=confirms
        )
        if prefetch:
            await channel.set_qos(prefetch_count=prefetch)
        return channel

    async def publish_channel(self) -> AbstractChannel:
        """The shared channel for confirmed publishing."""
        if self._publish_channel is None or self._publish_channel.is_closed:
            self._publish_channel = await self.channel(confirms=True)
        return self._publish_channel

    @property
    def is_connected(self) -> bool:
        return self.connection is not None and self.connection.connected.is_set()

    async def close(self) -> None:
        """Close the connection and all its channels."""
        if self.connection is not None:
            self._closing = True
            connection, self.connection = self.connection, None
            try:
                async with asyncio.timeout(5):
                    await connection.close()
            except Exception as exc:  # closing a connection that is already gone
                log.info("broker connection close failed", error=repr(exc))

    def _on_close(self, _sender: Any, exc: BaseException | None = None) -> None:
        if self.down_since is None:
            self.down_since = time.monotonic()
        if self._closing:
            return
        log.warning("broker connection lost", connection=self.name, error=repr(exc))

    def _on_reconnect(self, _sender: Any) -> None:
        down = time.monotonic() - self.down_since if self.down_since is not None else 0.0
        self.down_since = None
        log.info("broker connection restored", connection=self.name, after_seconds=round(down, 1))
