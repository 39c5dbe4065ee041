"""Request body limits, answered as problem+json.

FastAPI's own `max_body_size` answers 413 in text/plain (Starlette's responder), which
breaks the promise that every error is RFC 9457; this limit answers like every other
error. A declared Content-Length over the limit is refused before anything is read; a
streamed body is cut off when it passes the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.errors import problem_response
from shared.http.language import preferred
from shared.words import Lang

DEFAULT_LIMIT = 64 * 1024
"""A complaint is at most 5,000 characters of text and a few fields."""
IMPORT_LIMIT = 32 * 1024 * 1024
"""A directory import of 20,000 rows is a few MB."""


def limit_for(path: str) -> int:
    """The largest body a request to `path` may send."""
    return IMPORT_LIMIT if path.endswith("/directory-import") else DEFAULT_LIMIT


class BodyLimit:
    """Refuses request bodies larger than their route allows, with a 413 problem."""

    def __init__(self, app: ASGIApp, *, limit: Callable[[str], int] = limit_for) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        lang = preferred(_header(scope, b"accept-language"))
        if _declared_length(scope) > limit:
            detail = _detail(limit, lang)
            response = problem_response(413, detail, instance=scope["path"], lang=lang)
            await response(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit, lang), send)


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers") or []:
        if name == wanted:
            return bytes(value).decode("latin-1")
    return None


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def _counting(receive: Receive, limit: int, lang: Lang) -> Receive:
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit:
            # Raised into whoever reads the body; the app's handlers make it problem+json.
            # (An HTTPException, not a ProblemError: FastAPI turns any other error raised
            # while it reads the body into a 400.) The detail is already in `lang`.
            raise HTTPException(413, _detail(limit, lang))
        return message

    return counted


def _detail(limit: int, lang: Lang = "en") -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    if lang == "zh":
        return f"请求体超过该接口允许的大小（{size}）"
    return f"The request body is larger than this route accepts ({size})"
