"""Notify's settings: the shared ones, read with the `NOTIFY_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    service_name: ClassVar[str] = "notify"
    default_port: ClassVar[int] = 8004
