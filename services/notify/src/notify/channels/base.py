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
    subscription_id: int | None = None
    """Set for a webhook subscription's status event: its body is the final JSON payload."""
    secrets: tuple[str, ...] = ()
    """The subscription's signing secrets, newest first (two during a rotation)."""


@dataclass(frozen=True)
class SendResult:
    """What a channel did with one delivery."""

    ok: bool
    error: str | None = None
    permanent: bool = False
    """A failure that no retry can heal (a refused address): give up at once."""
    provider_ref: str | None = None
    status_code: int | None = None
    """The HTTP status the receiver answered, for channels that speak HTTP."""

    @classmethod
    def sent(cls, provider_ref: str | None = None, *, status_code: int | None = None) -> SendResult:
        return cls(ok=True, provider_ref=provider_ref, status_code=status_code)

    @classmethod
    def failed(
        cls, error: str, *, permanent: bool = False, status_code: int | None = None
    ) -> SendResult:
        return cls(ok=False, error=error[:1000], permanent=permanent, status_code=status_code)


class Channel(Protocol):
    """Hands deliveries to one way of reaching people."""

    name: str

    async def send(self, delivery: Outgoing) -> SendResult:
        """Send one delivery; never raises for a failed send, returns a failed result."""
        ...


def permanent_http_status(status: int) -> bool:
    """A 4xx answer other than timeout, conflict and rate limit will not change on retry."""
    return 400 <= status < 500 and status not in (408, 409, 425, 429)
