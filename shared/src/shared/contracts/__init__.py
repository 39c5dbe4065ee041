"""Event contracts: the envelope, the registry, and one module per producing service."""

from shared.contracts import intake, notify, routing, surveys
from shared.contracts.base import (
    Envelope,
    Event,
    MalformedMessageError,
    dump_envelope,
    parse_message,
    registry,
)

__all__ = [
    "Envelope",
    "Event",
    "MalformedMessageError",
    "dump_envelope",
    "intake",
    "notify",
    "parse_message",
    "registry",
    "routing",
    "surveys",
]
