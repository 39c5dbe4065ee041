"""A local SMS gateway that prints every SMS notify sends, for `make run`.

It listens on 127.0.0.1 at `SMS_SINK_PORT` (8026 by default; `make run` points notify's
`NOTIFY_SMS_GATEWAY_URL` at it) and takes notify's gateway request (`POST /sms`, JSON
`{"to", "text", "reference", ...}`, see notify/channels/sms.py), prints its number and
text, and answers as a gateway does, with an id, so that a newcomer sees the
acknowledgements, replies and callback links the demo's residents receive by SMS.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NUMBERS = itertools.count(1)


class Gateway(BaseHTTPRequestHandler):
    """Prints each SMS as it is accepted."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            sms = json.loads(self.rfile.read(length) or b"{}")
            to, text = str(sms["to"]), str(sms.get("text", ""))
        except (ValueError, KeyError, TypeError):
            self._answer(400, {"error": "a JSON body with `to` and `text`"})
            return
        print(f"sms to {to}:", flush=True)
        for line in text.splitlines():
            print(f"    {line}", flush=True)
        self._answer(200, {"id": f"sink-{next(NUMBERS)}"})

    def _answer(self, status: int, body: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Each SMS is printed once, above; no access log beside it."""


def main() -> None:
    """Serve until SIGTERM or SIGINT."""
    port = int(os.environ.get("SMS_SINK_PORT", "8026"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Gateway)
    print(f"sms sink on 127.0.0.1:{port}: every SMS notify sends is printed here", flush=True)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


if __name__ == "__main__":
    main()
