"""Public pages behind single-use links: what residents open without an account.

A token is the only key, so every page is private to its reader: never cached, never
indexed, never sent on as a referrer, and its form posts only back to itself. A refused
link gets a page a person can read when a browser asks for HTML, and a problem+json
answer otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from shared.http.errors import problem_response, reader_language
from shared.http.language import Tag
from shared.words import Lang

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_FORM_BYTES = 32_000
MAX_FORM_FIELDS = 50
STATUS = {"unknown": 404, "used": 410, "expired": 410}
_PAGE = {"text/html": {"schema": {"type": "string"}}}
# The answers a link's page gives when it refuses, for its routes' `responses=`.
LINK_REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"description": "The link is unknown.", "content": _PAGE},
    410: {"description": "The link was used or has expired.", "content": _PAGE},
}
FORM_REFUSALS: dict[int | str, dict[str, Any]] = {
    **LINK_REFUSALS,
    400: {"description": "The form is not valid UTF-8 form data."},
    413: {"description": "The form is too large."},
    415: {"description": "The body is not application/x-www-form-urlencoded."},
}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


STYLE = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC",
"Noto Sans CJK SC",sans-serif;background:#f4f6f8;color:#1c2530}main{max-width:40rem;
margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0}p.lead{color:#4a5866}
section,fieldset{border:0;background:#fff;border-radius:12px;margin:0 0 1rem;padding:1rem;
box-shadow:0 1px 3px #0002}legend{font-weight:600;float:left;width:100%;margin-bottom:.5rem}
blockquote{margin:0;white-space:pre-wrap}label.choice{display:flex;align-items:center;
gap:.75rem;min-height:44px;padding:.25rem .5rem;border-radius:8px}label.choice:hover{
background:#eef3f8}input[type=radio]{width:1.3rem;height:1.3rem}textarea{width:100%;
min-height:6rem;font:inherit;padding:.5rem;border:1px solid #c5ced8;border-radius:8px}
button{width:100%;min-height:48px;font:inherit;font-weight:600;color:#fff;background:#1565c0;
border:0;border-radius:10px;margin:1rem 0}nav{text-align:right}nav a{color:#1565c0}
.error{background:#fdecea;color:#8a1c12;padding:.75rem;border-radius:8px}
"""
"""The link pages' one stylesheet: cards for the reply and each question, large touch
targets, the error line."""


def html_page(body: str, status: int = 200) -> Response:
    """A link page with the headers that keep it private."""
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def document(title: str, body: str, *, language: Tag) -> str:
    """A link page's whole HTML around `body`: mobile-first, the one stylesheet, no script,
    no outside asset."""
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><main>{body}</main></body></html>"
    )


def message(kind: str, text: Mapping[str, str], *, language: Tag) -> str:
    """A one-message page (thanks, or why the link is refused): `text[kind]` under the
    heading `text[kind + "_title"]`."""
    title = text[f"{kind}_title"]
    body = f'<h1 id="{escape(kind)}">{escape(title)}</h1><p>{escape(text[kind])}</p>'
    return document(title, body, language=language)


def answer_form(
    *,
    text: Mapping[str, str],
    language: Tag,
    lead: str,
    intro: str,
    action: str,
    questions: str,
    comment: str,
    max_comment: int,
) -> str:
    """A link page's form, in `language` with a link to the other: the heading, the `lead`
    line, the `intro` (HTML), the `questions` (HTML), a comment and the submit button; the
    language goes back with the form. `text` has `switch`, `heading`, `comment`, `submit`."""
    other = "en" if language == "zh-CN" else "zh-CN"
    return (
        f'<nav><a id="switch" href="?lang={other}">{text["switch"]}</a></nav>'
        f'<h1>{escape(text["heading"])}</h1><p class="lead">{escape(lead)}</p>{intro}'
        f'<form method="post" action="{escape(action)}">'
        f'<input type="hidden" name="lang" value="{language}">{questions}'
        f'<fieldset><legend><label for="comment">{escape(text["comment"])}</label></legend>'
        f'<textarea id="comment" name="comment" maxlength="{max_comment}">'
        f"{escape(comment)}</textarea></fieldset>"
        f'<button id="submit" type="submit">{escape(text["submit"])}</button></form>'
    )


def refused(
    request: Request,
    reason: str,
    *,
    page: Callable[[], str],
    detail: str,
    path: str,
    zh: str | None = None,
) -> Response:
    """A refused link (unknown, used, expired): `page()` for a browser, a problem otherwise,
    its detail in Chinese (`zh`) for a reader who asks for it."""
    status = STATUS[reason]
    if "text/html" in request.headers.get("accept", ""):
        return html_page(page(), status)
    lang = reader_language(request)
    shown = zh if lang == "zh" and zh else detail
    return problem_response(status, shown, instance=path, reason=reason, headers=HEADERS, lang=lang)


async def form_fields(request: Request) -> dict[str, str] | Response:
    """The posted form's fields (the last value of each), or the problem with the body."""
    lang = reader_language(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        return _form_problem(415, lang)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _form_problem(413, lang)
    try:
        parsed = parse_qs(body.decode(), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return _form_problem(400, lang)
    return {key: values[-1] for key, values in parsed.items()}


_FORM_PROBLEMS: dict[int, dict[Lang, str]] = {
    415: {
        "en": "Send the form as application/x-www-form-urlencoded",
        "zh": "请以 application/x-www-form-urlencoded 格式提交表单",
    },
    413: {
        "en": f"The form is larger than {MAX_FORM_BYTES} bytes",
        "zh": f"表单超过 {MAX_FORM_BYTES} 字节",
    },
    400: {
        "en": "The form is not valid UTF-8 form data",
        "zh": "表单不是有效的 UTF-8 表单数据",
    },
}


def _form_problem(status: int, lang: Lang) -> Response:
    return problem_response(status, _FORM_PROBLEMS[status][lang], lang=lang)
