"""Fixtures of notify's integration tests: the app in-process on the test's database
(SQLite and PostgreSQL in turn), the real broker, and real SMTP and HTTP servers for the
channels to talk to."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The harness modules sit beside this file (pytest imports tests with importlib, which
# does not put their folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from notify_harness import Notify, running
from notify_receivers import HttpServer, MailServer

from notify.settings import NotifySettings
from notify.signing import new_secret

pytestmark = pytest.mark.integration

SECRETS = [new_secret(), new_secret()]
"""The sender's secrets during a rotation: the new one first, the old one still valid."""


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def http_server() -> AsyncIterator[HttpServer]:
    server = HttpServer(hook_secrets={"new": SECRETS[:1], "old": SECRETS[1:]})
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def notify_settings(
    database_url: str,
    make_settings: Callable[..., Any],
    mail_server: MailServer,
    http_server: HttpServer,
) -> NotifySettings:
    settings: NotifySettings = make_settings(
        NotifySettings,
        database_url=database_url,
        smtp_host="127.0.0.1",
        smtp_port=mail_server.port,
        sms_gateway_url=f"{http_server.base}/sms",
        sms_gateway_key="gateway-key",
        sms_template_id="SMS_0042",
        webhook_secrets=SECRETS,
        send_timeout=5.0,
        delivery_max_attempts=3,
        delivery_backoff_base=0.05,
        delivery_backoff_max=0.2,
        dispatcher_interval=0.05,
        gauge_interval=0.2,
    )
    return settings


@pytest.fixture
async def notify(notify_settings: NotifySettings) -> AsyncIterator[Notify]:
    """Notify running in this process: migrated, relaying, consuming, dispatching."""
    async with running(notify_settings) as service:
        yield service
