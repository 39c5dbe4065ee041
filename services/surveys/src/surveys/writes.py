"""Where residents reach surveys: the base of the links write routes hand out."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.http.app import RuntimeDep
from surveys.settings import SurveysSettings


def link_base(runtime: RuntimeDep) -> str:
    """Where residents reach this service: the base of questionnaire links."""
    settings = runtime.settings
    if isinstance(settings, SurveysSettings):
        return settings.link_base()
    return f"http://{settings.host}:{settings.port}"


LinkBase = Annotated[str, Depends(link_base)]
