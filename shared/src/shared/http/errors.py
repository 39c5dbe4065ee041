"""RFC 9457 problem details for every error a service returns, validation errors included.

A person reading `detail` should know what to change, in their language: `title` and
`detail` follow the request's `Accept-Language` (Chinese or English, `Content-Language`
says which) wherever the error has Chinese words — every error `shared` raises, validation
errors field by field (pydantic's own by their type, the services' validators' by the
Chinese `shared.http.invalid.invalid` gives them), and the services' errors that carry a
`zh` detail. Unexpected
exceptions become a 500 problem without internals; the exception is logged with the
request id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any, TypeVar, cast

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ExceptionHandler

from shared.db.errors import database_unavailable
from shared.http.invalid import chinese_of
from shared.http.language import CONTENT_LANGUAGE, preferred
from shared.logging import get_logger
from shared.words import Lang

log = get_logger(__name__)

_NOT_UTF8 = "The body is not valid JSON: it must be UTF-8 encoded"

PROBLEM_JSON = "application/problem+json"

# Errors that mean "the database cannot be reached now", not "this request is wrong".
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (DBAPIError, PoolTimeoutError, ConnectionError)

# SQLSTATEs of a value sent that no column can take: the request's fault, answered 422.
# (Other data exceptions, a division by zero say, are the code's fault and stay 500.)
UNSTORABLE_SQLSTATES = frozenset(
    {
        "22021",  # character_not_in_repertoire: a NUL character in text
        "22P05",  # untranslatable_character
        "22003",  # numeric_value_out_of_range
        "22001",  # string_data_right_truncation
        "22008",  # datetime_field_overflow
    }
)

_TITLES: dict[int, dict[Lang, str]] = {
    400: {"en": "Bad request", "zh": "请求有误"},
    401: {"en": "Not authenticated", "zh": "未登录"},
    403: {"en": "Forbidden", "zh": "无权操作"},
    404: {"en": "Not found", "zh": "未找到"},
    405: {"en": "Method not allowed", "zh": "不支持该方法"},
    409: {"en": "Conflict", "zh": "状态冲突"},
    413: {"en": "Payload too large", "zh": "内容过大"},
    415: {"en": "Unsupported media type", "zh": "不支持的内容类型"},
    422: {"en": "Invalid request", "zh": "请求无效"},
    429: {"en": "Too many requests", "zh": "请求过于频繁"},
    500: {"en": "Internal server error", "zh": "服务器内部错误"},
    503: {"en": "Service unavailable", "zh": "服务暂不可用"},
}

# What a 404 names, in Chinese ("Case c-1 does not exist" → "投诉案件 c-1 不存在").
_THINGS_ZH = {
    "building": "楼栋",
    "callback": "回访",
    "campaign": "测评活动",
    "campaign schedule of site": "管理处的测评计划",
    "case": "投诉案件",
    "complaint": "投诉",
    "contact": "联系方式",
    "corrective action": "纠正措施",
    "delivery": "发送记录",
    "department": "部门",
    "household": "业户",
    "notice": "通知单",
    "phone task": "电话通知任务",
    "rectification": "整改",
    "rectification item": "整改项",
    "region": "区域",
    "report": "报告",
    "response": "答卷",
    "site": "管理处",
    "staff": "员工",
    "unit": "单元",
}


def title_of(status: int, lang: Lang = "en") -> str:
    """The problem's title for `status`, in `lang`."""
    return _TITLES.get(status, {"en": "Error", "zh": "错误"})[lang]


def not_found_detail(what: str, ident: str) -> tuple[str, str]:
    """A 404's detail in English and Chinese."""
    thing = _THINGS_ZH.get(what.lower(), what)
    return (
        f"{what} {ident} does not exist or is not visible to you",
        f"{thing} {ident} 不存在，或您无权查看",
    )


class ProblemError(Exception):
    """An error the API reports as problem+json; raise it from routes and services."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        zh: str | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.zh = zh
        """The detail in Chinese, for a reader who asks for it."""
        self.title = title
        self.type = type_
        self.headers = dict(headers or {})
        self.extensions = extensions

    def detail_in(self, lang: Lang) -> str:
        """The detail in `lang` (English when there are no Chinese words for it)."""
        return self.zh if lang == "zh" and self.zh else self.detail


class NotFoundError(ProblemError):
    def __init__(self, what: str, ident: str) -> None:
        english, chinese = not_found_detail(what, ident)
        super().__init__(404, english, zh=chinese)


class ConflictError(ProblemError):
    def __init__(self, detail: str, *, zh: str | None = None, **extensions: Any) -> None:
        super().__init__(409, detail, zh=zh, **extensions)


class InvalidFieldError(Exception):
    """A field the request's model let through that the service finds invalid once it knows
    more (a phone number no numbering plan of the site's country has): answered 422 with the
    field named, exactly as a validation error."""

    def __init__(self, field: str, message: str, *, zh: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.zh = zh


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    lang: Lang = "en",
    **extensions: Any,
) -> Response:
    """A problem+json response, its title in `lang` unless one is given."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or title_of(status, lang),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return Response(
        orjson.dumps(body, default=str),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={**(headers or {}), "Content-Language": CONTENT_LANGUAGE[lang]},
    )


def reader_language(request: Request) -> Lang:
    """The language the request's reader asked for."""
    return preferred(request.headers.get("accept-language"))


Handled = TypeVar("Handled", bound=Exception)


def add_handler(
    app: FastAPI, kind: type[Handled], handler: Callable[[Request, Handled], Awaitable[Response]]
) -> None:
    """Answer every `kind` raised in `app` with `handler`, whose argument is that kind.

    Starlette hands a handler only what it was added for, yet types every handler as taking
    any Exception; here the kind and the handler are checked to match, and cast once.
    """
    app.add_exception_handler(kind, cast(ExceptionHandler, handler))


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of `app` a problem+json response."""
    add_handler(app, ProblemError, _on_problem)
    add_handler(app, RequestValidationError, _on_validation)
    add_handler(app, InvalidFieldError, _on_invalid_field)
    add_handler(app, StarletteHTTPException, _on_http)
    for unavailable in DATABASE_UNAVAILABLE:
        add_handler(app, unavailable, _on_database_unavailable)
    add_handler(app, OverflowError, _on_unstorable)
    add_handler(app, Exception, _on_unexpected)


async def _on_problem(request: Request, exc: ProblemError) -> Response:
    lang = reader_language(request)
    return problem_response(
        exc.status,
        exc.detail_in(lang),
        title=exc.title,
        lang=lang,
        type_=exc.type,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extensions,
    )


async def _on_validation(request: Request, exc: RequestValidationError) -> Response:
    lang = reader_language(request)
    return _invalid(request, [_describe(err, lang) for err in exc.errors()])


async def _on_invalid_field(request: Request, exc: InvalidFieldError) -> Response:
    message = exc.zh if reader_language(request) == "zh" and exc.zh else exc.message
    error = {"in": "body", "field": exc.field, "message": message, "type": "value_error"}
    return _invalid(request, [error])


def _invalid(request: Request, errors: list[dict[str, Any]]) -> Response:
    lang = reader_language(request)
    shown = errors[:5]
    if lang == "zh":
        summary = "；".join(f"{e['field']}：{e['message']}" for e in shown)
        more = f"（另有 {len(errors) - 5} 处）" if len(errors) > 5 else ""
        detail = f"请求无效：{summary}{more}"
    else:
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in shown)
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        detail = f"The request is not valid: {summary}{more}"
    return problem_response(422, detail, instance=request.url.path, lang=lang, errors=errors)


async def _on_http(request: Request, exc: StarletteHTTPException) -> Response:
    lang = reader_language(request)
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a body it cannot decode with a bare 400; it is as invalid as bad JSON.
        message = _NOT_UTF8_ZH if lang == "zh" else _NOT_UTF8
        error = {"in": "body", "field": "body", "message": message, "type": "json_invalid"}
        return _invalid(request, [error])
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else title_of(status)
    if detail in (title_of(status), _reason_phrase(status)):
        detail = title_of(status, lang)  # Starlette's own words: the status says it all
    return problem_response(
        status,
        detail,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
        lang=lang,
    )


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def _on_database_unavailable(request: Request, exc: Exception) -> Response:
    if _sqlstate(exc) in UNSTORABLE_SQLSTATES:
        return await _on_unstorable(request, exc)
    if not database_unavailable(exc):
        return await _on_unexpected(request, exc)
    log.warning("database unavailable", path=request.url.path, error=type(exc).__name__)
    lang = reader_language(request)
    return problem_response(
        503,
        "数据库暂时无法访问，本次请求未生效，请稍后重试。"
        if lang == "zh"
        else "The database is unavailable at the moment; nothing was applied. Retry shortly.",
        instance=request.url.path,
        headers={"Retry-After": "2"},
        lang=lang,
    )


def _sqlstate(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None) or "")


async def _on_unstorable(request: Request, exc: Exception) -> Response:
    # A value no column can hold (a NUL character, a number past BIGINT): the request's
    # fault, not ours. Only the kind of error is logged: its parameters are personal data.
    log.warning("value the database cannot store", path=request.url.path, error=type(exc).__name__)
    error = {
        "in": "body",
        "field": "",
        "message": _message("unstorable", {}, reader_language(request)),
        "type": "unstorable",
    }
    return _invalid(request, [error])


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", path=request.url.path, error=repr(exc))
    lang = reader_language(request)
    return problem_response(
        500,
        "服务器出错，本次请求未生效。请重试；如仍出错，请报告请求编号。"
        if lang == "zh"
        else "Something went wrong on our side; the request was not applied. "
        "Try again, and report the request id if it persists.",
        instance=request.url.path,
        lang=lang,
        request_id=request.headers.get("x-request-id"),
    )


def _describe(err: Mapping[str, Any], lang: Lang = "en") -> dict[str, Any]:
    location = [str(p) for p in err.get("loc", ())]
    if location and location[0] in ("body", "query", "path", "header"):
        where, field = location[0], ".".join(location[1:]) or location[0]
    else:
        where, field = "body", ".".join(location) or "body"
    kind = str(err.get("type", ""))
    context = err.get("ctx") or {}
    message = (
        (chinese_of(context) if lang == "zh" else None)
        or _message(kind, context, lang)
        or str(err.get("msg", "is invalid"))
    )
    if kind == "json_invalid":
        # FastAPI puts the character offset where a field name would be.
        reason = (err.get("ctx") or {}).get("error") or "malformed"
        where, field = "body", "body"
        at = location[-1] if location else 0
        message = (
            f"{message}（第 {at} 个字符处：{reason}）"
            if lang == "zh"
            else f"{message}: {reason} (at character {at})"
        )
    return {"in": where, "field": field, "message": message, "type": kind}


_NOT_UTF8_ZH = "请求体不是有效的 JSON：必须使用 UTF-8 编码"

# Pydantic's error types, as a Chinese reader is told them; {name} takes the error's context.
_VALIDATION_ZH = {
    "missing": "必填",
    "string_type": "必须是文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "必须是以下之一：{expected}",
    "enum": "必须是以下之一：{expected}",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "float_type": "必须是数字",
    "float_parsing": "必须是数字",
    "decimal_parsing": "必须是数字",
    "bool_type": "必须是 true 或 false",
    "bool_parsing": "必须是 true 或 false",
    "datetime_type": "必须是 ISO 8601 时间（带时区）",
    "datetime_parsing": "必须是 ISO 8601 时间（带时区）",
    "datetime_from_date_parsing": "必须是 ISO 8601 时间（带时区）",
    "timezone_aware": "必须带时区",
    "date_type": "必须是日期（YYYY-MM-DD）",
    "date_parsing": "必须是日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "必须是日期（YYYY-MM-DD）",
    "time_parsing": "必须是时间（HH:MM）",
    "uuid_parsing": "不是有效的 UUID",
    "url_parsing": "不是有效的网址",
    "url_scheme": "网址协议不正确",
    "extra_forbidden": "不是可接受的字段",
    "model_type": "必须是 JSON 对象",
    "model_attributes_type": "必须是 JSON 对象",
    "dict_type": "必须是 JSON 对象",
    "list_type": "必须是列表",
    "json_invalid": "不是有效的 JSON",
    "unstorable": "包含无法保存的值：NUL 字符，或过大的数字",
}
_VALIDATION_EN = {
    "unstorable": "holds a value that cannot be stored: a NUL character, or a number too large"
}


def _message(kind: str, context: Mapping[str, Any], lang: Lang) -> str | None:
    """Words for a validation error of `kind` in `lang`, or None to keep pydantic's own."""
    template = (_VALIDATION_ZH if lang == "zh" else _VALIDATION_EN).get(kind)
    if template is None:
        return None
    try:
        return template.format_map({k: str(v) for k, v in context.items()})
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：: ") or None
