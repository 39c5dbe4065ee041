"""Every error a service returns is RFC 9457 problem+json, validation errors included."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError, field_validator, model_validator
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.responses import Response

from shared.http.errors import (
    PROBLEM_JSON,
    ConflictError,
    NotFoundError,
    ProblemError,
    add_handler,
    install_error_handlers,
)
from shared.http.invalid import invalid

INTERNAL = "connection string postgresql://careloop:pa55@db leaked"


class ItemCreate(BaseModel):
    name: str
    count: int


BRACES = 'must be {"zh": ...} or {error}, not {0}'


class Opening(BaseModel):
    """A model whose validators refuse in both languages."""

    opens: int
    closes: int
    label: str = ""

    @field_validator("label")
    @classmethod
    def _plain(cls, value: str) -> str:
        if value == "braces":
            raise invalid(BRACES, '须为 {"zh": ...}')
        return value

    @model_validator(mode="after")
    def _in_order(self) -> Opening:
        if self.closes <= self.opens:
            raise invalid(
                f"closes ({self.closes}) must be after opens",
                f"关闭时间（{self.closes}）须晚于开放时间",
            )
        return self


class OpeningToday(BaseModel):
    """The same model as validators wrote it before: a ValueError, in English only."""

    opens: int
    closes: int
    label: str = ""

    @field_validator("label")
    @classmethod
    def _plain(cls, value: str) -> str:
        if value == "braces":
            raise ValueError(BRACES)
        return value

    @model_validator(mode="after")
    def _in_order(self) -> OpeningToday:
        if self.closes <= self.opens:
            raise ValueError(f"closes ({self.closes}) must be after opens")
        return self


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/problem")
    async def problem() -> None:
        raise ProblemError(
            429,
            "Slow down: at most 10 complaints a minute",
            type_="https://careloop.example/problems/rate-limited",
            headers={"Retry-After": "60"},
            retry_after=60,
        )

    @app.get("/complaints/{complaint_id}")
    async def complaint(complaint_id: str) -> None:
        raise NotFoundError("Complaint", complaint_id)

    @app.get("/conflict")
    async def conflict() -> None:
        raise ConflictError("The reference TS-1 is taken", existing_id="c-1")

    @app.post("/items")
    async def create(item: ItemCreate) -> dict[str, Any]:
        return item.model_dump()

    @app.post("/openings")
    async def open_(opening: Opening) -> dict[str, Any]:
        return opening.model_dump()

    @app.get("/items")
    async def list_items(limit: int = 10) -> dict[str, int]:
        return {"limit": limit}

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError(INTERNAL)

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    return body


# --- raised problems --------------------------------------------------------------------


def test_a_problem_keeps_its_status_type_detail_headers_and_extensions(
    client: TestClient,
) -> None:
    response = client.get("/problem")
    body = _problem(response, 429)
    assert body == {
        "type": "https://careloop.example/problems/rate-limited",
        "title": "Too many requests",
        "status": 429,
        "detail": "Slow down: at most 10 complaints a minute",
        "instance": "/problem",
        "retry_after": 60,
    }
    assert response.headers["retry-after"] == "60"


def test_not_found_and_conflict(client: TestClient) -> None:
    body = _problem(client.get("/complaints/c-9"), 404)
    assert body["type"] == "about:blank"
    assert body["title"] == "Not found"
    assert body["detail"] == "Complaint c-9 does not exist or is not visible to you"
    assert body["instance"] == "/complaints/c-9"
    body = _problem(client.get("/conflict"), 409)
    assert body["title"] == "Conflict"
    assert body["existing_id"] == "c-1"


# --- validation -------------------------------------------------------------------------


def _errors(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["field"]: e for e in body["errors"]}


def test_a_missing_field_is_named(client: TestClient) -> None:
    body = _problem(client.post("/items", json={"count": 1}), 422)
    assert body["title"] == "Invalid request"
    errors = _errors(body)
    assert set(errors) == {"name"}
    assert errors["name"]["in"] == "body"
    assert errors["name"]["type"] == "missing"
    assert "name" in body["detail"]


def test_a_wrong_type_is_named(client: TestClient) -> None:
    body = _problem(client.post("/items", json={"name": "mop", "count": "many"}), 422)
    errors = _errors(body)
    assert set(errors) == {"count"}
    assert "integer" in errors["count"]["message"]


def test_every_invalid_field_is_listed(client: TestClient) -> None:
    body = _problem(client.post("/items", json={"count": []}), 422)
    assert set(_errors(body)) == {"name", "count"}


def test_a_query_parameter_is_named_with_its_location(client: TestClient) -> None:
    body = _problem(client.get("/items", params={"limit": "ten"}), 422)
    assert _errors(body)["limit"]["in"] == "query"


def test_a_body_that_is_not_json_is_a_validation_error(client: TestClient) -> None:
    response = client.post(
        "/items", content=b'{"name": "mop",', headers={"content-type": "application/json"}
    )
    body = _problem(response, 422)
    errors = _errors(body)
    assert set(errors) == {"body"}
    assert errors["body"]["type"] == "json_invalid"
    assert "JSON" in errors["body"]["message"]


@pytest.mark.parametrize(
    "content", [b"\xff\xfe\xfd", b'{"name": "\xc3\x28", "count": 1}'], ids=["bytes", "in-json"]
)
def test_a_body_that_is_not_utf8_is_a_validation_error(client: TestClient, content: bytes) -> None:
    response = client.post("/items", content=content, headers={"content-type": "application/json"})
    body = _problem(response, 422)
    errors = _errors(body)
    assert set(errors) == {"body"}
    assert "UTF-8" in errors["body"]["message"]


# --- routing errors and the unexpected --------------------------------------------------


def test_an_unknown_route_is_404(client: TestClient) -> None:
    body = _problem(client.get("/nowhere"), 404)
    assert body["title"] == "Not found"
    assert body["instance"] == "/nowhere"


def test_a_wrong_method_is_405_and_says_which_are_allowed(client: TestClient) -> None:
    response = client.post("/problem")
    body = _problem(response, 405)
    assert body["title"] == "Method not allowed"
    assert response.headers["allow"] == "GET"


def test_an_unexpected_exception_is_500_without_internals(client: TestClient) -> None:
    response = client.get("/crash", headers={"X-Request-ID": "req-42"})
    body = _problem(response, 500)
    assert body["title"] == "Internal server error"
    assert body["request_id"] == "req-42"
    assert "RuntimeError" not in response.text
    assert "pa55" not in response.text
    assert "leaked" not in response.text


class _PgError(Exception):
    """What SQLAlchemy's asyncpg dialect wraps: the server's message and its SQLSTATE."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _failing_app(exc: Exception) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/write")
    async def write() -> None:
        raise exc

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("INSERT", {}, ConnectionRefusedError(111, "refused")),
        InterfaceError("SELECT", {}, Exception("connection is closed")),
        ConnectionRefusedError(111, "Connection refused"),
        DBAPIError("SELECT", {}, _PgError("the database system is shutting down", "57P03")),
        DBAPIError("INSERT", {}, _PgError("terminating connection due to admin", "57P01")),
    ],
)
def test_an_unreachable_database_is_503_with_retry_after(exc: Exception) -> None:
    response = _failing_app(exc).get("/write")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "2"
    assert "nothing was applied" in response.json()["detail"]


@pytest.mark.parametrize(
    "exc",
    [
        IntegrityError("INSERT", {}, Exception("duplicate key value violates unique constraint")),
        DBAPIError("SELECT", {}, _PgError("division by zero duplicate key", "22012")),
    ],
)
def test_a_database_error_that_is_not_unavailability_stays_500(exc: Exception) -> None:
    response = _failing_app(exc).get("/write")
    assert response.status_code == 500
    assert "duplicate key" not in response.text


@pytest.mark.parametrize("sqlstate", ["22021", "22003"])
def test_a_value_no_column_can_hold_is_422_without_the_value(sqlstate: str) -> None:
    exc = DBAPIError("SELECT", {}, _PgError("invalid byte sequence: 0x00 Zhang Min", sqlstate))
    response = _failing_app(exc).get("/write")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "cannot be stored" in response.json()["detail"]
    assert "Zhang" not in response.text


# --- the reader's language --------------------------------------------------------------

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


def test_a_chinese_reader_gets_the_title_and_detail_in_chinese(client: TestClient) -> None:
    response = client.get("/complaints/c-9", headers=ZH)
    body = _problem(response, 404)
    assert body["title"] == "未找到"
    assert body["detail"] == "投诉 c-9 不存在，或您无权查看"
    assert response.headers["content-language"] == "zh-CN"


def test_an_english_reader_and_one_who_names_no_language_read_english(
    client: TestClient,
) -> None:
    for headers in ({"Accept-Language": "en-GB,en;q=0.9"}, {}):
        response = client.get("/complaints/c-9", headers=headers)
        assert _problem(response, 404)["title"] == "Not found"
        assert response.headers["content-language"] == "en"


def test_a_problem_without_chinese_words_keeps_its_english_detail_under_a_chinese_title(
    client: TestClient,
) -> None:
    body = _problem(client.get("/conflict", headers=ZH), 409)
    assert (body["title"], body["detail"]) == ("状态冲突", "The reference TS-1 is taken")


def test_a_problem_with_chinese_words_says_them_to_a_chinese_reader() -> None:
    error = ProblemError(409, "The case is closed", zh="该投诉已关闭")
    assert (error.detail_in("zh"), error.detail_in("en")) == ("该投诉已关闭", "The case is closed")


def test_validation_errors_are_told_field_by_field_in_chinese(client: TestClient) -> None:
    body = _problem(client.post("/items", json={"count": "many"}, headers=ZH), 422)
    assert body["title"] == "请求无效"
    errors = _errors(body)
    assert errors["name"]["message"] == "必填"
    assert errors["count"]["message"] == "必须是整数"
    assert body["detail"].startswith("请求无效：")
    assert "name：必填" in body["detail"]


def test_an_unknown_route_and_a_crash_answer_in_chinese(client: TestClient) -> None:
    assert _problem(client.get("/nowhere", headers=ZH), 404)["detail"] == "未找到"
    body = _problem(client.get("/crash", headers=ZH), 500)
    assert body["title"] == "服务器内部错误"
    assert INTERNAL not in body["detail"]
    assert "请求编号" in body["detail"]


# --- a validator's own words in both languages -------------------------------------------


def _refused(model: type[BaseModel], values: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    return [{k: v for k, v in e.items() if k not in ("ctx", "url")} for e in caught.value.errors()]


@pytest.mark.parametrize(
    "values", [{"opens": 9, "closes": 8}, {"opens": 8, "closes": 9, "label": "braces"}]
)
def test_a_validators_refusal_reads_in_english_exactly_as_a_value_error_did(
    values: dict[str, Any],
) -> None:
    assert _refused(Opening, values) == _refused(OpeningToday, values)
    assert _refused(Opening, values)[0]["type"] == "value_error"


def test_braces_in_the_english_reach_the_reader_as_written(client: TestClient) -> None:
    body = _problem(
        client.post("/openings", json={"opens": 8, "closes": 9, "label": "braces"}), 422
    )
    assert _errors(body)["label"] == {
        "in": "body",
        "field": "label",
        "message": f"Value error, {BRACES}",
        "type": "value_error",
    }
    zh = _problem(
        client.post("/openings", json={"opens": 8, "closes": 9, "label": "braces"}, headers=ZH),
        422,
    )
    assert _errors(zh)["label"]["message"] == '须为 {"zh": ...}'


def test_a_validators_refusal_is_said_in_chinese_to_a_chinese_reader(client: TestClient) -> None:
    closed = {"opens": 9, "closes": 8}
    body = _problem(client.post("/openings", json=closed, headers=ZH), 422)
    assert _errors(body)["body"] == {
        "in": "body",
        "field": "body",
        "message": "关闭时间（8）须晚于开放时间",
        "type": "value_error",
    }
    assert body["detail"] == "请求无效：body：关闭时间（8）须晚于开放时间"
    english = _problem(client.post("/openings", json=closed), 422)
    assert _errors(english)["body"]["message"] == "Value error, closes (8) must be after opens"
    assert english["detail"] == (
        "The request is not valid: body: Value error, closes (8) must be after opens"
    )


def test_starlettes_own_refusals_are_said_in_the_readers_language(client: TestClient) -> None:
    body = _problem(client.delete("/items", headers=ZH), 405)
    assert (body["title"], body["detail"]) == ("不支持该方法", "不支持该方法")


class Teapot(Exception):
    """An error only the test's own handler knows."""


def test_a_handler_added_for_a_kind_answers_that_kind() -> None:
    app = FastAPI()
    install_error_handlers(app)

    async def brew(_request: Request, exc: Teapot) -> Response:
        return Response(f"I am a teapot: {exc}", status_code=418)

    add_handler(app, Teapot, brew)

    @app.get("/tea")
    async def tea() -> None:
        raise Teapot("short and stout")

    response = TestClient(app, raise_server_exceptions=False).get("/tea")
    assert (response.status_code, response.text) == (418, "I am a teapot: short and stout")
