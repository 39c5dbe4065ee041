"""Migration 0003 builds exactly the notice and callback tables their models describe, on
both databases, and goes down to 0002 and up again."""

from __future__ import annotations

from typing import Any

import pytest

import notify.callbacks.models
import notify.notices.models  # noqa: F401  (the tables register on notify's metadata)
from notify.main import SERVICE_DIR
from notify.models import metadata
from shared.testing.migrations import assert_round_trip, differences

pytestmark = pytest.mark.integration

MINE = {"notice", "notice_recipient", "callback", "callback_attempt"}


def _table_of(diff: Any) -> str | None:
    """The table a difference is about (alembic reports tuples, or lists of them)."""
    first = diff[0] if isinstance(diff, list) else diff
    for part in first[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in MINE:
            return str(name)
    return None


async def test_migration_0003_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    mine = differences(metadata, only=lambda diff: _table_of(diff) in MINE)
    await assert_round_trip(SERVICE_DIR, database_url, tables=MINE, down_to="0002", compare=mine)
