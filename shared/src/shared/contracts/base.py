"""The event envelope and the registry of event contracts.

An event type is `<aggregate>.<verb-past-tense>`; its contract is a pydantic model that
names its type and version as class attributes. Within a version only additive, optional
changes are allowed; a breaking change is a new class (`ComplaintReceivedV2`) registered
under the same type with the next version, and consumers accept every version in flight.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Event(BaseModel):
    """The `data` of one event type at one version."""

    type: ClassVar[str]
    version: ClassVar[int] = 1
    source: ClassVar[str]

    model_config = ConfigDict(extra="ignore", frozen=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            registry.register(cls)


class Envelope(BaseModel):
    """What travels on the bus: routing facts around one event's data (DESIGN.md §4)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(description="UUID of this message; also the AMQP message_id")
    type: str = Field(description="the event type, also the routing key")
    version: int = Field(ge=1, description="the contract version of data")
    occurred_at: datetime
    source: str = Field(description="the producing service")
    site_id: str | None = None
    correlation_id: str = Field(description="one per complaint flow, also on logs")
    causation_id: str | None = Field(default=None, description="the event or request behind it")
    aggregate_id: str | None = Field(default=None, description="the entity the event is about")
    aggregate_version: int | None = Field(
        default=None, ge=1, description="that entity's version after this event"
    )
    data: dict[str, Any]


class UnknownEventError(LookupError):
    """No contract is registered for a (type, version)."""


class EventRegistry:
    """Contracts keyed by (type, version)."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int], type[Event]] = {}

    def register(self, cls: type[Event]) -> None:
        """Add a contract; the same (type, version) twice is a programming error."""
        key = (cls.type, cls.version)
        existing = self._by_key.get(key)
        if existing is not None and _name(existing) != _name(cls):
            raise ValueError(f"{key} is already registered to {_name(existing)}")
        self._by_key[key] = cls

    def get(self, type_: str, version: int) -> type[Event]:
        """The contract of a (type, version), or UnknownEventError."""
        try:
            return self._by_key[(type_, version)]
        except KeyError:
            raise UnknownEventError(f"no contract for {type_} v{version}") from None

    def knows(self, type_: str) -> bool:
        """True when some version of `type_` is registered."""
        return any(t == type_ for t, _ in self._by_key)

    def all(self) -> list[type[Event]]:
        """Every registered contract, sorted by type and version."""
        return [self._by_key[k] for k in sorted(self._by_key)]


def _name(cls: type[Event]) -> str:
    # By name, not identity, so that re-importing a module is harmless; with the module, so
    # that another service's class of the same name cannot silently take the key over.
    return f"{cls.__module__}.{cls.__qualname__}"


registry = EventRegistry()


class MalformedMessageError(ValueError):
    """A message that can never be handled: not JSON, unknown type, or invalid data."""


def parse_message(body: bytes) -> tuple[Envelope, Event]:
    """Parse a message body into its envelope and typed data, or MalformedMessageError."""
    try:
        envelope = Envelope.model_validate_json(body)
    except ValidationError as exc:
        raise MalformedMessageError(f"not a careloop envelope: {_first_error(exc)}") from exc
    try:
        contract = registry.get(envelope.type, envelope.version)
    except UnknownEventError as exc:
        raise MalformedMessageError(str(exc)) from exc
    try:
        data = contract.model_validate(envelope.data)
    except ValidationError as exc:
        raise MalformedMessageError(
            f"{envelope.type} v{envelope.version} data is invalid: {_first_error(exc)}"
        ) from exc
    return envelope, data


def dump_envelope(envelope: Envelope) -> bytes:
    """Serialise an envelope to the JSON body sent on the bus."""
    return orjson.dumps(envelope.model_dump(mode="json"))


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "body"
    return f"{where}: {err.get('msg', 'invalid')}"
