"""The resident's side of a callback: open the link sent with the reply, answer once.

A link is refused when its token is unknown, when the callback was answered already (by
the resident, or by staff who reached them on the phone), or when it has expired.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks import rules, service
from notify.callbacks.models import callback
from notify.callbacks.schemas import AttemptIn
from shared.clock import utcnow

Refusal = Literal["unknown", "used", "expired"]


class LinkRefusedError(Exception):
    """The link cannot be used; `reason` says why, for the page the resident sees."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


async def open_link(session: AsyncSession, *, token: str, lock: bool = False) -> Row[Any]:
    """The callback behind a usable link, or LinkRefusedError."""
    query = select(callback).where(callback.c.token_hash == rules.hash_token(token))
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    found = (await session.execute(query)).first()
    if found is None:
        raise LinkRefusedError("unknown")
    if not rules.link_usable(found.status):
        raise LinkRefusedError("used")
    if found.link_expires_at is None or found.link_expires_at <= utcnow():
        raise LinkRefusedError("expired")
    return found


async def answer(
    session: AsyncSession,
    *,
    token: str,
    satisfied: bool | None,
    comment: str | None,
    levels: Mapping[str, str] | None = None,
) -> str:
    """The resident's answer: the callback is completed (`callback.completed` goes out),
    which spends the link; the callback's id."""
    found = await open_link(session, token=token, lock=True)
    data = AttemptIn.model_validate(
        {"reached": True, "satisfied": satisfied, "comment": comment, **(levels or {})}
    )
    data = service.settled(data)
    await service.record_link_attempt(session, found, data)
    await service.finish(session, found, data, via="link", by=None)
    return str(found.id)
