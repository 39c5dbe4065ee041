"""Pure decisions about webhook subscriptions: which careloop event is which status change,
when a failing subscription is paused, what a URL and a secret must look like."""

from __future__ import annotations

from typing import Literal, get_args
from urllib.parse import urlsplit

from notify.settings import NotifySettings
from notify.signing import PREFIX, key_of

ACTIVE = "active"
PAUSED = "paused"
FAILING = "failing"
REQUESTED = "requested"
EVERY_SITE = "*"
RECIPIENT = "subscription:"
LOCALE = "json"
"""The `message.locale` of a status event: its body is the JSON payload, in no language."""

EventType = Literal[
    "complaint.received",
    "complaint.assigned",
    "complaint.progressed",
    "complaint.resolved",
    "complaint.closed",
    "complaint.reopened",
    "complaint.withdrawn",
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)

STATUS_OF: dict[str, str] = {
    "complaint.received": "received",
    "case.assigned": "assigned",
    "case.progressed": "progressed",
    "case.resolved": "resolved",
    "case.closed": "closed",
    "case.closed_unreachable": "closed",
    "case.reopened": "reopened",
    "case.withdrawn": "withdrawn",
}
"""careloop event → the status it gives the complaint. A withdrawal is announced once, by
routing's `case.withdrawn` (it follows intake's `complaint.withdrawn` and carries the case's
version); a close after an unanswered callback is a close (`data.event` tells them apart)."""


def webhook_type(event_type: str) -> str:
    """The webhook's type for a careloop event: `complaint.<status>`."""
    return f"complaint.{STATUS_OF[event_type]}"


def pauses(consecutive_failures: int, status: str, settings: NotifySettings) -> bool:
    """True when an active subscription's failure streak has reached the limit."""
    return status == ACTIVE and consecutive_failures >= settings.webhook_pause_after


def url_problem(url: str) -> tuple[str, str] | None:
    """Why `url` cannot be a subscription's endpoint (in English and Chinese), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            "url must be an http:// or https:// URL with a host",
            "url 须是带主机名的 http:// 或 https:// 网址",
        )
    if parts.username or parts.password:
        return (
            "url must not carry credentials: the signature authenticates notify",
            "url 不能包含用户名或密码：notify 以签名证明身份",
        )
    return None


def secret_problem(secret: str) -> tuple[str, str] | None:
    """Why `secret` cannot sign a subscription's webhooks (in English and Chinese), or None."""
    if not secret.startswith(PREFIX):
        return ("secret must be whsec_ followed by base64", "secret 须是 whsec_ 加 base64 编码")
    try:
        key = key_of(secret)
    except ValueError as exc:
        return (str(exc), "webhook 密钥须是 whsec_ 加 base64 编码")
    if not 24 <= len(key) <= 64:
        return (
            "secret's key must be 24 to 64 bytes (Standard Webhooks)",
            "secret 的密钥须为 24 到 64 字节（Standard Webhooks）",
        )
    return None
