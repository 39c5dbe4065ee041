"""Intake's settings: the shared ones, read with the `INTAKE_` prefix first."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: ClassVar[str] = "intake"
    default_port: ClassVar[int] = 8001
    relay_bulk_types: tuple[str, ...] = ("household.",)
    """A directory import writes a household event per row: complaints go first."""
