"""`make run`'s shape: the Procfile brings every service up on SQLite with the demo group
loaded and a mail sink printing what notify sends, and they stop on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.http.auth import issue_token
from shared.testing import personal
from shared.testing.plugin import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "routing", "surveys", "notify", "console")


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
    for name in SERVICES[:-1]:  # the console calls the four where they listen in this test
        env[f"CONSOLE_{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"
    env["NOTIFY_SMTP_PORT"] = str(free_port())
    env["SMS_SINK_PORT"] = str(free_port())
    procfile = tmp_path / "Procfile"
    procfile.write_text((ROOT / "Procfile").read_text().replace(".venv/bin/python", sys.executable))
    log = (tmp_path / HONCHO_OUTPUT).open("wb")
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
        assert ready == dict.fromkeys(SERVICES, True), _tail(tmp_path)
        for name in SERVICES:
            assert (tmp_path / f"{name}.db").exists()
        admin = issue_token(settings, sub="test", roles=["admin"], sites=["*"])
        assert _demo_loaded(ports, {"Authorization": f"Bearer {admin}"}), _tail(tmp_path)
        sign_in = httpx.get(f"http://127.0.0.1:{ports['console']}/sign-in", timeout=10)
        assert sign_in.status_code == 200
        assert "张三" in sign_in.text  # the demo's people, from routing's organisation
        where = f"http://127.0.0.1:{ports['console']}/sign-in"
        assert _printed(tmp_path, where), _tail(tmp_path)  # the demo says where to sign in
        _the_demo_complaint_reaches_its_resident(tmp_path, ports, settings)
    finally:
        honcho.send_signal(signal.SIGTERM)
        honcho.wait(timeout=60)
        log.close()
    output = (tmp_path / HONCHO_OUTPUT).read_text()
    assert output.count('"event": "stopped"') + output.count('"event":"stopped"') == len(SERVICES)
    # The demo prints its people and a complaint to type for the person at the terminal;
    # what the services themselves logged holds none of it in clear.
    logged = "\n".join(line for line in output.splitlines() if not DEMO_LINE.match(line))
    assert personal.found_in(logged, DEMO_PEOPLE) == []


# Not `*.log`: beside the services' lines it holds what the demo and the mail and SMS sinks
# print for the person at the terminal (the demo's people, a phone to type, the messages
# they receive), which the check of every test's logs would take for a leak; this test
# checks the services' lines itself.
HONCHO_OUTPUT = "honcho.out"
DEMO_LINE = re.compile(r"^\S+ (?:demo|mail|sms)\.\d+\s+\|")
DEMO_PEOPLE = frozenset({"李女士", "赵先生", "周敏", "钱师傅", "何师傅", "陈经理", "赵工"})


def _the_demo_complaint_reaches_its_resident(
    tmp_path: Path, ports: dict[str, int], settings: Any
) -> None:
    """The complaint the demo prints, filed as it says: the resident it names gets the
    acknowledgement by SMS, and, once the handler resolves it, the reply with its callback
    link (the `sms` sink prints both)."""
    printed = (tmp_path / HONCHO_OUTPUT).read_text()
    body = json.loads(re.search(r"-d '(\{.*?\})'", printed, re.S).group(1))  # type: ignore[union-attr]
    desk = _bearer(settings, "cc-desk", "callcenter", "demo")
    filed = httpx.post(_at(ports, "intake", "/v1/complaints"), json=body, headers=desk, timeout=10)
    assert filed.status_code == 201, filed.text
    assert _printed(tmp_path, "sms to 13800138000"), _tail(tmp_path)
    case_id = _eventually(
        lambda: (
            httpx.get(_at(ports, "intake", f"/v1/complaints/{filed.json()['id']}"), headers=desk)
            .json()
            .get("case_id")
        )
    )
    admin = _bearer(settings, "a", "admin", "*")
    handler = _eventually(
        lambda: httpx.get(_at(ports, "routing", f"/v1/cases/{case_id}"), headers=admin).json()[
            "handler"
        ]
    )
    worker = _bearer(settings, handler, "handler", "demo")
    for action, said in (
        ("accept", {}),
        ("resolution", {"result": "已更换电梯导靴", "reply": "电梯已修好"}),
    ):
        done = httpx.post(
            _at(ports, "routing", f"/v1/cases/{case_id}/{action}"), json=said, headers=worker
        )
        assert done.status_code == 200, done.text
    assert _printed(tmp_path, "电梯已修好"), _tail(tmp_path)
    link = f"127.0.0.1:{ports['notify']}/c/"
    assert _printed(tmp_path, link), _tail(tmp_path)  # the callback link, by SMS


def _bearer(settings: Any, sub: str, role: str, site: str) -> dict[str, str]:
    token = issue_token(settings, sub=sub, roles=[role], sites=[site])
    return {"Authorization": f"Bearer {token}"}


def _at(ports: dict[str, int], service: str, path: str) -> str:
    return f"http://127.0.0.1:{ports[service]}{path}"


def _eventually(read: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while (found := read()) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found is not None
    return found


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


DEMO = {  # what scripts/demo.py loads: a list each service that owns a part of it answers
    "intake": ("/v1/sites/demo/households", "items"),
    "routing": ("/v1/sites/demo/organisation", "departments"),
    "notify": ("/v1/sites/demo/staff-contacts", "staff"),
}


def _demo_loaded(ports: dict[str, int], headers: dict[str, str], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    missing = dict(DEMO)
    while missing and time.monotonic() < deadline:
        for name, (path, field) in list(missing.items()):
            answer = httpx.get(f"http://127.0.0.1:{ports[name]}{path}", headers=headers, timeout=5)
            if answer.status_code == 200 and answer.json().get(field):
                del missing[name]
        time.sleep(0.2)
    return not missing


def _printed(tmp_path: Path, text: str, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in (tmp_path / HONCHO_OUTPUT).read_text():
            return True
        time.sleep(0.2)
    return False


def _tail(tmp_path: Path) -> str:
    return (tmp_path / HONCHO_OUTPUT).read_text()[-5000:]
