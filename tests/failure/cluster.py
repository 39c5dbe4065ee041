"""A three-node RabbitMQ cluster on this machine, beside its own broker, for the cluster drill.

Each node is the installed `rabbitmq-server` run as this user from
`/usr/lib/rabbitmq/bin` (Debian's `/usr/sbin` wrappers would switch to the `rabbitmq`
user and its home): its own node name, AMQP and distribution ports, data, logs, config,
an empty plugin list (no management) and an empty `rabbitmq-env.conf`, all under one
folder. The nodes and the CLI calls share a `HOME` holding a copy of the machine's Erlang
cookie, the one Debian's `rabbitmqctl` uses (`/var/lib/rabbitmq/.erlang.cookie`; a fresh
one when it cannot be read), so `rabbitmqctl -n <node> ...` reaches them from the machine
too. Nothing of the machine's own node (`rabbit@localhost`, port 5672) is read or changed.
Every wait is on a condition the CLI reports; `close()` stops every node and leaves no
process behind (not even epmd, when the first node had to start it).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

BIN = Path("/usr/lib/rabbitmq/bin")
MACHINE_COOKIES = (Path("/var/lib/rabbitmq/.erlang.cookie"), Path.home() / ".erlang.cookie")
# Blocks of ports tried in turn: AMQP 5682.., distribution 25682.. (the CLI takes
# distribution ports 10000 above its node's), far from the machine's 5672 and 25672.
FIRST_PORT, DIST_OFFSET, BLOCKS = 5682, 20_000, 5
EPMD_PORT = 4369
STARTUP = 120.0
CLI_TIMEOUT = 120.0


@dataclass(frozen=True)
class Node:
    """One node of the cluster."""

    name: str
    port: int
    dist_port: int
    home: Path

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"


class Cluster:
    """Three RabbitMQ nodes joined in one cluster, under `base`; a context manager."""

    def __init__(self, base: Path, *, tag: str, size: int = 3) -> None:
        self.base = base
        first = _free_block(size)
        letters = "abcdefg"[:size]
        self.nodes = [
            Node(f"rabbit-{x}-{tag}@localhost", first + i, first + DIST_OFFSET + i, base / x)
            for i, x in enumerate(letters)
        ]
        self.home = base / "home"
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._epmd_was_up = False

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start every node, join the others to the first, and wait until all run."""
        self._write_home()
        self._epmd_was_up = not _free(EPMD_PORT)
        for node in self.nodes:
            self._launch(node)
        for node in self.nodes:
            self.await_startup(node)
        first = self.nodes[0]
        for node in self.nodes[1:]:
            self.ctl(node, "stop_app")
            self.ctl(node, "join_cluster", first.name)
            self.ctl(node, "start_app")
            self.await_startup(node)
        self.await_running(len(self.nodes))

    def close(self) -> None:
        """Stop every node this cluster started; kill what does not exit."""
        for node in self.nodes:
            process = self._processes.get(node.name)
            if process is not None and process.poll() is None:
                self.ctl(node, "stop", check=False)
        for name, process in self._processes.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: beam and children
                process.wait(timeout=10)
            assert process.poll() is not None, f"{name} still runs"
        self._processes.clear()
        self._stop_epmd()

    def _stop_epmd(self) -> None:
        """The epmd the first node started, if none ran before and no node uses it now."""
        epmd = shutil.which("epmd")
        if self._epmd_was_up or epmd is None or _free(EPMD_PORT):
            return
        names = subprocess.run([epmd, "-names"], capture_output=True, text=True, check=False)
        if "\nname " not in names.stdout:
            subprocess.run([epmd, "-kill"], capture_output=True, check=False)

    def ctl(self, node: Node, *args: str, check: bool = True) -> str:
        """`rabbitmqctl -n <node> args` with the cluster's cookie; its output."""
        return self._cli("rabbitmqctl", node, *args, check=check)

    def await_startup(self, node: Node, *, within: float = STARTUP) -> None:
        """Until the node's RabbitMQ application has started.

        `await_startup` fails at once while the node has not registered with epmd yet, so
        it is asked again until it succeeds or the node's process has exited.
        """
        deadline = time.monotonic() + within
        while True:
            done = self._run("rabbitmqctl", node, "await_startup", "--timeout", "60")
            if done.returncode == 0:
                return
            process = self._processes.get(node.name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{node.name} exited:\n{self.log(node)}")
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{node.name} did not start: {done.stderr}\n{self.log(node)}")
            time.sleep(0.5)

    def await_running(self, count: int, *, on: Node | None = None) -> list[str]:
        """Until `count` nodes run in the cluster (as `on`, or the first node, sees it)."""
        node = on or self.nodes[0]
        deadline = time.monotonic() + STARTUP
        while True:
            running = self.running(node)
            if len(running) == count or time.monotonic() >= deadline:
                assert len(running) == count, f"running nodes: {running}"
                return running
            time.sleep(0.5)

    def running(self, node: Node) -> list[str]:
        """The cluster's running nodes, as `node` sees them."""
        status = json.loads(self.ctl(node, "cluster_status", "--formatter", "json"))
        return sorted(status.get("running_nodes", []))

    def queues(self, on: Node) -> dict[str, dict[str, Any]]:
        """Every queue by name: its type, leader and members, as `on` sees them."""
        items = ("name", "type", "leader", "members")
        out = self.ctl(on, "list_queues", *items, "--formatter", "json")
        return {q["name"]: q for q in json.loads(out)}

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def kill(self, node: Node) -> None:
        """SIGKILL the node's Erlang VM and its children: a crash, nothing shut down."""
        process = self._processes.pop(node.name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def restart(self, node: Node) -> None:
        """Start a killed node again on its data; it rejoins the cluster by itself."""
        self._launch(node)
        self.await_startup(node)

    def log(self, node: Node) -> str:
        path = node.home / "log" / f"{node.name}.log"
        startup = node.home / "stdout.log"
        found = [p.read_text(errors="replace")[-5000:] for p in (startup, path) if p.exists()]
        return "\n".join(found)

    def _write_home(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        cookie = self.home / ".erlang.cookie"
        cookie.write_text(_machine_cookie())
        cookie.chmod(0o400)  # Erlang refuses a cookie others can read
        for node in self.nodes:
            for folder in ("mnesia", "log"):
                (node.home / folder).mkdir(parents=True, exist_ok=True)
            (node.home / "rabbitmq.conf").write_text(
                f"listeners.tcp.1 = 127.0.0.1:{node.port}\n"
                "cluster_partition_handling = pause_minority\n"
            )
            (node.home / "enabled_plugins").write_text("[].\n")
            (node.home / "rabbitmq-env.conf").write_text("")

    def _launch(self, node: Node) -> None:
        out = (node.home / "stdout.log").open("ab")
        self._processes[node.name] = subprocess.Popen(
            [_tool("rabbitmq-server")],
            env=self._env(node),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=node.home,
            start_new_session=True,  # its own process group, killed as one if it hangs
        )
        out.close()

    def _env(self, node: Node) -> dict[str, str]:
        home = node.home
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))},
            "HOME": str(self.home),
            "RABBITMQ_NODENAME": node.name,
            "RABBITMQ_DIST_PORT": str(node.dist_port),
            "RABBITMQ_MNESIA_BASE": str(home / "mnesia"),
            "RABBITMQ_LOG_BASE": str(home / "log"),
            "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(home / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(home / "rabbitmq-env.conf"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    def _run(self, tool: str, node: Node, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_tool(tool), "-q", "-n", node.name, *args],
            env=self._env(node),
            capture_output=True,
            text=True,
            check=False,
            timeout=CLI_TIMEOUT,
        )

    def _cli(self, tool: str, node: Node, *args: str, check: bool = True) -> str:
        done = self._run(tool, node, *args)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} -n {node.name} {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout


def _tool(name: str) -> str:
    """The real script, not a wrapper that changes user: /usr/lib/rabbitmq/bin, or PATH."""
    if (BIN / name).exists():
        return str(BIN / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"the cluster drill needs {name} (Debian: apt-get install rabbitmq-server)")
    return found


def _machine_cookie() -> str:
    """The Erlang cookie the machine's rabbitmqctl uses, or a fresh one if none is readable."""
    for path in MACHINE_COOKIES:
        try:
            return path.read_text().strip()
        except OSError:
            continue
    return secrets.token_hex(20).upper()


def _free_block(size: int) -> int:
    """The first AMQP port of a block whose AMQP and distribution ports are all free."""
    for block in range(BLOCKS):
        first = FIRST_PORT + 10 * block
        ports = [first + i for i in range(size)] + [first + DIST_OFFSET + i for i in range(size)]
        if all(_free(port) for port in ports):
            return first
    raise RuntimeError(f"no free block of ports from {FIRST_PORT} for a {size}-node cluster")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
