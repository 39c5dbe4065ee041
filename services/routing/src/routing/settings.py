"""Routing's settings: the shared ones, read with the `ROUTING_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class RoutingSettings(ServiceSettings):
    service_name: ClassVar[str] = "routing"
    default_port: ClassVar[int] = 8002

    open_cases_refresh_interval: float = 15.0
