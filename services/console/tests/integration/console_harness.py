"""The console in-process for its integration tests, and a way to be signed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from console.sessions import store
from console.sessions.store import Identity
from console.settings import ConsoleSettings
from shared.db.engine import transaction


@dataclass
class Console:
    """The console app, a client of it, and a way to be signed in."""

    settings: ConsoleSettings
    app: FastAPI
    client: httpx.AsyncClient

    async def session(
        self, *, expires_in: float = 3600, **changes: Any
    ) -> tuple[str, store.Person]:
        """A live session opened the way sign-in opens one; its cookie and its person."""
        identity = Identity(
            sub="h-test",
            name="测试",
            roles=["handler"],
            sites=["site-a"],
            token="token-of-h-test",
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
            via="development",
        )
        identity = Identity(**{**identity.__dict__, **changes})
        state = self.app.state.console
        async with transaction(state.db) as db:
            cookie = await store.open_session(
                db, identity=identity, sealer=state.sealer, longest=timedelta(hours=10)
            )
        async with transaction(state.db) as db:
            person = await store.find_person(db, cookie=cookie, sealer=state.sealer)
        assert person is not None or expires_in <= 0
        return cookie, person  # type: ignore[return-value]

    def signed_in(self, cookie: str) -> dict[str, str]:
        return {"Cookie": f"{self.app.state.console.cookie}={cookie}"}
