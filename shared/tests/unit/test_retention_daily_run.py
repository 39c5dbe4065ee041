"""A service's daily retention handler is the shared run with that service's parts."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from shared import retention
from shared.timers import Timer


async def _anonymise(session: Any, *, site_id: str, cutoff: datetime) -> None:
    raise AssertionError("run_due is replaced in this test")


async def test_the_handler_runs_the_shared_run_with_the_services_kind_and_counters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counters = SimpleNamespace(retention_runs=object(), records_anonymised=object())
    calls: list[tuple[Any, ...]] = []

    async def run_due(session: Any, due: Timer, **parts: Any) -> None:
        calls.append((session, due, parts))

    monkeypatch.setattr(retention, "run_due", run_due)
    handler = retention.daily_run("svc.retention", _anonymise, counters)
    due = Timer(
        1, "svc.retention", "site-1", datetime(2026, 3, 1, 19, tzinfo=UTC), {}, "site-1", None, 0
    )
    session = object()
    await handler(due, session=session)
    assert calls == [
        (
            session,
            due,
            {
                "kind": "svc.retention",
                "anonymise": _anonymise,
                "runs": counters.retention_runs,
                "anonymised": counters.records_anonymised,
            },
        )
    ]
