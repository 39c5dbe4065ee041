"""A database outage holds messages instead of spending their retries.

The probe reaches PostgreSQL through a TCP proxy the test cuts (every connection closed,
new ones refused) and restores, so the server itself never stops under other tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from urllib.parse import urlsplit

import pytest
from probe.app import complaint
from probe.harness import Probe, envelope, publish_event

from shared.testing.checks import eventually, watched
from shared.testing.plugin import free_port

pytestmark = pytest.mark.integration


class Cuttable:
    """A TCP proxy to one server: `cut()` drops every connection and refuses new ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._open |= {writer, up_writer}
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    def url(self, database_url: str) -> str:
        parts = urlsplit(database_url)
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        return parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host).geturl()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.transport.abort()


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_messages_wait_out_a_database_outage_and_none_is_parked(probe: Probe) -> None:
    parts = urlsplit(probe.settings.database_url)
    proxy = Cuttable(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.restore()
    probe.settings = probe.settings.model_copy(
        update={"database_url": proxy.url(probe.settings.database_url)}
    )
    proc = probe.process(start=False)
    await asyncio.to_thread(proc.start)  # the proxy serves on this loop meanwhile
    for _ in range(20):
        await publish_event(probe, envelope(complaint(str(uuid.uuid4()))))
    assert await probe.wait_for("SELECT count(*) FROM probe_handled", 20) == 20

    await proxy.cut()
    for _ in range(30):
        await publish_event(probe, envelope(complaint(str(uuid.uuid4()))))

    async def holding() -> bool:
        return "database unavailable; holding messages" in proc.log()

    assert await eventually(holding, True)  # the consumer met the outage
    # Held messages leave no trace to wait on while the database is away.
    await watched(seconds=2.0, why="far past every retry of the probe's (3, 0.2 s at most)")
    await proxy.restore()

    assert await probe.wait_for("SELECT count(*) FROM probe_handled", 50) == 50
    assert await probe.queue_depth(probe.settings.queue_name(".parking")) == 0
    assert await probe.scalar("SELECT max(count) FROM probe_handled") == 1
    assert "database unavailable; holding messages" in proc.log()
    await proxy.cut()
