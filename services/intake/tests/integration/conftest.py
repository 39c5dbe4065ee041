"""Fixtures of intake's integration tests: the app in-process on the test's database
(SQLite and PostgreSQL in turn) and the real broker."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

# The harness module sits beside this file (pytest imports tests with importlib, which
# does not put their folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake_harness import Intake

from intake.main import create_app
from intake.settings import IntakeSettings
from shared.bus.topology import declare_exchange

pytestmark = pytest.mark.integration


@pytest.fixture
def intake_settings(database_url: str, make_settings: Callable[..., Any]) -> IntakeSettings:
    settings: IntakeSettings = make_settings(IntakeSettings, database_url=database_url)
    return settings


@pytest.fixture
async def intake(intake_settings: IntakeSettings) -> AsyncIterator[Intake]:
    """Intake running in this process: migrated, relaying, consuming, firing timers."""
    app = create_app(intake_settings)
    connection = await aio_pika.connect(intake_settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_exchange(channel, intake_settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://intake", timeout=120
            ) as client:
                yield Intake(intake_settings, app, client, channel, exchange)
    finally:
        await connection.close()
