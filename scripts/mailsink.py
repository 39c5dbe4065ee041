"""A local SMTP server that prints every mail notify sends, for `make run`.

It listens on 127.0.0.1 at `NOTIFY_SMTP_PORT` (8025 by default, the port `make run` gives
notify) and prints each mail's recipients, subject and text, decoded, so that a newcomer
sees the assignment notices, alerts and replies the demo's complaints cause.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import threading
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


class Printer:
    """Prints each mail as it is accepted."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(bytes(raw or b""), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(preferencelist=("plain",))
        text = str(body.get_content()).strip() if body is not None else ""
        print(f"to {', '.join(envelope.rcpt_tos)}: {message['Subject']}", flush=True)
        for line in text.splitlines():
            print(f"    {line}", flush=True)
        return "250 Message accepted"


def main() -> None:
    """Serve until SIGTERM or SIGINT."""
    port = int(os.environ.get("NOTIFY_SMTP_PORT", "8025"))
    controller = Controller(Printer(), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mail sink on 127.0.0.1:{port}: every mail notify sends is printed here", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
