"""Each service's API documentation works offline and says who may call what, and when an
operation refuses."""

from __future__ import annotations

import importlib
import re
from typing import Any

import httpx
import pytest

from shared.testing.system import SERVICES, settings_class

EVERY_SERVICE = [*SERVICES, "console"]
REFERENCE = re.compile(r"""(?:src|href|data-openapi)=["']([^"']+)["']""")
ABSOLUTE = re.compile(r"""\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.I)


def app_of(name: str) -> Any:
    return importlib.import_module(f"{name}.main").create_app(settings_class(name)())


async def _client(name: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app_of(name))
    return httpx.AsyncClient(transport=transport, base_url="http://service")


@pytest.mark.parametrize("name", EVERY_SERVICE)
async def test_the_docs_page_and_every_asset_it_names_come_from_the_service(name: str) -> None:
    async with await _client(name) as client:
        way_in = await client.get("/docs")
        assert way_in.status_code == 307
        assert way_in.headers["location"] == "/v1/docs"
        page = await client.get("/v1/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        named = REFERENCE.findall(page.text)
        assert len(named) == 5, named  # css, icon, the document, Swagger UI, its start-up
        assert ABSOLUTE.findall(page.text) == []
        # No inline script: the page works under a content security policy of 'self'.
        assert "<script>" not in page.text
        for reference in named:
            asset = await client.get(reference)
            assert asset.status_code == 200, reference
            assert len(asset.content) > 100, reference
        start = await client.get("/v1/docs/start.js")
        assert "SwaggerUIBundle" in start.text
        assert ABSOLUTE.findall(start.text) == []


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


@pytest.mark.parametrize("name", EVERY_SERVICE)
def test_every_operation_says_who_may_call_it_and_when_it_is_refused(name: str) -> None:
    document = app_of(name).openapi()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    operations = _operations(document)
    assert operations
    for method, path, operation in operations:
        where = f"{method} {path}"
        assert operation.get("summary"), where
        description = operation.get("description") or ""
        assert description.startswith(operation["summary"]), where
        refused = [s for s in operation["responses"] if s.startswith(("4", "5"))]
        for status in refused:
            assert f"**{status}**" in description, where
        if path.startswith("/v1/"):
            assert operation["security"] == [{"bearer": []}], where
            assert "**Roles:**" in description, where


def test_the_roles_named_are_the_roles_checked() -> None:
    document = app_of("routing").openapi()
    said = {
        (method, path): operation["description"]
        for method, path, operation in _operations(document)
    }
    assert "**Roles:** admin only." in said[("PUT", "/v1/sites/{site_id}/organisation")]
    assert (
        "**Roles:** any, on the token's sites." in said[("GET", "/v1/sites/{site_id}/organisation")]
    )


def _main_bodies() -> list[Any]:
    from intake.complaints.schemas import ComplaintCreate
    from notify.callbacks.schemas import AttemptIn
    from notify.notices.schemas import NoticeCreate
    from routing.cases.schemas import NoticeIn, ProgressIn, ResolveIn, TransmitIn, ValidityIn
    from surveys.campaigns.schemas import CampaignCreate

    return [
        ComplaintCreate, ProgressIn, ValidityIn, TransmitIn, NoticeIn, ResolveIn,
        CampaignCreate, NoticeCreate, AttemptIn,
    ]  # fmt: skip


@pytest.mark.parametrize("model", _main_bodies(), ids=lambda m: m.__name__)
def test_the_main_request_bodies_have_examples_that_are_valid(model: Any) -> None:
    examples = model.model_json_schema()["examples"]
    assert examples
    for example in examples:
        model.model_validate(example)  # an example that no longer validates fails here
