"""Real servers the channels talk to in the tests: an SMTP server (aiosmtpd) and an HTTP
server (uvicorn + Starlette) playing the SMS gateway and the webhook receivers."""

from __future__ import annotations

import asyncio
import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from notify import signing
from shared.testing.plugin import free_port


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())


class _MailHandler:
    def __init__(self, box: MailServer) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.box.refuse:
            return self.box.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        mail = Mail(str(envelope.mail_from), list(envelope.rcpt_tos), parsed)
        self.box.mails.append(mail)
        return "250 Message accepted"


@dataclass
class MailServer:
    """An SMTP server on a free port; `refuse` makes it answer RCPT with that reply."""

    port: int = 0
    mails: list[Mail] = field(default_factory=list)
    refuse: str | None = None
    _controller: Controller | None = None

    def start(self) -> None:
        self.port = free_port()
        self._controller = Controller(
            _MailHandler(self), hostname="127.0.0.1", port=self.port, decode_data=False
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.recipients]


@dataclass
class LocalServer:
    """An ASGI app served by uvicorn on a free local port, in the test's own event loop."""

    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    async def serve(self, app: Starlette) -> int:
        """Serve `app` until `stop`; its port, once it accepts connections."""
        port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:  # noqa: ASYNC110 - uvicorn offers a flag only
            await asyncio.sleep(0.01)
        return port

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any
    verified: str | None = None
    """The receiver's verdict on the webhook signature: "ok" or the rejection reason."""


@dataclass
class HttpServer:
    """One HTTP server for the SMS gateway (`/sms`) and webhook receivers (`/hooks/<name>`).

    `answers[path]` is a list of status codes to answer in turn (the last one repeats);
    each hook verifies the Standard Webhooks signature with `hook_secrets[name]` and
    answers 401 when it fails.
    """

    port: int = 0
    hits: list[Hit] = field(default_factory=list)
    answers: dict[str, list[int]] = field(default_factory=dict)
    hook_secrets: dict[str, list[str]] = field(default_factory=dict)
    seen: signing.MemorySeenIds = field(default_factory=signing.MemorySeenIds)
    _local: LocalServer = field(default_factory=LocalServer)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _status(self, path: str) -> int:
        queue = self.answers.get(path) or [200]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    async def _sms(self, request: Request) -> Response:
        body = await request.body()
        self.hits.append(Hit("/sms", dict(request.headers), body, await request.json()))
        status = self._status("/sms")
        return JSONResponse({"id": f"gw-{len(self.hits)}"}, status_code=status)

    async def _hook(self, request: Request) -> Response:
        name = request.path_params["name"]
        body = await request.body()
        hit = Hit(f"/hooks/{name}", dict(request.headers), body, None)
        try:
            signing.verify(body, request.headers, self.hook_secrets.get(name, []), seen=self.seen)
            hit.verified = "ok"
        except signing.WebhookVerificationError as exc:
            hit.verified = exc.reason
        self.hits.append(hit)
        if hit.verified != "ok":
            return Response(status_code=401)
        return Response(status_code=self._status(hit.path))

    async def start(self) -> None:
        routes = [
            Route("/sms", self._sms, methods=["POST"]),
            Route("/hooks/{name}", self._hook, methods=["POST"]),
        ]
        self.port = await self._local.serve(Starlette(routes=routes))

    async def stop(self) -> None:
        await self._local.stop()

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


@dataclass
class Received:
    """One webhook the reference receiver accepted: its id, headers and parsed payload."""

    name: str
    webhook_id: str
    headers: dict[str, str]
    payload: Any
    status: int


@dataclass
class StandardWebhooksReceiver:
    """A call-center system's receiver on a free port: every POST to `/<name>` is verified
    with the reference implementation (`standardwebhooks.Webhook(secret).verify`) against
    `secrets[name]`; accepted ones are kept in `received` (whatever status is answered),
    rejected ones counted in `rejected`. `answers[name]` are the statuses to answer in turn
    (the last repeats)."""

    port: int = 0
    secrets: dict[str, str] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    _local: LocalServer = field(default_factory=LocalServer)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def of(self, name: str) -> list[Received]:
        return [r for r in self.received if r.name == name]

    async def _hook(self, request: Request) -> Response:
        name = request.path_params["name"]
        body = await request.body()
        headers = dict(request.headers)
        try:
            payload = Webhook(self.secrets[name]).verify(body, headers)
        except (KeyError, WebhookVerificationError) as exc:
            self.rejected.append(f"{name}: {exc!r}")
            return Response(status_code=401)
        queue = self.answers.get(name) or [204]
        status = queue.pop(0) if len(queue) > 1 else queue[0]
        self.received.append(Received(name, headers["webhook-id"], headers, payload, status))
        return Response(status_code=status)

    async def start(self) -> None:
        app = Starlette(routes=[Route("/{name}", self._hook, methods=["POST"])])
        self.port = await self._local.serve(app)

    async def stop(self) -> None:
        await self._local.stop()
