"""The tests' servers get ports no outgoing connection can take and no other worker hands
out: below the kernel's ephemeral range, in the worker's own block."""

from __future__ import annotations

import itertools
import socket

import pytest

from shared.testing import plugin


def test_ports_are_below_the_ephemeral_range_and_in_the_workers_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw2")
    ports = [plugin.free_port() for _ in range(50)]

    low = plugin._FIRST + 2 * plugin._BLOCK
    assert all(low <= p < low + plugin._BLOCK for p in ports)
    assert all(p < 32768 for p in ports)
    assert len(set(ports)) == len(ports)  # handed out in turn, not the same one twice


def test_a_port_someone_listens_on_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setattr(plugin, "_taken", itertools.count(10))
    start = plugin._FIRST + plugin._BLOCK
    assert plugin.free_port() == start + 10
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", start + 11))
        busy.listen()
        assert plugin.free_port() == start + 12  # the busy one, next in turn, is skipped
