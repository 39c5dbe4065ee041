"""Surveys's settings: the shared ones, read with the `SURVEYS_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class SurveysSettings(ServiceSettings):
    service_name: ClassVar[str] = "surveys"
    default_port: ClassVar[int] = 8003
