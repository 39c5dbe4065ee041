"""Live hints reach only the people who may see their site; bad bodies are skipped."""

from __future__ import annotations

import orjson

from console.live.hub import Hint, Hub
from console.live.listener import hint_of
from shared.http.auth import Principal, Role


def principal(*sites: str) -> Principal:
    return Principal(sub="p", name="p", roles=frozenset({Role.HANDLER}), sites=frozenset(sites))


def test_a_hint_goes_to_watchers_of_its_site_only() -> None:
    hub = Hub()
    with (
        hub.watch("s-a", principal("site-a")) as a,
        hub.watch("s-b", principal("site-b")) as b,
        hub.watch("s-all", principal("*")) as group,
    ):
        told = hub.tell(Hint("case.assigned", "site-a", case_id="c1"))
    assert told == 2
    assert a.inbox.get_nowait().case_id == "c1"
    assert group.inbox.qsize() == 1
    assert b.inbox.empty()


def test_a_hint_without_a_site_reaches_only_group_wide_watchers() -> None:
    hub = Hub()
    with hub.watch("s-a", principal("site-a")) as a, hub.watch("s-all", principal("*")) as group:
        hub.tell(Hint("case.assigned", None))
    assert a.inbox.empty()
    assert group.inbox.qsize() == 1


def test_a_watcher_that_does_not_read_is_skipped_not_waited_for() -> None:
    hub = Hub()
    with hub.watch("s-a", principal("site-a")) as slow:
        for _ in range(150):
            hub.tell(Hint("case.progressed", "site-a"))
    assert slow.inbox.qsize() == 100


def test_signing_out_closes_that_sessions_connections_only() -> None:
    hub = Hub()
    with (
        hub.watch("s-a", principal("site-a")) as mine,
        hub.watch("s-b", principal("site-a")) as other,
    ):
        hub.close_session("s-a")
    assert mine.closed.is_set()
    assert not other.closed.is_set()


def test_a_watcher_is_forgotten_when_its_connection_ends() -> None:
    hub = Hub()
    with hub.watch("s-a", principal("site-a")):
        pass
    assert hub.tell(Hint("case.assigned", "site-a")) == 0


def test_hints_name_the_area_and_the_case() -> None:
    assert Hint("case.resolved", "s", case_id="c9").names() == ["case", "case-c9"]
    assert Hint("callback.completed", "s", case_id="c9").names() == ["callback", "case-c9"]
    assert Hint("complaint.received", "s").names() == ["case"]


def test_an_envelope_becomes_a_hint_and_anything_else_nothing() -> None:
    body = {
        "type": "case.assigned",
        "site_id": "s1",
        "data": {"case_id": "c1", "complaint_id": "k1"},
    }
    assert hint_of(orjson.dumps(body)) == Hint("case.assigned", "s1", "c1", "k1")
    assert hint_of(b"not json") is None
    assert hint_of(b"[1, 2]") is None
    assert hint_of(orjson.dumps({"data": {}})) is None
