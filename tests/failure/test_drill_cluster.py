"""careloop on a three-node RabbitMQ cluster: the node leading routing's queue killed and a
routing replica killed during a burst, then the node brought back. Nothing is lost or
done twice, nothing is parked, the outboxes drain.

The cluster is three nodes of the installed RabbitMQ beside the machine's own broker
(`cluster.py`), which this drill never touches. Intake and routing run as two replicas
each, every process on one node's URL (careloop connects to one `AMQP_URL`; a replica
whose node is down waits for it, as a replica behind a load balancer would not), the
complaints spread over both intakes. The node is killed (SIGKILL), not stopped with
`stop_app`: that call takes seconds to return, long enough for a small burst to end. It
runs `alone`: three Erlang nodes and six service processes take what a two-core machine
has.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cluster import Cluster, Node
from drill import CASES, CONSUMERS, Drill, size

from shared.settings import ServiceSettings
from shared.testing.plugin import free_port, settings_for_test
from shared.testing.system import SERVICES, Service, System, settings_class

pytestmark = [pytest.mark.failure, pytest.mark.alone]

REPLICATED = ("intake", "routing")


@dataclass
class ClusterDrill:
    """The drill, the cluster under it and the second replica of intake and routing."""

    drill: Drill
    cluster: Cluster
    replicas: dict[str, Service]

    def node_of(self, service: Service) -> Node:
        return next(n for n in self.cluster.nodes if n.url == service.settings.amqp_url)


@pytest.fixture
async def clustered(
    postgres_url: str, run_id: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[ClusterDrill]:
    """Every service on the cluster, intake and routing twice, one site set up."""
    # The nodes' files live apart from the test's folder, whose *.log are the services'.
    with Cluster(tmp_path_factory.mktemp("cluster"), tag=run_id) as cluster:
        nodes = cluster.nodes
        # Service n on node n % 3, the second replicas on the nodes after the first ones'.
        settings = [
            _settings(name, nodes[n % len(nodes)], run_id, tmp_path)
            for n, name in enumerate(SERVICES)
        ]
        async with System(
            settings, admin_url=postgres_url, run_id=run_id, log_dir=tmp_path
        ) as system:
            replicas = {
                name: _replica(system[name], nodes[(n + 2) % len(nodes)], tmp_path / "replicas")
                for n, name in enumerate(REPLICATED)
            }
            try:
                await system.start()
                for replica in replicas.values():
                    replica.process.start(wait=False)
                for replica in replicas.values():
                    await asyncio.to_thread(replica.process.wait_ready, timeout=90)
                drill = Drill(system)
                await drill.set_up_site()
                yield ClusterDrill(drill, cluster, replicas)
            finally:
                for replica in replicas.values():
                    if replica.process.alive():
                        replica.process.kill()
                    await replica.db.dispose()


async def test_drill_cluster_leader_node_and_routing_replica_killed_mid_burst(
    clustered: ClusterDrill,
) -> None:
    drill, cluster = clustered.drill, clustered.cluster
    system = drill.system
    count = size(400, 5000)
    _assert_quorum_queues_on_every_node(clustered)
    main = system["routing"].settings.queue_name()
    leader = cluster.node(cluster.queues(cluster.nodes[0])[main]["leader"])
    survivor = next(n for n in cluster.nodes if n != leader)
    intakes = [system["intake"].url, clustered.replicas["intake"].url]
    posting = asyncio.create_task(drill.post(count, intakes=intakes))

    at = await drill.when("routing", CASES, count // 5, within=120)
    cluster.kill(leader)
    stopped = time.monotonic()
    down_at = await drill.when("routing", CASES, 0, within=0)  # cases when it died
    await drill.when("routing", CASES, down_at + 1, within=120)
    resumed = time.monotonic() - stopped  # the first case after it died
    during = await drill.when("routing", CASES, down_at + count // 10, within=120)
    consuming = _routing_replica_not_on(clustered, leader)
    consuming.process.kill()  # mid-batch, on the new leader: its unacked messages go back
    elected = await _leader_elected(cluster, survivor, main, not_on=leader)
    seen_elected = time.monotonic() - stopped  # an upper bound: read after the kill
    await asyncio.to_thread(cluster.restart, leader)
    back = time.monotonic()
    # Only now: a service cannot start while the node holding its classic retry queue is
    # down (docs/rabbitmq.md, "On a cluster").
    consuming.process.start(wait=False)
    await asyncio.to_thread(consuming.process.wait_ready, timeout=90)
    burst = await posting
    posted = time.monotonic()

    assert during < count, "routing finished before a replica was killed; too small a burst"
    assert during >= down_at + count // 10, f"{during - down_at} cases while {leader.name} was down"
    assert elected not in ("", leader.name), f"no new leader for {main} after {leader.name}"
    assert burst.problems() == {}
    await drill.assert_complete(count)
    settled = time.monotonic()
    assert cluster.running(survivor) == sorted(n.name for n in cluster.nodes)
    print(
        f"\ncluster drill: {count} complaints; {leader.name} killed at {at} cases; "
        f"the next case {resumed:.1f}s later, {elected} seen leading {seen_elected:.1f}s "
        f"later; routing replica killed at "
        f"{during}; node back after "
        f"{back - stopped:.1f}s; "
        f"complete {settled - posted:.1f}s after the last answer, "
        f"{settled - back:.1f}s after the node came back"
    )


def _settings(name: str, node: Node, run_id: str, data_dir: Path) -> ServiceSettings:
    return settings_for_test(
        settings_class(name), amqp_url=node.url, run_id=run_id, data_dir=data_dir, port=free_port()
    )


def _replica(first: Service, node: Node, log_dir: Path) -> Service:
    """A second process of a service: its database, another port, another node."""
    log_dir.mkdir(exist_ok=True)
    update = {"port": free_port(), "amqp_url": node.url}
    return Service(first.settings.model_copy(update=update), log_dir)


def _routing_replica_not_on(clustered: ClusterDrill, node: Node) -> Service:
    """The routing process connected to a node that is not `node`."""
    routing = [clustered.drill.system["routing"], clustered.replicas["routing"]]
    return next(s for s in routing if clustered.node_of(s) != node)


def _leader(cluster: Cluster, on: Node, queue: str) -> str:
    return str(cluster.queues(on)[queue]["leader"])


async def _leader_elected(cluster: Cluster, on: Node, queue: str, *, not_on: Node) -> str:
    """The queue's leader once it is on a node other than `not_on`."""
    deadline = time.monotonic() + 30
    while True:
        leader = await asyncio.to_thread(_leader, cluster, on, queue)
        if leader not in ("", not_on.name) or time.monotonic() >= deadline:
            return leader
        await asyncio.sleep(0.2)


def _assert_quorum_queues_on_every_node(clustered: ClusterDrill) -> None:
    """Each consumer's queue and parking queue, and the unrouted queue: quorum, 3 members."""
    cluster, system = clustered.cluster, clustered.drill.system
    queues = cluster.queues(cluster.nodes[0])
    names = [system[s].settings.queue_name(x) for s in CONSUMERS for x in ("", ".parking")]
    names.append(f"{system['intake'].settings.exchange}.unrouted")
    everyone = sorted(n.name for n in cluster.nodes)
    found = {name: (queues[name]["type"], sorted(queues[name]["members"])) for name in names}
    assert found == dict.fromkeys(names, ("quorum", everyone))
