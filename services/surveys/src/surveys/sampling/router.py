"""Thin HTTP routes of sampling: the sample-size helper (who was drawn: `responses.router`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from surveys.access import Reader
from surveys.sampling import rules
from surveys.sampling.schemas import SizeRead

router = APIRouter(tags=["sampling"])


@router.get("/sampling/size", summary="Sample size for a frame at a confidence and margin")
async def sample_size(
    _principal: Reader,
    population: Annotated[int, Query(ge=1, le=100_000_000)],
    confidence: Annotated[float, Query(ge=0.5, le=0.999)] = 0.95,
    margin: Annotated[float, Query(ge=0.005, le=0.5)] = 0.05,
) -> SizeRead:
    size = rules.sample_size(population, confidence=confidence, margin=margin)
    z = round(rules.z_score(confidence), 6)
    return SizeRead(population=population, confidence=confidence, margin=margin, z=z, size=size)
