"""An outside fuzzer's walk of every routing operation: no 5xx, every answer as documented,
every error problem+json."""

from __future__ import annotations

import pytest
from routing_harness import Routing

from shared.testing.fuzz import fuzz_service

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_an_outside_fuzzer_finds_nothing(routing: Routing) -> None:
    headers = routing.headers("fuzzer", "admin", sites=[routing.staff.site])
    await fuzz_service("routing", routing.client, routing.app, headers=headers)
