"""The pure rules of status webhooks: which event is which status, what URL and secret a
subscription may have, when a failing one pauses, and the payload's shape."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import orjson
import pytest

from notify.settings import NotifySettings
from notify.signing import new_secret
from notify.webhooks import payloads, rules
from shared.contracts.base import Envelope
from shared.contracts.routing import CaseAssigned, case_event_types

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def test_every_webhook_type_comes_from_an_event_that_exists() -> None:
    made = {rules.webhook_type(t) for t in rules.STATUS_OF}
    assert made == set(rules.EVENT_TYPES)
    case_events = set(case_event_types())
    assert {t for t in rules.STATUS_OF if t.startswith("case.")} <= case_events
    assert rules.webhook_type("case.closed_unreachable") == "complaint.closed"


@pytest.mark.parametrize(
    "url", ["ftp://x.example/h", "file:///etc/passwd", "javascript:alert(1)", "https://", "x"]
)
def test_only_http_urls_with_a_host_are_endpoints(url: str) -> None:
    assert rules.url_problem(url) is not None


def test_an_endpoint_carries_no_credentials() -> None:
    assert rules.url_problem("https://cc.example/hooks") is None
    assert rules.url_problem("http://127.0.0.1:8080/h") is None
    assert rules.url_problem("https://user:pw@cc.example/hooks") is not None


def test_a_secret_is_a_standard_webhooks_one_of_24_to_64_bytes() -> None:
    assert rules.secret_problem(new_secret()) is None
    short = "whsec_" + base64.b64encode(b"x" * 16).decode()
    assert rules.secret_problem(short) is not None
    assert rules.secret_problem("whsec_not base64!") is not None
    assert rules.secret_problem(base64.b64encode(b"x" * 32).decode()) is not None


def test_an_active_subscription_pauses_at_the_limit_only() -> None:
    settings = NotifySettings(webhook_pause_after=3)
    assert not rules.pauses(2, "active", settings)
    assert rules.pauses(3, "active", settings)
    assert not rules.pauses(4, "paused", settings)


def test_the_payload_has_the_standard_shape_and_the_integrators_reference() -> None:
    event = CaseAssigned(
        case_id="case-1", complaint_id="c-1", site_id="demo", at=AT, department="engineering"
    )
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=event.type,
        version=1,
        occurred_at=AT,
        source="routing",
        site_id="demo",
        correlation_id="x",
        aggregate_id="case-1",
        aggregate_version=1,
        data=event.model_dump(mode="json"),
    )
    ref = SimpleNamespace(complaint_id="c-1", external_ref="CC-7", reference="R-1", site_id="demo")

    payload = payloads.build(envelope=envelope, event=event, ref=ref)

    assert payload["type"] == "complaint.assigned"
    assert payload["timestamp"] == payload["data"]["occurred_at"]
    data = payload["data"]
    assert (data["external_ref"], data["reference"], data["status"]) == ("CC-7", "R-1", "assigned")
    assert (data["case_id"], data["case_version"], data["department"]) == (
        "case-1",
        1,
        "engineering",
    )
    assert orjson.loads(payloads.encode(payload)) == payload
