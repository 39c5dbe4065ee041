"""Outbound webhooks to app and call-center systems, signed per Standard Webhooks.

The webhook id is stable per delivery (`delivery-<id>`), so a receiver that saw a retry's
first attempt arrive can drop the second; the timestamp is the attempt's. A 2xx answer
counts as sent. Redirects are not followed: the target was checked, its redirect was not.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from notify import signing
from notify.channels import targets
from notify.channels.base import Outgoing, SendResult, permanent_http_status
from notify.settings import NotifySettings

EVENT_TYPE = "careloop.message"


class WebhookChannel:
    """POSTs each delivery as a signed JSON message."""

    name = "webhook"

    def __init__(self, settings: NotifySettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client

    @staticmethod
    def payload(delivery: Outgoing) -> dict[str, Any]:
        """The JSON body of one delivery."""
        return {
            "type": EVENT_TYPE,
            "delivery_id": delivery.id,
            "kind": delivery.kind,
            "site_id": delivery.site_id,
            "recipient": delivery.recipient_key,
            "complaint_id": delivery.complaint_id,
            "locale": delivery.locale,
            "subject": delivery.subject,
            "body": delivery.body,
        }

    def signed(self, delivery: Outgoing) -> tuple[bytes, list[str]]:
        """The body to send and the secrets to sign it with: a subscription's status event
        carries its own payload and secrets, any other message the deployment's."""
        if delivery.subscription_id is not None:
            return delivery.body.encode(), list(delivery.secrets)
        return orjson.dumps(self.payload(delivery)), self.settings.webhook_secrets

    async def send(self, delivery: Outgoing) -> SendResult:
        """Check the target, sign, POST; a 4xx refusal or an unsafe target is permanent."""
        body, secrets = self.signed(delivery)
        if not secrets:
            return SendResult.failed("no webhook secret configured (NOTIFY_WEBHOOK_SECRETS)")
        try:
            await targets.check(delivery.address, production=self.settings.is_production)
        except targets.UnsafeTargetError as exc:
            return SendResult.failed(str(exc), permanent=True)
        headers = signing.sign(secrets, f"delivery-{delivery.id}", body)
        headers["content-type"] = "application/json"
        try:
            answer = await self.client.post(
                delivery.address, content=body, headers=headers, timeout=self.settings.send_timeout
            )
        except httpx.HTTPError as exc:
            return SendResult.failed(f"webhook target unreachable: {exc!r}")
        code = answer.status_code
        if not answer.is_success:
            permanent = permanent_http_status(code)
            return SendResult.failed(
                f"webhook answered {code}", permanent=permanent, status_code=code
            )
        return SendResult.sent(status_code=code)
