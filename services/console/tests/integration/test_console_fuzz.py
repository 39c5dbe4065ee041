"""An outside fuzzer's walk of the console's JSON operations (its pages are walked by the
guard test and the browser tests): no 5xx, every answer as documented."""

from __future__ import annotations

import pytest
from console_harness import Console

from shared.testing.fuzz import fuzz_service

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_an_outside_fuzzer_finds_nothing(console: Console) -> None:
    await fuzz_service("console", console.client, console.app, headers={})
