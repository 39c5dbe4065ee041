"""In production, webhooks go only to HTTPS targets outside private ranges: a hook that
points inside fails at once, counted, and nothing is called."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from notify_harness import Notify, complaint, eventually, hex_id, household
from notify_receivers import HttpServer

from notify.settings import NotifySettings

pytestmark = pytest.mark.integration


@pytest.fixture
def notify_settings(
    database_url: str, make_settings: Callable[..., Any], http_server: HttpServer
) -> NotifySettings:
    """Production settings (this module's notify runs with them)."""
    settings: NotifySettings = make_settings(
        NotifySettings,
        database_url=database_url,
        env="production",
        jwt_secret="a-production-secret-of-forty-characters!",
        log_format="console",
        webhook_secrets=[f"whsec_{'QUJD' * 8}"],
        delivery_max_attempts=3,
        delivery_backoff_base=0.05,
        dispatcher_interval=0.05,
    )
    assert settings.is_production
    return settings


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1:{port}/hooks/new", "must be https"),
        ("https://127.0.0.1:{port}/hooks/new", "private or reserved"),
        ("https://localhost:{port}/hooks/new", "private or reserved"),
    ],
)
async def test_a_hook_pointing_inside_is_refused_in_production(
    notify: Notify, http_server: HttpServer, target: str, reason: str
) -> None:
    site = hex_id("site-")
    one = household(site, phones=["13800000001"])
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    url = target.format(port=http_server.port)
    await notify.ok(
        "PATCH",
        f"/v1/contacts/{one.household_id}",
        json={"channels": ["webhook"], "webhook_url": url},
    )

    source = await notify.emit(complaint(site, one.household_id))
    [delivery] = await notify.settled(source, 1)

    assert (delivery["status"], delivery["attempts"]) == ("failed", 1)
    assert reason in delivery["last_error"]
    assert http_server.hits == []
