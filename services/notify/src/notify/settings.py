"""Notify's settings: the shared ones, read with the `NOTIFY_` prefix first.

Every field below is read from `NOTIFY_<FIELD>` (e.g. `NOTIFY_SMTP_HOST`).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from notify.signing import key_of
from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    service_name: ClassVar[str] = "notify"
    default_port: ClassVar[int] = 8004

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_sender: str = "careloop <notify@careloop.invalid>"
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    """none: plain SMTP (a local relay); starttls: upgrade on port 587; tls: implicit, 465."""
    sms_gateway_url: str = ""
    """The SMS gateway's send endpoint (JSON POST); empty: SMS deliveries fail, counted."""
    sms_gateway_key: str = ""
    sms_template_id: str = ""
    webhook_secrets: list[str] = Field(default_factory=list)
    """`whsec_<base64>` secrets, newest first; several during a rotation (JSON list)."""
    webhook_tolerance: float = 300.0
    """Seconds a received webhook's timestamp may differ from now."""
    webhook_pause_after: int = Field(default=5, ge=1)
    """Deliveries of a webhook subscription failed for good in a row before it is paused."""
    webhook_rotation_hours: float = Field(default=24.0, ge=0)
    """After a subscription's secret is rotated, how long the old one still signs too."""
    send_timeout: float = 15.0
    delivery_max_attempts: int = 6
    delivery_backoff_base: float = 30.0
    """Seconds before the first retry; doubled each further attempt."""
    delivery_backoff_max: float = 3600.0
    delivery_lease: float = 120.0
    """Seconds a claimed delivery is held by one replica before another may try it."""
    dispatcher_interval: float = 1.0
    dispatcher_batch: int = 50
    gauge_interval: float = 30.0
    public_url: str = ""
    """Where residents reach notify (callback links); default http://host:port."""
    callback_max_attempts: int = Field(default=3, ge=1)
    """Calls that reach nobody before a callback is recorded as unreachable."""
    callback_retry_hours: float = Field(default=4.0, ge=0)
    """After a call that reached nobody, the next is due this much later (in working hours)."""
    callback_overdue_hours: float = Field(default=48.0, ge=0)
    """A due callback not done within this many hours counts as overdue."""
    callback_link_days: float = Field(default=14.0, gt=0)
    """How long the resident's single-use callback link works."""
    callback_working_days: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5])
    """ISO weekdays (1 = Monday … 7 = Sunday) on which the office calls residents back."""

    @field_validator("webhook_secrets")
    @classmethod
    def _whsec(cls, secrets: list[str]) -> list[str]:
        for secret in secrets:  # refused at start-up, not at the first webhook
            if not secret.startswith("whsec_") or not key_of(secret):
                raise ValueError("NOTIFY_WEBHOOK_SECRETS holds whsec_<base64> secrets only")
        return secrets

    def link_base(self) -> str:
        """The base of callback links, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
