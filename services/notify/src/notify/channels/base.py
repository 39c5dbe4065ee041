"""The one small interface every channel has: `async def send(delivery) -> SendResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One claimed delivery with its message, ready for a channel."""

    id: int
    channel: str
    address: str
    recipient_key: str
    site_id: str
    source_id: str
    kind: str
    locale: str
    subject: str
    body: str
    complaint_id: str | None
    attempt: int


@dataclass(frozen=True)
class SendResult:
    """What a channel did with one delivery."""

    ok: bool
    error: str | None = None
    permanent: bool = False
    """A failure that no retry can heal (a refused address): give up at once."""
    provider_ref: str | None = None

    @classmethod
    def sent(cls, provider_ref: str | None = None) -> SendResult:
        return cls(ok=True, provider_ref=provider_ref)

    @classmethod
    def failed(cls, error: str, *, permanent: bool = False) -> SendResult:
        return cls(ok=False, error=error[:1000], permanent=permanent)


class Channel(Protocol):
    """Hands deliveries to one way of reaching people."""

    name: str

    async def send(self, delivery: Outgoing) -> SendResult:
        """Send one delivery; never raises for a failed send, returns a failed result."""
        ...


def permanent_http_status(status: int) -> bool:
    """A 4xx answer other than timeout, conflict and rate limit will not change on retry."""
    return 400 <= status < 500 and status not in (408, 409, 425, 429)
