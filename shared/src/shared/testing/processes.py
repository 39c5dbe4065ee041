"""Services as real processes in tests: start, wait until healthy, kill, restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from shared.settings import ServiceSettings
from shared.testing import servers


class ServiceProcess:
    """One service process (`python -m <module>`), its log in a file."""

    def __init__(
        self,
        module: str,
        *,
        port: int,
        env: Mapping[str, str],
        log_path: Path,
        args: Sequence[str] = (),
        cwd: Path | None = None,
    ) -> None:
        self.module = module
        self.port = port
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.args = list(args)
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, wait: bool = True, timeout: float = 60.0) -> ServiceProcess:
        """Start the process and, by default, wait until /readyz answers 200."""
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, *self.args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.cwd,
        )
        log.close()
        if wait:
            self.wait_ready(timeout=timeout)
        return self

    def wait_ready(self, *, timeout: float = 60.0) -> None:
        """Block until /readyz is 200, or fail with the process's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.module} exited ({self.proc.returncode}):\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.module} not ready after {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing flushed."""
        self._signal(signal.SIGKILL)
        self.wait(timeout=10)

    def terminate(self, *, timeout: float = 30.0) -> int:
        """SIGTERM and wait for the exit code."""
        self._signal(signal.SIGTERM)
        return self.wait(timeout=timeout)

    def wait(self, *, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        """The process's output so far (the tail, if long)."""
        try:
            return self.log_path.read_text(errors="replace")[-20_000:]
        except FileNotFoundError:
            return ""

    def _signal(self, sig: signal.Signals) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(sig)

    def __enter__(self) -> ServiceProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.alive():
            self.kill()


def settings_env(settings: ServiceSettings) -> dict[str, str]:
    """Environment variables that reproduce `settings` in a service process."""
    prefix = f"{settings.service_name.upper()}_"
    env: dict[str, str] = {}
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        key = field.alias if field.alias else f"{prefix}{name.upper()}"
        env[key] = _env_value(value)
    return env


def _env_value(value: object) -> str:
    """A setting as the environment gives it: an enum by its value, a list or tuple as JSON
    (pydantic-settings reads complex fields as JSON; `str` of a tuple is not)."""
    if isinstance(value, list | tuple | set | frozenset):
        return json.dumps(list(value))
    return str(getattr(value, "value", value))


def drop_connections(vhost: str) -> None:
    """`rabbitmqctl close_all_connections` for one virtual host: every client of it is cut."""
    servers.rabbitmqctl("close_all_connections", "--vhost", vhost, "careloop test drill")
