"""Status webhooks for call-center systems (issue 15.2): an integrator subscribes and its
receiver — verifying every request with the reference implementation, `standardwebhooks` —
gets each status change of the complaints it filed once, in order, with its own
`external_ref`; retries keep the webhook-id; a receiver that keeps failing pauses the
subscription, announced and readable in the log; resuming sends what was held and failed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from notify_harness import (
    Notify,
    case_fields,
    complaint,
    dispatched,
    eventually,
    hex_id,
    is_problem,
)
from notify_harness import next_event as next_event
from notify_receivers import StandardWebhooksReceiver

from notify.settings import NotifySettings
from notify.signing import new_secret
from shared.clock import utcnow
from shared.contracts.base import Event
from shared.contracts.intake import ComplaintReceived
from shared.contracts.notify import WebhookSubscriptionPaused
from shared.contracts.routing import (
    CaseAssigned,
    CaseClosed,
    CaseProgressed,
    CaseReopened,
    CaseResolved,
    CaseWithdrawn,
)

pytestmark = pytest.mark.integration

PAUSE_AFTER = 2
BASE = "/v1/webhook-subscriptions"


@pytest.fixture
def notify_settings(notify_settings: NotifySettings) -> NotifySettings:
    """Notify's test settings, pausing a subscription after two deliveries failed for good."""
    return notify_settings.model_copy(update={"webhook_pause_after": PAUSE_AFTER})


@pytest.fixture
async def receiver() -> AsyncIterator[StandardWebhooksReceiver]:
    server = StandardWebhooksReceiver()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def integrator(notify: Notify, sub: str, *sites: str) -> dict[str, str]:
    return notify.headers(roles=["callcenter"], sites=sites, sub=sub)


async def subscribe(
    notify: Notify,
    receiver: StandardWebhooksReceiver,
    name: str,
    *,
    as_: dict[str, str],
    site_id: str,
    **fields: Any,
) -> dict[str, Any]:
    """A subscription pointing at the receiver's `/<name>`, its secret known to the receiver."""
    body = {"url": receiver.url(name), "site_ids": [site_id], **fields}
    created = await notify.ok("POST", BASE, json=body, as_=as_, status=201)
    receiver.secrets[name] = created["secret"]
    return dict(created)


class Complaint:
    """One complaint filed by `filer`: its events, as intake and routing publish them."""

    def __init__(self, notify: Notify, site_id: str, filer: str) -> None:
        self.notify = notify
        self.external_ref = hex_id("CC-")
        self.received: ComplaintReceived = complaint(site_id, None).model_copy(
            update={"reporter_type": "staff", "filed_by": filer, "external_ref": self.external_ref}
        )
        self.case = case_fields(site_id, self.received.complaint_id)
        self.version = 0

    @property
    def id(self) -> str:
        return self.received.complaint_id

    async def file(self) -> None:
        """complaint.received, and wait until notify knows the complaint."""
        event = self.received
        await self.notify.emit(event, aggregate_id=event.complaint_id, aggregate_version=1)

        async def known() -> int:
            sql = "SELECT count(*) FROM complaint_ref WHERE complaint_id = :c AND received"
            return int(await self.notify.scalar(sql, c=event.complaint_id))

        assert await eventually(known, 1) == 1

    async def case_event(self, cls: type[Event], **fields: Any) -> None:
        self.version += 1
        event = cls(**{**self.case, "at": utcnow()}, **fields)
        await self.notify.emit(
            event, aggregate_id=self.case["case_id"], aggregate_version=self.version
        )


async def whole_life(c: Complaint) -> None:
    await c.file()
    await c.case_event(CaseAssigned, department="cleaning")
    await c.case_event(CaseProgressed, note="保洁员已安排，明早清扫。")
    await c.case_event(CaseResolved, result="cleaned", reply="楼道已清扫干净。")
    await c.case_event(CaseClosed)


async def reopened_life(c: Complaint) -> None:
    await c.file()
    await c.case_event(CaseAssigned, department="cleaning")
    await c.case_event(CaseResolved, result="cleaned", reply="楼道已清扫干净。")
    await c.case_event(CaseReopened, reason="还是很脏")


async def withdrawn_life(c: Complaint) -> None:
    await c.file()
    await c.case_event(CaseAssigned, department="cleaning")
    await c.case_event(
        CaseWithdrawn, withdrawn_at=utcnow(), from_status="assigned", department="cleaning"
    )


WHOLE = ["received", "assigned", "progressed", "resolved", "closed"]
REOPENED = ["received", "assigned", "resolved", "reopened"]
WITHDRAWN = ["received", "assigned", "withdrawn"]


def hits(receiver: StandardWebhooksReceiver, name: str) -> Callable[[], Awaitable[int]]:
    """How many webhooks the receiver accepted at `/<name>`, for `eventually`."""

    async def count() -> int:
        return len(receiver.of(name))

    return count


def statuses(receiver: StandardWebhooksReceiver, name: str, complaint_id: str) -> list[str]:
    return [
        r.payload["data"]["status"]
        for r in receiver.of(name)
        if r.payload["data"]["complaint_id"] == complaint_id
    ]


async def test_each_status_change_reaches_the_filers_receiver_once_in_order(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site = hex_id("site-")
    mine, other = hex_id("cc-"), hex_id("cc-")
    await subscribe(notify, receiver, "mine", as_=integrator(notify, mine, site), site_id=site)
    await subscribe(notify, receiver, "other", as_=integrator(notify, other, site), site_id=site)
    closing = await subscribe(
        notify,
        receiver,
        "closing",
        as_=integrator(notify, mine, site),
        site_id=site,
        event_types=["complaint.closed", "complaint.withdrawn"],
    )
    whole, again, gone = (Complaint(notify, site, mine) for _ in range(3))

    await whole_life(whole)
    await reopened_life(again)
    await withdrawn_life(gone)

    expected = len(WHOLE) + len(REOPENED) + len(WITHDRAWN)
    assert await eventually(hits(receiver, "mine"), expected) == expected
    assert await eventually(hits(receiver, "closing"), 2) == 2
    # Every event was handled (each sent its webhook); once nothing is queued or waiting
    # for a retry and the dispatcher has gone round twice, nothing more will be sent.
    queued = "SELECT count(*) FROM delivery WHERE subscription_id IS NOT NULL AND status = 'queued'"
    assert await eventually(lambda: notify.scalar(queued), 0) == 0
    await dispatched(notify)
    assert receiver.rejected == []
    assert len(receiver.of("mine")) == expected
    assert statuses(receiver, "mine", whole.id) == WHOLE
    assert statuses(receiver, "mine", again.id) == REOPENED
    assert statuses(receiver, "mine", gone.id) == WITHDRAWN
    assert len({r.webhook_id for r in receiver.of("mine")}) == expected
    assert receiver.of("other") == []  # another integrator hears nothing of mine
    assert [r.payload["type"] for r in receiver.of("closing")] == [
        "complaint.closed",
        "complaint.withdrawn",
    ]
    first = receiver.of("mine")[0]
    assert first.payload["type"] == "complaint.received"
    assert set(first.headers) >= {"webhook-id", "webhook-timestamp", "webhook-signature"}
    for hit in receiver.of("mine"):
        data = hit.payload["data"]
        owner = {whole.id: whole, again.id: again, gone.id: gone}[data["complaint_id"]]
        assert data["external_ref"] == owner.external_ref
        assert data["reference"] == owner.received.reference
        assert data["site_id"] == site
        assert hit.payload["type"] == f"complaint.{data['status']}"
        assert hit.payload["timestamp"] == data["occurred_at"]
    versions = [r.payload["data"]["case_version"] for r in receiver.of("mine")]
    assert [
        v
        for r, v in zip(receiver.of("mine"), versions, strict=True)
        if r.payload["data"]["complaint_id"] == whole.id
    ] == [0, 1, 2, 3, 4]
    progressed = next(r for r in receiver.of("mine") if r.payload["data"]["status"] == "progressed")
    assert progressed.payload["data"]["note"] == "保洁员已安排，明早清扫。"
    log = await notify.ok(
        "GET", f"{BASE}/{closing['id']}/deliveries", as_=integrator(notify, mine, site)
    )
    assert [d["type"] for d in log["items"]] == ["complaint.withdrawn", "complaint.closed"]
    assert all(d["status"] == "sent" and d["tries"][0]["status_code"] == 204 for d in log["items"])


async def test_a_receiver_answering_500_then_200_gets_the_retry_with_the_same_webhook_id(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    as_ = integrator(notify, sub, site)
    created = await subscribe(notify, receiver, "flaky", as_=as_, site_id=site)
    receiver.answers["flaky"] = [500, 200]

    await Complaint(notify, site, sub).file()

    assert await eventually(hits(receiver, "flaky"), 2) == 2
    first, retry = receiver.of("flaky")
    assert first.webhook_id == retry.webhook_id
    assert (first.status, retry.status) == (500, 200)
    assert first.payload == retry.payload

    async def logged() -> list[Any]:
        page = await notify.ok("GET", f"{BASE}/{created['id']}/deliveries", as_=as_)
        return [(t["status_code"], t["outcome"]) for t in page["items"][0]["tries"]]

    assert await eventually(logged, [(500, "retry"), (200, "sent")]) == [
        (500, "retry"),
        (200, "sent"),
    ]
    [entry] = (await notify.ok("GET", f"{BASE}/{created['id']}/deliveries", as_=as_))["items"]
    assert entry["webhook_id"] == first.webhook_id
    assert (entry["status"], entry["attempts"], entry["next_attempt_at"]) == ("sent", 2, None)
    one = await notify.ok("GET", f"{BASE}/{created['id']}", as_=as_)
    assert (one["status"], one["consecutive_failures"]) == ("active", 0)


async def test_a_later_change_waits_for_an_earlier_one_still_being_retried(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    await subscribe(notify, receiver, "ordered", as_=integrator(notify, sub, site), site_id=site)
    receiver.answers["ordered"] = [500, 500, 200]
    c = Complaint(notify, site, sub)

    await c.file()
    await c.case_event(CaseAssigned, department="cleaning")

    assert await eventually(hits(receiver, "ordered"), 4) == 4
    seen = [(r.payload["data"]["status"], r.status) for r in receiver.of("ordered")]
    assert seen == [("received", 500), ("received", 500), ("received", 200), ("assigned", 200)]


async def test_a_case_event_that_overtakes_its_complaint_is_sent_after_it(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    await subscribe(notify, receiver, "early", as_=integrator(notify, sub, site), site_id=site)
    c = Complaint(notify, site, sub)

    await c.case_event(CaseAssigned, department="cleaning")
    held = "SELECT count(*) FROM webhook_held_event WHERE complaint_id = :c"
    assert await eventually(lambda: notify.scalar(held, c=c.id), 1) == 1
    await c.file()

    assert await eventually(hits(receiver, "early"), 2) == 2
    assert [r.payload["data"]["status"] for r in receiver.of("early")] == ["received", "assigned"]
    assert await notify.scalar(held, c=c.id) == 0


async def test_a_receiver_that_always_fails_pauses_its_subscription_and_resuming_sends_all(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    as_ = integrator(notify, sub, site)
    paused_events = await notify.watch("webhook_subscription.paused")
    created = await subscribe(notify, receiver, "down", as_=as_, site_id=site)
    path = f"{BASE}/{created['id']}"
    receiver.answers["down"] = [503]
    first, second, third = (Complaint(notify, site, sub) for _ in range(3))

    await first.file()
    await second.file()

    envelope, event = await next_event(paused_events)
    assert isinstance(event, WebhookSubscriptionPaused)
    assert (event.subscription_id, event.owner, event.site_ids) == (str(created["id"]), sub, [site])
    assert event.consecutive_failures == PAUSE_AFTER
    assert event.last_error == "webhook answered 503"
    assert envelope.site_id == site
    one = await notify.ok("GET", path, as_=as_)
    assert (one["status"], one["paused_reason"]) == ("paused", "failing")
    log = (await notify.ok("GET", f"{path}/deliveries", as_=as_))["items"]
    attempts = notify.settings.delivery_max_attempts
    assert [d["status"] for d in log] == ["failed", "failed"]
    assert all(len(d["tries"]) == attempts for d in log)
    assert all(t["status_code"] == 503 for d in log for t in d["tries"])
    assert [t["outcome"] for t in log[0]["tries"]] == ["retry"] * (attempts - 1) + ["failed"]
    tried = len(receiver.of("down"))
    assert tried == PAUSE_AFTER * attempts

    await third.file()  # while paused: kept, not sent
    await dispatched(notify)
    assert len(receiver.of("down")) == tried
    held = await notify.ok("GET", f"{path}/deliveries", as_=as_, params={"status": "queued"})
    assert [(d["complaint_id"], d["attempts"]) for d in held["items"]] == [(third.id, 0)]

    receiver.answers["down"] = [200]
    resumed = await notify.ok("PATCH", path, json={"status": "active"}, as_=as_)
    assert (resumed["status"], resumed["consecutive_failures"]) == ("active", 0)

    async def sent_ok() -> set[str]:
        return {r.payload["data"]["complaint_id"] for r in receiver.of("down") if r.status == 200}

    everything = {first.id, second.id, third.id}
    assert await eventually(sent_ok, everything) == everything

    async def logged() -> list[str]:
        return [
            d["status"] for d in (await notify.ok("GET", f"{path}/deliveries", as_=as_))["items"]
        ]

    assert await eventually(logged, ["sent"] * 3) == ["sent"] * 3


async def test_a_paused_subscription_holds_its_events_until_resumed(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    as_ = integrator(notify, sub, site)
    created = await subscribe(notify, receiver, "held", as_=as_, site_id=site)
    path = f"{BASE}/{created['id']}"
    paused = await notify.ok("PATCH", path, json={"status": "paused"}, as_=as_)
    assert (paused["status"], paused["paused_reason"]) == ("paused", "requested")

    await Complaint(notify, site, sub).file()  # handled: its delivery is queued, held
    await dispatched(notify)
    assert receiver.of("held") == []
    log = (await notify.ok("GET", f"{path}/deliveries", as_=as_))["items"]
    assert [(d["status"], d["attempts"]) for d in log] == [("queued", 0)]

    await notify.ok("PATCH", path, json={"status": "active"}, as_=as_)
    assert await eventually(hits(receiver, "held"), 1) == 1


async def test_a_rotated_secret_signs_beside_the_old_one(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    as_ = integrator(notify, sub, site)
    created = await subscribe(notify, receiver, "rotating", as_=as_, site_id=site)
    old = created["secret"]

    rotated = await notify.ok("POST", f"{BASE}/{created['id']}/secret-rotation", as_=as_)
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != old
    receiver.secrets["rotating"] = rotated["secret"]
    await Complaint(notify, site, sub).file()
    assert await eventually(hits(receiver, "rotating"), 1) == 1
    assert len(receiver.of("rotating")[0].headers["webhook-signature"].split()) == 2
    one = await notify.ok("GET", f"{BASE}/{created['id']}", as_=as_)
    assert one["previous_secret_until"] is not None
    assert "secret" not in one


async def test_subscriptions_are_their_owners_within_their_sites(notify: Notify) -> None:
    site, elsewhere = hex_id("site-"), hex_id("site-")
    sub = hex_id("cc-")
    as_ = integrator(notify, sub, site)
    secret = new_secret()
    body = {"url": "http://127.0.0.1:9/hook", "site_ids": [site], "secret": secret}
    key = {"Idempotency-Key": str(uuid.uuid4())}

    created = await notify.ok("POST", BASE, json=body, as_=as_, headers=key, status=201)
    replay = await notify.request("POST", BASE, json=body, as_=as_, headers=key)
    path = f"{BASE}/{created['id']}"

    assert created["secret"] == secret
    assert created["owner"] == sub == created["filer"]
    assert created["event_types"] == sorted(created["event_types"])
    assert len(created["event_types"]) == 7
    assert (replay.status_code, replay.json()["id"]) == (200, created["id"])
    assert replay.headers["Idempotent-Replayed"] == "true"
    # Another call-center, another site's admin, and staff roles find nothing or are refused.
    other = integrator(notify, hex_id("cc-"), site)
    outsider_admin = notify.headers(roles=["admin"], sites=[elsewhere])
    site_admin = notify.headers(roles=["admin"], sites=[site])
    handler = notify.headers(roles=["handler", "dept_head", "gm"], sites=[site])
    assert is_problem(await notify.request("GET", path, as_=other), 404)
    assert is_problem(
        await notify.request("PATCH", path, json={"description": "x"}, as_=other), 404
    )
    assert is_problem(await notify.request("DELETE", path, as_=other), 404)
    assert (await notify.ok("GET", BASE, as_=other))["items"] == []
    assert is_problem(await notify.request("GET", path, as_=outsider_admin), 404)
    assert (await notify.ok("GET", path, as_=site_admin))["id"] == created["id"]
    assert is_problem(await notify.request("GET", BASE, as_=handler), 403)
    assert is_problem(await notify.request("POST", BASE, json=body, as_=handler), 403)
    assert is_problem(await notify.request("GET", f"{path}/deliveries", as_=handler), 403)
    # Writes naming a site not the caller's, or someone else's complaints, are refused.
    wider = {**body, "site_ids": [site, elsewhere]}
    assert is_problem(await notify.request("POST", BASE, json=wider, as_=as_), 403)
    everywhere = {**body, "site_ids": ["*"]}
    assert is_problem(await notify.request("POST", BASE, json=everywhere, as_=as_), 403)
    theirs = {**body, "filer": hex_id("cc-")}
    assert is_problem(await notify.request("POST", BASE, json=theirs, as_=as_), 403)
    moved = {"site_ids": [elsewhere]}
    assert is_problem(await notify.request("PATCH", path, json=moved, as_=as_), 403)
    # Only http(s) URLs, only Standard Webhooks secrets.
    for url in ("ftp://cc.example/hook", "file:///etc/passwd", "javascript:alert(1)", "nohost"):
        refused = await notify.request("POST", BASE, json={**body, "url": url}, as_=as_)
        assert is_problem(refused, 422), url
    for bad in ("plain", "whsec_???", "whsec_" + "QUJD"):
        refused = await notify.request("POST", BASE, json={**body, "secret": bad}, as_=as_)
        assert is_problem(refused, 422), bad
    listed = await notify.ok("GET", BASE, as_=as_, params={"site_id": site})
    assert [s["id"] for s in listed["items"]] == [created["id"]]
    await notify.ok("DELETE", path, as_=as_, status=204)
    assert is_problem(await notify.request("GET", path, as_=as_), 404)


async def test_a_complaint_filed_by_nobody_subscribed_sends_no_webhook(
    notify: Notify, receiver: StandardWebhooksReceiver
) -> None:
    site, sub = hex_id("site-"), hex_id("cc-")
    await subscribe(notify, receiver, "quiet", as_=integrator(notify, sub, site), site_id=site)
    staff_filed = Complaint(notify, site, hex_id("desk-"))
    other_site = Complaint(notify, hex_id("site-"), sub)

    await staff_filed.file()
    await other_site.file()  # both handled: any delivery they made is in the table
    await dispatched(notify)

    assert receiver.of("quiet") == []
    rows = await notify.rows(
        "SELECT count(*) FROM delivery WHERE subscription_id IS NOT NULL AND source_id IN "
        "(SELECT source_id FROM message WHERE complaint_id IN (:a, :b))",
        a=staff_filed.id,
        b=other_site.id,
    )
    assert rows[0][0] == 0
