"""`make run`'s shape: the Procfile brings every service up on SQLite, and they stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.testing.plugin import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "routing", "surveys", "notify")


def _settings_classes() -> dict[str, Any]:
    import importlib

    return {
        name: getattr(importlib.import_module(f"{name}.settings"), f"{name.capitalize()}Settings")
        for name in SERVICES
    }


async def test_the_procfile_runs_every_service_until_sigterm(
    make_settings: Callable[..., Any], tmp_path: Path, run_id: str
) -> None:
    ports = {name: free_port() for name in SERVICES}
    env = {**os.environ, "CARELOOP_LOG_FORMAT": "json"}
    for name, cls in _settings_classes().items():
        settings = make_settings(cls, port=ports[name])
        env[f"{name.upper()}_PORT"] = str(ports[name])
        env[f"{name.upper()}_DATA_DIR"] = str(tmp_path)
        env[f"{name.upper()}_EXCHANGE"] = settings.exchange
        env[f"{name.upper()}_QUEUE_PREFIX"] = settings.queue_prefix
        env[f"{name.upper()}_AMQP_URL"] = settings.amqp_url
    procfile = tmp_path / "Procfile"
    procfile.write_text((ROOT / "Procfile").read_text().replace(".venv/bin/python", sys.executable))
    log = (tmp_path / "honcho.log").open("wb")
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "-f", str(procfile), "-d", str(ROOT)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        ready = {name: _wait_ready(ports[name]) for name in SERVICES}
        assert ready == dict.fromkeys(SERVICES, True), (tmp_path / "honcho.log").read_text()[-5000:]
        for name in SERVICES:
            assert (tmp_path / f"{name}.db").exists()
    finally:
        honcho.send_signal(signal.SIGTERM)
        honcho.wait(timeout=60)
        log.close()
    output = (tmp_path / "honcho.log").read_text()
    assert output.count('"event": "stopped"') + output.count('"event":"stopped"') == len(SERVICES)


def _wait_ready(port: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False
