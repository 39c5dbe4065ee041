"""Fixtures of the end-to-end tests: the console's world of five processes and a browser."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# Harness modules sit beside this file and in notify's tests (pytest imports tests with
# importlib, which does not put their folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services/notify/tests/integration"))

from console_world import World
from notify_receivers import MailServer

from console.settings import ConsoleSettings
from shared.testing.browser import chromium
from shared.testing.plugin import forget_topologies, free_port, settings_for_test
from shared.testing.system import SERVICES, PatientClient, System, settings_class


@pytest.fixture(scope="session")
async def world(
    amqp_url: str, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    """Intake, routing, surveys, notify and the console as processes, started once by each
    test process that runs a console browser test (each module is an xdist group of its
    own, so groups spread over the workers), with small connection pools so that the other
    workers' tests find PostgreSQL connections free."""
    run_id = f"t{uuid.uuid4().hex[:10]}"
    data = tmp_path_factory.mktemp("world")
    mail = MailServer()
    mail.start()
    common = {"amqp_url": amqp_url, "run_id": run_id, "data_dir": data, "db_pool_size": 2}
    made = [
        settings_for_test(settings_class(name), port=free_port(), **common) for name in SERVICES
    ]
    urls = {f"{s.service_name}_url": f"http://127.0.0.1:{s.port}" for s in made}
    made = [
        s.model_copy(
            update={
                "smtp_port": mail.port,
                "dispatcher_interval": 0.2,
                "callback_working_days": [1, 2, 3, 4, 5, 6, 7],
            }
        )
        if s.service_name == "notify"
        else s
        for s in made
    ]
    console = settings_for_test(ConsoleSettings, port=free_port(), **urls, **common)
    system = System([*made, console], admin_url=postgres_url, run_id=run_id, log_dir=data)
    try:
        async with system, chromium() as browser, PatientClient() as client:
            await system.start()
            world = World(system, browser, client)
            yield world
            # Names and phone numbers masked in every service's log, whatever the tests did.
            assert len(list(data.glob("*.log"))) == 5
            assert world.personal_data_in_logs(data) == {}
    finally:
        mail.stop()
        await forget_topologies([*made, console])
