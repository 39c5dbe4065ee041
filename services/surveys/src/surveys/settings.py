"""Surveys's settings: the shared ones, read with the `SURVEYS_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class SurveysSettings(ServiceSettings):
    service_name: ClassVar[str] = "surveys"
    default_port: ClassVar[int] = 8003
    relay_bulk_types: tuple[str, ...] = ("survey.invitation_issued", "survey.reminder_issued")
    """A campaign's draw and reminders write an event per sampled household."""

    public_url: str = ""
    """Where residents reach this service (the questionnaire links); default http://host:port."""
    gauge_interval: float = 60.0
    """Seconds between two readings of the satisfaction gauges from the database."""

    def link_base(self) -> str:
        """The base of questionnaire links, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
