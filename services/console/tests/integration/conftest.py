"""Fixtures of the console's integration tests: the console in-process on the test's
database (SQLite and PostgreSQL in turn), with the four services unreachable — what these
tests prove must hold before any service is asked."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

# The harness module sits beside this file (pytest imports tests with importlib, which
# does not put their folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from console_harness import Console

from console.main import SERVICE_DIR, create_app
from console.settings import ConsoleSettings
from shared.db.migrations import upgrade_async
from shared.testing.plugin import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def console_settings(database_url: str, make_settings: Callable[..., Any]) -> ConsoleSettings:
    nowhere = f"http://127.0.0.1:{free_port()}"  # no service answers here
    settings: ConsoleSettings = make_settings(
        ConsoleSettings,
        database_url=database_url,
        intake_url=nowhere,
        routing_url=nowhere,
        surveys_url=nowhere,
        notify_url=nowhere,
        api_timeout=2.0,
    )
    return settings


@pytest.fixture
async def console(console_settings: ConsoleSettings) -> AsyncIterator[Console]:
    """The console migrated and in-process (no lifespan: no broker needed)."""
    await upgrade_async(SERVICE_DIR, console_settings.database_url)
    app = create_app(console_settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as client:
            yield Console(console_settings, app, client)
    finally:
        await app.state.runtime.db.dispose()
        await app.state.console.services.close()
