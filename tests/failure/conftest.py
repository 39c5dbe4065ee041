"""The failure drills' fixture: every service as a real process on PostgreSQL and RabbitMQ.

A drill marked `own_vhost` runs on a RabbitMQ virtual host of its own, so cutting every
connection of it touches nobody else's tests.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

# The drills' helpers are a module beside this file (the tests are not a package); its
# asserts report their values like a test's.
sys.path.insert(0, str(Path(__file__).resolve().parent))
pytest.register_assert_rewrite("drill")

from drill import Drill  # noqa: E402 -- after its rewrite is registered

from shared.testing.plugin import free_port  # noqa: E402
from shared.testing.system import System, service_settings  # noqa: E402


@pytest.fixture
async def drill(
    make_settings: Callable[..., Any],
    postgres_url: str,
    run_id: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Drill]:
    """All four services started on fresh databases, and one site set up in them."""
    overrides: dict[str, Any] = {}
    if request.node.get_closest_marker("own_vhost"):
        _vhost, overrides["amqp_url"] = request.getfixturevalue("own_vhost")
    settings = service_settings(make_settings, port=free_port, **overrides)
    async with System(settings, admin_url=postgres_url, run_id=run_id, log_dir=tmp_path) as system:
        await system.start()
        drill = Drill(system)
        await drill.set_up_site()
        yield drill
