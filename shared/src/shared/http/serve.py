"""`python -m <service>`: serve the app with uvicorn on the service's host and port."""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI

from shared.http.app import SHUTDOWN_GRACE, Runtime


def serve(app: FastAPI) -> None:
    """Run until SIGTERM or SIGINT; exit non-zero when the watchdog gave up on the broker.

    After a graceful stop on a signal, uvicorn re-raises that signal, so the exit status
    says what stopped the process (-15 for SIGTERM), as supervisors expect.
    """
    runtime: Runtime = app.state.runtime
    settings = runtime.settings
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(SHUTDOWN_GRACE),
        lifespan="on",
    )
    server = uvicorn.Server(config)

    def stop_gracefully() -> None:
        server.should_exit = True

    runtime.request_exit = stop_gracefully
    server.run()
    if runtime.exit_code:
        sys.exit(runtime.exit_code)
    if not server.started:
        sys.exit(1)
