"""Intake's settings: the shared ones, read with the `INTAKE_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: ClassVar[str] = "intake"
    default_port: ClassVar[int] = 8001
