"""What every console response carries to keep pages private, and the CSRF check.

The Content-Security-Policy allows no inline script at all (htmx is configured not to
evaluate anything and not to inject styles), no framing, and forms posting only to the
console itself. A response that set its own policy (a printed document) keeps it.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.errors import ProblemError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def policy(*, also_posts_to: str | None = None) -> str:
    """The policy; signing out redirects a form's post to the identity provider, which
    browsers check against form-action, so its origin is allowed there too."""
    if not also_posts_to:
        return CSP
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(also_posts_to))
    return CSP.replace("form-action 'self'", f"form-action 'self' {origin}")


HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


class SecurityHeaders:
    """Adds the policy and the private-page headers to every HTTP response."""

    def __init__(self, app: ASGIApp, *, csp: str = CSP) -> None:
        self.app = app
        self.csp = csp.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _with_policy(list(message.get("headers") or []), self.csp)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_policy(headers: list[tuple[bytes, bytes]], csp: bytes) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers}
    added = [(k, v) for k, v in HEADERS.items() if k not in present]
    if b"content-security-policy" not in present:
        added.append((b"content-security-policy", csp))
    if b"cache-control" not in present:
        added.append((b"cache-control", b"no-store"))
    return headers + added


def check_csrf(request: Request, form: FormData | None, expected: str) -> None:
    """403 unless the request carries the session's CSRF token (form field or header)
    and, when the browser says where it comes from, comes from the console itself."""
    sent = request.headers.get(CSRF_HEADER) or (str(form.get(CSRF_FIELD) or "") if form else "")
    if not sent or not hmac.compare_digest(sent, expected):
        raise ProblemError(403, "csrf")
    origin = request.headers.get("origin")
    # Behind a proxy that ends TLS the scheme differs; the host the browser used does not.
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise ProblemError(403, "csrf")
