"""Routing's settings: the shared ones, read with the `ROUTING_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from shared.settings import ServiceSettings


class RoutingSettings(ServiceSettings):
    service_name: ClassVar[str] = "routing"
    default_port: ClassVar[int] = 8002

    open_cases_refresh_interval: float = 15.0

    # Rectifications and corrective/preventive actions (issue 5).
    recurring_threshold: int = Field(default=5, ge=1)
    """Valid complaints of one category at one site, within the window, that make it recur."""
    recurring_window_days: int = Field(default=30, ge=1)
    """The window of a recurring problem, and of the complaint count that verifies an action."""
    improvement_gauges_refresh_interval: float = 15.0
    """Seconds between two reads of the rectification and corrective-action gauges."""

    # The complaint report (issue 5).
    report_timezone: str = "Asia/Shanghai"
    """The zone whose calendar days and months complaint reports cover."""
    report_interval: float = 3600.0
    """Seconds between two looks for monthly complaint reports due (every replica looks)."""
    public_url: str = ""
    """Where staff reach routing (links in published reports); default http://host:port."""

    def link_base(self) -> str:
        """The base of links to routing's pages, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
