"""`Server-Timing` on every page: its whole time on the server and how much of it was spent
waiting on the services (`app;dur=…, api;dur=…;desc="<n> calls"`), for the browser's
developer tools and for the benchmark, which reads the same header."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console.backend.client import Waited, waited


class ServerTiming:
    """Measures each HTTP request and reports it in a `Server-Timing` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, spent = time.perf_counter(), Waited()
        token = waited.set(spent)

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = _header(time.perf_counter() - started, spent)
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", value.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            waited.reset(token)


def _header(total: float, spent: Waited) -> str:
    return (
        f'app;dur={total * 1000:.1f}, api;dur={spent.seconds * 1000:.1f};desc="{spent.calls} calls"'
    )
