"""SMS through a configurable HTTP gateway: a JSON POST; a 2xx answer counts as sent.

The request: `POST <NOTIFY_SMS_GATEWAY_URL>` with `Authorization: Bearer <key>` and
`{"to", "template_id", "text", "params": {"subject", "body"}, "reference"}`; the gateway's
`id` (or `message_id`) in the answer is kept to match its delivery receipts.
"""

from __future__ import annotations

from typing import Any

import httpx

from notify.channels.base import Outgoing, SendResult, permanent_http_status
from notify.settings import NotifySettings


class SmsChannel:
    """Sends each delivery as one SMS through the gateway."""

    name = "sms"

    def __init__(self, settings: NotifySettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client

    def payload(self, delivery: Outgoing) -> dict[str, Any]:
        """The gateway request of one delivery."""
        return {
            "to": delivery.address,
            "template_id": self.settings.sms_template_id,
            "text": f"{delivery.subject}\n{delivery.body}",
            "params": {"subject": delivery.subject, "body": delivery.body},
            "reference": f"delivery-{delivery.id}",
        }

    async def send(self, delivery: Outgoing) -> SendResult:
        """POST to the gateway; a 4xx refusal is permanent, anything else is retried."""
        url = self.settings.sms_gateway_url
        if not url:
            return SendResult.failed("no SMS gateway configured (NOTIFY_SMS_GATEWAY_URL)")
        key = self.settings.sms_gateway_key
        # A gateway without a key (a local sink) is sent no Authorization header: an empty
        # bearer is not a header value HTTP allows, and the send would fail every time.
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        try:
            answer = await self.client.post(
                url,
                json=self.payload(delivery),
                headers=headers,
                timeout=self.settings.send_timeout,
            )
        except httpx.HTTPError as exc:
            return SendResult.failed(f"SMS gateway unreachable: {exc!r}")
        if not answer.is_success:
            permanent = permanent_http_status(answer.status_code)
            return SendResult.failed(
                f"SMS gateway answered {answer.status_code}", permanent=permanent
            )
        return SendResult.sent(provider_ref=_reference(answer))


def _reference(answer: httpx.Response) -> str | None:
    try:
        body = answer.json()
    except ValueError:
        return None
    found = body.get("id") or body.get("message_id") if isinstance(body, dict) else None
    return str(found)[:100] if found else None
