"""Standard Webhooks signatures (https://www.standardwebhooks.com/), for senders and receivers.

The signed content is `{webhook-id}.{webhook-timestamp}.{body}`; the signature is the
base64 HMAC-SHA256 of it under the secret's key, sent as `v1,<signature>`. Secrets are
`whsec_<base64 key>`; during a rotation the sender signs with every current secret and
sends the signatures space-separated, so receivers holding either secret accept it.
A receiver rejects a stale timestamp (beyond the tolerance, either way) and an id it has
already seen, which together stop replays.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as random
import time
from collections.abc import Mapping, Sequence
from typing import Protocol

PREFIX = "whsec_"
TOLERANCE = 300.0


class WebhookVerificationError(ValueError):
    """A received webhook is not to be trusted; `reason` says why."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def new_secret() -> str:
    """A fresh random secret, `whsec_` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(random.token_bytes(32)).decode()


def key_of(secret: str) -> bytes:
    """The HMAC key inside a `whsec_` secret."""
    encoded = secret.removeprefix(PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except ValueError:
        raise ValueError("a webhook secret is whsec_ followed by base64") from None


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature of a message."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(
    secrets: Sequence[str], msg_id: str, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    """The three headers of a signed message, one signature per secret."""
    when = int(time.time()) if timestamp is None else timestamp
    signatures = " ".join(signature(s, msg_id, when, body) for s in secrets)
    return {"webhook-id": msg_id, "webhook-timestamp": str(when), "webhook-signature": signatures}


class SeenIds(Protocol):
    """Where a receiver remembers the ids it accepted (shared between its replicas)."""

    def first_time(self, msg_id: str, timestamp: int) -> bool:
        """Record `msg_id`; False when it was seen before."""
        ...


class MemorySeenIds:
    """A seen-id store for one process: ids older than the tolerance are forgotten, since
    the timestamp check rejects their replays anyway."""

    def __init__(self, tolerance: float = TOLERANCE) -> None:
        self.tolerance = tolerance
        self._seen: dict[str, int] = {}

    def first_time(self, msg_id: str, timestamp: int) -> bool:
        horizon = time.time() - 2 * self.tolerance
        self._seen = {k: t for k, t in self._seen.items() if t >= horizon}
        if msg_id in self._seen:
            return False
        self._seen[msg_id] = timestamp
        return True


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secrets: Sequence[str],
    *,
    seen: SeenIds,
    tolerance: float = TOLERANCE,
    now: float | None = None,
) -> str:
    """Check a received webhook; its id when it is genuine, fresh and new, else
    WebhookVerificationError."""
    msg_id, stamp, signatures = _headers(headers)
    current = time.time() if now is None else now
    if abs(current - stamp) > tolerance:
        raise WebhookVerificationError("stale", "the webhook-timestamp is outside the tolerance")
    offered = [s.partition(",")[2] for s in signatures.split() if s.startswith("v1,")]
    expected = [signature(s, msg_id, stamp, body).partition(",")[2] for s in secrets]
    if not any(hmac.compare_digest(o, e) for o in offered for e in expected):
        raise WebhookVerificationError("bad_signature", "no signature matches a known secret")
    if not seen.first_time(msg_id, stamp):
        raise WebhookVerificationError("replayed", f"webhook {msg_id} was received before")
    return msg_id


def _headers(headers: Mapping[str, str]) -> tuple[str, int, str]:
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id = lower["webhook-id"]
        stamp = int(lower["webhook-timestamp"])
        signatures = lower["webhook-signature"]
    except (KeyError, ValueError):
        raise WebhookVerificationError(
            "missing_headers", "webhook-id, webhook-timestamp and webhook-signature are required"
        ) from None
    return msg_id, stamp, signatures
