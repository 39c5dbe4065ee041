"""API models of samples: the draw's outcome, each member and why, the size helper."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.http.pagination import Page


class DrawRead(BaseModel):
    """What a draw did: the frame's size, the seed, and who came in for which reason."""

    campaign_id: str
    status: str
    seed: int
    frame_size: int
    key_size: int
    random_size: int
    sample_size: int
    excluded: int = Field(description="households rotated out or already in the key sample")
    allocation: dict[str, int] = Field(description="random households per building")
    reasons: dict[str, int] = Field(description="households per reason")
    digest: str = Field(description="sha256 of the frame snapshot")


class MemberRead(BaseModel):
    """A household of the sample: where it lives, why it was drawn, whether it answered."""

    household_id: str
    building: str
    unit: str | None = Field(default=None, description="from the frame; None if unknown")
    reason: str
    detail: str | None
    key: bool
    method: str
    response_id: str | None = Field(default=None, description="its response, once it answered")


MemberPage = Page[MemberRead]


class SizeRead(BaseModel):
    """The finite-population sample size for a proportion at a confidence and margin."""

    population: int
    confidence: float
    margin: float
    z: float
    size: int
