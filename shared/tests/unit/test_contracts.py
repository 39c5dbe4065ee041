"""Event contracts: naming rules, the registry, parsing, and the checked-in schemas."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.contracts import Envelope, Event, MalformedMessageError, parse_message, registry
from shared.contracts.base import EventRegistry, dump_envelope
from shared.contracts.generate import (
    ASYNCAPI,
    CONTRACTS_DIR,
    SCHEMAS,
    render,
    schema_path,
    write,
)
from shared.contracts.intake import ComplaintReceived

TYPE_PATTERN = re.compile(r"^[a-z_]+\.[a-z_]+$")
SERVICES = {"intake", "routing", "surveys", "notify"}
CONTRACTS = registry.all()


def _ids(contract: type[Event]) -> str:
    return f"{contract.type}.v{contract.version}"


def _complaint(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "complaint_id": str(uuid.uuid4()),
        "reference": "TS-0001",
        "site_id": "site-a",
        "channel": "call_center",
        "kind": "complaint",
        "category": "cleaning",
        "description": "楼道垃圾三天没人清理",
        "reporter_type": "household",
        "received_at": "2024-05-01T08:30:00+00:00",
    }
    return {**data, **changes}


def _envelope(**changes: Any) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "type": "complaint.received",
        "version": 1,
        "occurred_at": "2024-05-01T08:30:00+00:00",
        "source": "intake",
        "site_id": "site-a",
        "correlation_id": str(uuid.uuid4()),
        "data": _complaint(),
    }
    return {**envelope, **changes}


def _body(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode()


# --- the checked-in files ---------------------------------------------------------------


RENDERED = render()


@pytest.mark.parametrize("path", sorted(RENDERED), ids=str)
def test_checked_in_file_matches_the_contracts(path: Path) -> None:
    target = CONTRACTS_DIR / path
    actual = target.read_text(encoding="utf-8") if target.is_file() else None
    assert actual == RENDERED[path], f"{path} is out of date with the contracts: run make schemas"


def test_no_stale_schema_is_checked_in() -> None:
    produced = {p for p in RENDERED if p.parent == SCHEMAS}
    checked_in = {p.relative_to(CONTRACTS_DIR) for p in (CONTRACTS_DIR / SCHEMAS).glob("*.json")}
    assert checked_in == produced, "schemas no contract produces are checked in: run make schemas"


def test_render_is_deterministic() -> None:
    assert render() == render()


def test_writing_removes_stale_schemas_and_rewrites_only_changes(tmp_path: Path) -> None:
    stale = tmp_path / SCHEMAS / "complaint.teleported.v1.json"
    stale.parent.mkdir()
    stale.write_text("{}\n")
    written, removed = write(tmp_path)
    assert sorted(written) == sorted(tmp_path / p for p in RENDERED)
    assert removed == [stale]
    assert not stale.exists()
    assert (tmp_path / ASYNCAPI).read_text(encoding="utf-8") == RENDERED[ASYNCAPI]
    assert write(tmp_path) == ([], [])


@pytest.mark.parametrize("contract", CONTRACTS, ids=_ids)
def test_schema_pins_type_version_and_source(contract: type[Event]) -> None:
    schema = json.loads(RENDERED[schema_path(contract)])
    properties = schema["properties"]
    assert properties["type"]["const"] == contract.type
    assert properties["version"]["const"] == contract.version
    assert properties["source"]["const"] == contract.source
    assert properties["data"]["title"] == contract.__name__
    assert set(properties["data"]["required"]) == {
        name for name, field in contract.model_fields.items() if field.is_required()
    }
    assert schema["$id"].endswith(f"{contract.type}:v{contract.version}")
    assert {"id", "type", "version", "correlation_id", "data"} <= set(schema["required"])


def test_schema_refs_resolve_inside_the_document() -> None:
    text = RENDERED[schema_path(ComplaintReceived)]
    schema = json.loads(text)
    refs = re.findall(r'"\$ref": "#/definitions/([A-Za-z]+)"', text)
    assert refs, "ComplaintReceived refers to ImmediateReply"
    assert all(ref in schema["definitions"] for ref in refs)


def test_asyncapi_lists_every_event_on_its_routing_key() -> None:
    document = yaml.safe_load(RENDERED[ASYNCAPI])
    assert document["asyncapi"] == "3.0.0"
    server = next(iter(document["servers"].values()))
    assert (server["protocol"], server["protocolVersion"]) == ("amqp", "0-9-1")
    for contract in CONTRACTS:
        channel = document["channels"][contract.type]
        assert channel["address"] == contract.type
        assert channel["bindings"]["amqp"]["exchange"]["name"] == "careloop.events"
        assert channel["bindings"]["amqp"]["exchange"]["type"] == "topic"
        message = document["components"]["messages"][_ids(contract)]
        assert message["x-careloop-source"] == contract.source
        assert message["payload"]["schema"]["$ref"] == schema_path(contract).as_posix()
        operation = document["operations"][f"{contract.source}.sends.{contract.type}"]
        assert operation["action"] == "send"
        assert operation["channel"] == {"$ref": f"#/channels/{contract.type}"}


# --- naming rules -----------------------------------------------------------------------


def test_there_are_contracts() -> None:
    assert len(CONTRACTS) >= 5


@pytest.mark.parametrize("contract", CONTRACTS, ids=_ids)
def test_type_is_aggregate_dot_verb(contract: type[Event]) -> None:
    assert TYPE_PATTERN.match(contract.type), contract.type


@pytest.mark.parametrize("contract", CONTRACTS, ids=_ids)
def test_source_is_a_service(contract: type[Event]) -> None:
    assert contract.source in SERVICES


@pytest.mark.parametrize("contract", CONTRACTS, ids=_ids)
def test_model_is_named_after_its_type(contract: type[Event]) -> None:
    expected = "".join(part.title() for part in re.split(r"[._]", contract.type))
    if contract.version > 1:
        expected += f"V{contract.version}"
    assert contract.__name__ == expected


# --- parsing ----------------------------------------------------------------------------


def test_parse_message_round_trips_a_valid_envelope() -> None:
    sent = Envelope.model_validate(_envelope())
    envelope, data = parse_message(dump_envelope(sent))
    assert envelope == sent
    assert isinstance(data, ComplaintReceived)
    assert data.description == "楼道垃圾三天没人清理"
    assert data.received_at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert data.severity == "normal"


def test_parse_message_ignores_unknown_fields() -> None:
    body = _body(_envelope(extra="x", data=_complaint(added_later="y")))
    _, data = parse_message(body)
    assert isinstance(data, ComplaintReceived)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json at all", "not a careloop envelope"),
        (b"\xff\xfe\x00", "not a careloop envelope"),
        (b"[1, 2]", "not a careloop envelope"),
        (_body({k: v for k, v in _envelope().items() if k != "correlation_id"}), "correlation_id"),
        (_body(_envelope(type="complaint.teleported")), "no contract for complaint.teleported v1"),
        (_body(_envelope(version=99)), "no contract for complaint.received v99"),
        (_body(_envelope(data=_complaint(channel="carrier_pigeon"))), "data is invalid: channel"),
        (_body(_envelope(data={"complaint_id": "c1"})), "data is invalid"),
    ],
    ids=[
        "not-json",
        "not-utf8",
        "not-an-object",
        "no-correlation-id",
        "unknown-type",
        "unknown-version",
        "invalid-enum",
        "missing-fields",
    ],
)
def test_parse_message_refuses_malformed_messages(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessageError) as caught:
        parse_message(body)
    assert reason in str(caught.value)


# --- the registry -----------------------------------------------------------------------


def test_a_second_class_for_a_known_type_and_version_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=re.escape("already registered to shared.contracts.intake.ComplaintReceived"),
    ):

        class Impostor(Event):
            type = "complaint.received"
            source = "intake"

    assert registry.get("complaint.received", 1) is ComplaintReceived


def test_a_same_named_class_from_another_module_is_refused() -> None:
    fresh = EventRegistry()
    fresh.register(ComplaintReceived)
    namespace = {"type": "complaint.received", "version": 1, "__module__": "elsewhere"}
    impostor = type("ComplaintReceived", (), namespace)
    with pytest.raises(ValueError, match="already registered"):
        fresh.register(impostor)  # type: ignore[arg-type]
    assert fresh.get("complaint.received", 1) is ComplaintReceived


def test_registering_the_same_class_again_is_harmless() -> None:
    fresh = EventRegistry()
    fresh.register(ComplaintReceived)
    fresh.register(ComplaintReceived)
    assert fresh.all() == [ComplaintReceived]


def test_a_new_version_lives_beside_the_old_one() -> None:
    fresh = EventRegistry()
    fresh.register(ComplaintReceived)
    v2 = type(
        "ComplaintReceivedV2",
        (),
        {"type": "complaint.received", "version": 2, "__module__": __name__},
    )
    fresh.register(v2)  # type: ignore[arg-type]
    assert fresh.get("complaint.received", 1) is ComplaintReceived
    assert fresh.get("complaint.received", 2) is v2
    assert fresh.knows("complaint.received")
    assert not fresh.knows("complaint.teleported")
