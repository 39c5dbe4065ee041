"""An outside fuzzer's walk of every notify operation: no 5xx, every answer as documented,
every error problem+json."""

from __future__ import annotations

import pytest
from notify_harness import Notify

from shared.testing.fuzz import fuzz_service

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_an_outside_fuzzer_finds_nothing(notify: Notify) -> None:
    await fuzz_service("notify", notify.client, notify.app, headers=notify.headers())
