"""The deployment files agree with the code: services, ports, settings, databases, metrics.

Nothing here runs a container: the files are parsed and compared with the settings classes
and the metrics the services really define.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase
from sqlalchemy.engine import make_url

import shared.metrics
from console.assets import VENDOR
from console.backend.client import SERVICES as CONSOLE_BACKENDS
from console.settings import ConsoleSettings
from shared.testing.deployment import setting_env_names, settings_class

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"

# Domain metrics that alerts.yml and the dashboard already use, before the services that own
# the figures define them (routing: SLA breaches; surveys: satisfaction against target).
# Keep this list short: a name leaves it once the service that owns it defines the metric.
PLANNED_DOMAIN_METRICS: frozenset[str] = frozenset()

# The series names prometheus_client exposes for each kind of collector.
EXPOSED_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
}
TARGET_LABELS = frozenset({"job", "instance"})

# What the brief of each alert asks for, as it must appear in some rule's expression.
REQUIRED_ALERT_EXPRESSIONS = (
    'up{job="rabbitmq"} == 0',
    "careloop_bus_connected == 0",
    "increase(careloop_bus_parked_total[10m])",
    "careloop_outbox_backlog > 1000",
    "careloop_outbox_oldest_age_seconds > 60",
    "careloop_database_up == 0",
    'careloop_http_requests_total{status=~"5..",',
    "rate(careloop_sla_breaches_total[1h])",
    "careloop_satisfaction_rate < careloop_satisfaction_target",
    # the console: its pages' calls to the services, and sign-ins
    'careloop_console_api_calls_total{outcome=~"failed|unreachable"}',
    'careloop_console_sign_ins_total{outcome!="signed_in"}',
)
REQUIRED_DASHBOARD_SERIES = (
    "careloop_http_requests_total",
    "careloop_http_request_duration_seconds_bucket",
    "careloop_bus_published_total",
    "careloop_bus_consumed_total",
    "careloop_bus_retried_total",
    "careloop_bus_parked_total",
    "careloop_bus_handler_duration_seconds_bucket",
    "careloop_outbox_backlog",
    "careloop_outbox_oldest_age_seconds",
    "careloop_bus_connected",
    "careloop_database_up",
    # the procedure's own figures (DESIGN.md §8)
    "careloop_intake_complaints_received_total",
    "careloop_routing_open_cases",
    "careloop_sla_breaches_total",
    "careloop_routing_escalations_total",
    "careloop_routing_open_rectifications",
    "careloop_routing_open_corrective_actions",
    "careloop_satisfaction_rate",
    "careloop_notify_deliveries_total",
    "careloop_notify_callbacks_due",
    "careloop_notify_callbacks_overdue",
    # the staff console
    "careloop_console_sign_ins_total",
    "careloop_console_live_connections",
    "careloop_console_api_call_duration_seconds_bucket",
    "careloop_console_api_calls_total",
)

METRIC_NAME = re.compile(r"\bcareloop_[a-zA-Z0-9_]+")
SELECTOR = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}")
MATCHER = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*\"")
GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")

# What `docker compose up` needs from the shell: the values compose refuses to start without.
SHELL = {
    "CARELOOP_JWT_SECRET": "s" * 48,
    "CONSOLE_SESSION_SECRET": "c" * 48,
    "CONSOLE_OIDC_ISSUER": "https://id.example.com/realms/careloop",
    "CONSOLE_OIDC_CLIENT_ID": "careloop-console",
}

# Settings that hold secrets besides the JWT secret and the passwords in URLs: in a
# deployment file only ever a reference to the operator's environment or Secret. The
# required ones must come from the shell, like CARELOOP_JWT_SECRET (`${NAME:?...}`).
SECRET_SETTINGS = {
    "notify": {"NOTIFY_SMTP_PASSWORD", "NOTIFY_SMS_GATEWAY_KEY", "NOTIFY_WEBHOOK_SECRETS"},
    "console": {"CONSOLE_SESSION_SECRET", "CONSOLE_OIDC_CLIENT_SECRET"},
}
REQUIRED_SECRETS = {"console": {"CONSOLE_SESSION_SECRET"}}


# --- reading the files -----------------------------------------------------------------


def load_yaml(path: Path) -> Any:
    """One YAML document."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def compose() -> dict[str, Any]:
    """docker-compose.yml, with its anchors merged."""
    data: dict[str, Any] = load_yaml(ROOT / "docker-compose.yml")
    return data


def careloop_services() -> dict[str, dict[str, Any]]:
    """The compose services built from this repository."""
    return {name: spec for name, spec in compose()["services"].items() if "build" in spec}


SERVICES = sorted(careloop_services())


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """Compose's `${VAR:-default}` and `${VAR:?message}`, as `docker compose` resolves them."""

    def resolve(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if variables.get(name):
            return variables[name]
        if operator == "-":
            return str(argument)
        raise AssertionError(f"{name} must be set: {argument}")

    return VARIABLE.sub(resolve, value)


def environment(name: str) -> dict[str, str]:
    """A careloop service's environment, as written in docker-compose.yml."""
    env = careloop_services()[name]["environment"]
    assert isinstance(env, dict), "write environment as a mapping"
    return {key: str(value) for key, value in env.items()}


def created_databases() -> set[str]:
    """The databases deploy/postgres/init-databases.sql creates."""
    sql = (DEPLOY / "postgres" / "init-databases.sql").read_text(encoding="utf-8")
    return set(re.findall(r'^\s*CREATE\s+DATABASE\s+"?(\w+)"?', sql, re.IGNORECASE | re.M))


def mounts(service: str) -> dict[str, str]:
    """Bind mounts of a compose service: container path -> host path."""
    found = {}
    for volume in compose()["services"][service].get("volumes", []):
        source, target, *_ = volume.split(":")
        found[target] = source
    return found


def published_ports(spec: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(published, container) pairs of a compose service's short-syntax ports."""
    pairs = []
    for entry in spec.get("ports", []):
        *_, published, container = str(entry).split(":")
        pairs.append((int(published), int(container)))
    return pairs


def scrape_targets() -> set[tuple[str, str, str]]:
    """Prometheus targets as (`host:port`, job name, metrics path)."""
    config = load_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    return {
        (target, job["job_name"], job.get("metrics_path", "/metrics"))
        for job in config["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }


def alert_rules() -> list[dict[str, Any]]:
    """Every rule of deploy/prometheus/alerts.yml."""
    groups = load_yaml(DEPLOY / "prometheus" / "alerts.yml")["groups"]
    return [rule for group in groups for rule in group["rules"]]


@cache
def dashboard() -> dict[str, Any]:
    """The careloop Grafana dashboard."""
    data: dict[str, Any] = json.loads(
        (DEPLOY / "grafana" / "dashboards" / "careloop.json").read_text(encoding="utf-8")
    )
    return data


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def dashboard_queries() -> list[str]:
    """Every PromQL query in the dashboard: panel targets and template variables."""
    return [
        value
        for key, value in walk(dashboard())
        if key in {"expr", "definition", "query"} and isinstance(value, str)
    ]


def all_queries() -> list[str]:
    """The PromQL of the alert rules and of the dashboard."""
    return [rule["expr"] for rule in alert_rules()] + dashboard_queries()


# Every metrics module of the services (`notify/metrics.py`, `notify/callbacks/metrics.py`):
# the domain figures alerts and dashboards use are defined in them.
SERVICE_METRICS = sorted(
    ".".join(path.relative_to(src).with_suffix("").parts[:-1])
    for src in ROOT.glob("services/*/src")
    for path in src.glob("*/**/metrics.py")
)


def defined_metrics() -> dict[str, set[str]]:
    """Series names exposed by shared.metrics and the services' metrics, with their labels."""
    series: dict[str, set[str]] = {}
    modules = [shared.metrics, *(importlib.import_module(f"{s}.metrics") for s in SERVICE_METRICS)]
    collectors = [c for module in modules for c in vars(module).values()]
    for collector in collectors:
        if not isinstance(collector, MetricWrapperBase):
            continue
        labels = set(collector._labelnames)
        for family in collector.describe():
            for suffix in EXPOSED_SUFFIXES[family.type]:
                extra = {"le"} if suffix == "_bucket" else set()
                series[family.name + suffix] = labels | extra
    return series


@dataclass
class Stage:
    """One build stage of a Dockerfile: its base image, its name, its instructions."""

    image: str
    alias: str = ""
    # (instruction, arguments, the WORKDIR it runs in)
    steps: list[tuple[str, str, PurePosixPath]] = dataclasses.field(default_factory=list)

    def all(self, instruction: str) -> list[str]:
        """The arguments of every `instruction` of the stage, in order."""
        return [args for name, args, _ in self.steps if name == instruction]

    def last(self, instruction: str) -> str:
        """The arguments of the stage's last `instruction` (the one that counts)."""
        return self.all(instruction)[-1]

    def env(self) -> dict[str, str]:
        """The variables the stage's ENV instructions set (`ENV A=1 B=2`)."""
        pairs = [item.split("=", 1) for args in self.all("ENV") for item in shlex.split(args)]
        return {key: value for key, value in pairs}


def dockerfile_stages(name: str) -> list[Stage]:
    """The build stages of services/<name>/Dockerfile."""
    text = (ROOT / "services" / name / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    stages: list[Stage] = []
    workdir = PurePosixPath("/")
    for instruction in re.sub(r"\\\n", " ", "\n".join(lines)).splitlines():
        if not instruction.strip():
            continue
        keyword, _, args = instruction.strip().partition(" ")
        keyword, args = keyword.upper(), " ".join(args.split())
        if keyword == "FROM":
            image, _, alias = args.partition(" AS ")
            stages.append(Stage(image=image.strip(), alias=alias.strip()))
            workdir = PurePosixPath("/")
            continue
        if keyword == "WORKDIR":
            workdir = workdir / args
        stages[-1].steps.append((keyword, args, workdir))
    return stages


# --- docker compose ------------------------------------------------------------------------


def test_compose_runs_every_service_of_the_repository() -> None:
    on_disk = {path.parent.name for path in (ROOT / "services").glob("*/pyproject.toml")}
    assert set(SERVICES) == on_disk


@pytest.mark.parametrize("name", SERVICES)
def test_service_is_built_from_its_own_directory(name: str) -> None:
    build = careloop_services()[name]["build"]
    assert build["context"] == "."
    assert build["dockerfile"] == f"services/{name}/Dockerfile"
    assert (ROOT / "services" / name / "Dockerfile").is_file()
    assert (ROOT / "services" / name / "pyproject.toml").is_file()


@pytest.mark.parametrize("name", SERVICES)
def test_service_listens_on_its_default_port(name: str) -> None:
    port = settings_class(name).default_port
    spec = careloop_services()[name]
    assert published_ports(spec) == [(port, port)]
    assert environment(name)[f"{name.upper()}_PORT"] == str(port)
    assert f"127.0.0.1:{port}/readyz" in " ".join(spec["healthcheck"]["test"])


@pytest.mark.parametrize("name", SERVICES)
def test_every_environment_variable_is_a_real_setting(name: str) -> None:
    unknown = set(environment(name)) - setting_env_names(settings_class(name))
    assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", SERVICES)
def test_environment_gives_safe_production_settings(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolved = {key: interpolate(value, SHELL) for key, value in environment(name).items()}
    for key, value in resolved.items():
        monkeypatch.setenv(key, value)
    settings = settings_class(name)()
    assert settings.is_production
    assert settings.host == "0.0.0.0"
    assert settings.port == settings_class(name).default_port
    assert settings.log_format == "json"
    assert settings.database_url == resolved[f"{name.upper()}_DATABASE_URL"]
    assert settings.amqp_url.startswith("amqp://careloop:")
    assert settings.amqp_url.endswith("@rabbitmq:5672/")


@pytest.mark.parametrize("name", SERVICES)
def test_no_secret_is_committed(name: str) -> None:
    env = environment(name)
    for required in {"CARELOOP_JWT_SECRET"} | REQUIRED_SECRETS.get(name, set()):
        assert re.fullmatch(rf"\$\{{{required}:\?[^}}]+\}}", env[required]), required
    for key in ("AMQP_URL", f"{name.upper()}_DATABASE_URL"):
        credentials = re.match(r"[\w+]+://[^:@/]+:(.*)@[^@]+$", env[key])
        assert credentials is not None, f"{key} names no user and password"
        assert VARIABLE.fullmatch(credentials.group(1)), f"{key}: password must be a ${{...}}"
    for key in SECRET_SETTINGS.get(name, set()) & set(env):
        reference = VARIABLE.fullmatch(env[key])
        assert reference is not None, f"{key} must be a ${{{key}...}} from the shell"
        variable, operator, default = reference.groups()
        assert variable == key
        assert operator == "?" or default in {"", "[]"}, f"{key} has a default secret"


def test_every_service_verifies_tokens_with_the_same_settings() -> None:
    # The console passes each person's token on to the four services: all five must agree
    # on how a token is verified.
    for key in ("CARELOOP_JWT_SECRET", "CARELOOP_JWT_PUBLIC_KEYS"):
        values = {environment(name).get(key) for name in SERVICES}
        assert len(values) == 1, f"{key} differs between services: {values}"
        assert None not in values, f"{key} is not passed to every service"


def test_console_reaches_the_four_services_on_the_compose_network() -> None:
    env = environment("console")
    depends_on = careloop_services()["console"]["depends_on"]
    assert set(CONSOLE_BACKENDS) == set(SERVICES) - {"console"}
    for service in CONSOLE_BACKENDS:
        port = settings_class(service).default_port
        assert env[f"CONSOLE_{service.upper()}_URL"] == f"http://{service}:{port}"
        assert service in depends_on, f"the console starts after {service}"


def test_console_sign_in_settings_come_from_the_shell() -> None:
    env = environment("console")
    fields = ConsoleSettings.model_fields
    oidc = {f"CONSOLE_{name.upper()}": name for name in fields if name.startswith("oidc_")}
    for key, field_name in {**oidc, "CONSOLE_PUBLIC_URL": "public_url"}.items():
        reference = VARIABLE.fullmatch(env[key])
        assert reference is not None, f"{key} is not from the shell"
        variable, operator, default = reference.groups()
        assert variable == key
        if operator == "-" and key in oidc:  # compose must not change the console's defaults
            assert default == str(fields[field_name].default), key


def test_console_environment_signs_in_through_the_identity_provider(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in environment("console").items():
        monkeypatch.setenv(key, interpolate(value, SHELL))
    settings = ConsoleSettings()
    assert settings.oidc_enabled
    assert settings.oidc_issuer == SHELL["CONSOLE_OIDC_ISSUER"]
    assert settings.oidc_client_id == SHELL["CONSOLE_OIDC_CLIENT_ID"]
    assert settings.session_secret == SHELL["CONSOLE_SESSION_SECRET"]
    assert settings.base_url() == "http://localhost:8005"
    # where the image put the browser assets, not overridden here
    assert "CONSOLE_ASSETS_DIR" not in environment("console")


@pytest.mark.parametrize("name", SERVICES)
def test_database_url_names_a_created_database(name: str) -> None:
    url = make_url(interpolate(environment(name)[f"{name.upper()}_DATABASE_URL"], {}))
    assert url.drivername == "postgresql+asyncpg"
    assert url.host == "postgres"
    assert url.database == name
    assert url.database in created_databases()


def test_postgres_runs_the_database_script() -> None:
    target = "/docker-entrypoint-initdb.d/init-databases.sql"
    assert mounts("postgres")[target] == "./deploy/postgres/init-databases.sql"
    assert created_databases() == set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_service_starts_after_healthy_database_and_broker(name: str) -> None:
    depends_on = careloop_services()[name]["depends_on"]
    for dependency in ("postgres", "rabbitmq"):
        assert depends_on[dependency] == {"condition": "service_healthy"}
        assert compose()["services"][dependency]["healthcheck"]["test"]


# --- images --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICES)
def test_image_runs_the_service_in_production_as_nobody(name: str) -> None:
    final = dockerfile_stages(name)[-1]
    port = settings_class(name).default_port
    env = final.env()
    assert final.image == "python:3.11-slim"
    assert env["CARELOOP_ENV"] == "production"
    assert env[f"{name.upper()}_HOST"] == "0.0.0.0"
    own = {key for key in env if not key.startswith("PYTHON")}
    unknown = own - setting_env_names(settings_class(name))
    assert not unknown, f"the {name} image sets variables no setting reads: {sorted(unknown)}"
    installs = [run for run in final.all("RUN") if "pip install" in run]
    assert any("-c constraints.txt" in run and f"./services/{name}" in run for run in installs)
    assert final.last("USER") == "nobody"
    assert final.last("EXPOSE") == str(port)
    assert f"http://127.0.0.1:{port}/healthz" in final.last("HEALTHCHECK")
    assert json.loads(final.last("CMD")) == ["python", "-m", name]


def test_console_image_installs_its_assets_from_the_lock_file() -> None:
    assets, final = dockerfile_stages("console")
    assert assets.image.startswith("node:")
    assert assets.alias
    copied = {source for args in assets.all("COPY") for source in args.split()[:-1]}
    lock_files = {"package.json", "package-lock.json", ".npmrc"}
    assert copied == {f"services/console/{name}" for name in lock_files}
    assert all((ROOT / path).is_file() for path in copied)
    (install,) = assets.all("RUN")
    assert re.search(r"\bnpm ci\b", install)
    assert "--omit=dev" in install
    # The final image takes the stage's node_modules, and the console looks for them there.
    ((args, cwd),) = [(a, cwd) for _, a, cwd in final.steps if f"--from={assets.alias}" in a]
    source, target = args.split()[1:]
    assert PurePosixPath(source) == assets.steps[-1][2] / "node_modules"
    assert final.env()["CONSOLE_ASSETS_DIR"] == str(cwd / target)


def test_console_lock_file_pins_every_asset_it_serves() -> None:
    console = ROOT / "services" / "console"
    manifest = json.loads((console / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((console / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == manifest["dependencies"]  # else npm ci fails
    served = {path.split("/")[0] for path in VENDOR.values()}
    assert served <= set(manifest["dependencies"])
    for package in served:
        assert lock["packages"][f"node_modules/{package}"]["integrity"].startswith("sha512-")


def test_build_context_leaves_out_installed_node_modules() -> None:
    # Without this a developer's own node_modules would be sent into the console's image.
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "**/node_modules" in {line.strip() for line in lines}


def test_rabbitmq_enables_the_prometheus_plugin() -> None:
    plugins_file = DEPLOY / "rabbitmq" / "enabled_plugins"
    plugins = re.findall(r"\w+", plugins_file.read_text(encoding="utf-8"))
    assert {"rabbitmq_management", "rabbitmq_prometheus"} <= set(plugins)
    assert (
        mounts("rabbitmq")["/etc/rabbitmq/enabled_plugins"] == "./deploy/rabbitmq/enabled_plugins"
    )


# --- prometheus ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICES)
def test_prometheus_scrapes_each_service_at_its_port(name: str) -> None:
    target = f"{name}:{settings_class(name).default_port}"
    assert (target, name, "/metrics") in scrape_targets()


def test_prometheus_scrapes_rabbitmq() -> None:
    assert ("rabbitmq:15692", "rabbitmq", "/metrics") in scrape_targets()


def test_prometheus_loads_the_alert_rules() -> None:
    config = load_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    assert config["rule_files"] == ["alerts.yml"]
    assert mounts("prometheus")["/etc/prometheus/alerts.yml"] == "./deploy/prometheus/alerts.yml"
    config_mount = mounts("prometheus")["/etc/prometheus/prometheus.yml"]
    assert config_mount == "./deploy/prometheus/prometheus.yml"


def test_service_down_alert_covers_every_service() -> None:
    (rule,) = [rule for rule in alert_rules() if rule["alert"] == "CareloopServiceDown"]
    jobs = re.fullmatch(r'up\{job=~"([^"]+)"\} == 0', rule["expr"].strip())
    assert jobs is not None
    assert set(jobs.group(1).split("|")) == set(SERVICES)


@pytest.mark.parametrize("expression", REQUIRED_ALERT_EXPRESSIONS)
def test_required_alert_exists(expression: str) -> None:
    whole = re.compile(re.escape(expression) + r"(?![\w.])")  # `> 1000` is not `> 10000`
    assert any(whole.search(" ".join(rule["expr"].split())) for rule in alert_rules())


def test_console_alerts_watch_its_calls_and_sign_ins() -> None:
    rules = {rule["alert"]: " ".join(rule["expr"].split()) for rule in alert_rules()}
    calls = rules["CareloopConsoleServiceCallsFailing"]
    assert "sum by (service)" in calls  # which service the pages cannot reach
    sign_ins = rules["CareloopConsoleSignInsFailing"]
    assert "sum by (method)" in sign_ins  # the identity provider or the development page


def test_every_alert_tells_the_operator_what_to_do() -> None:
    for rule in alert_rules():
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert len(rule["annotations"]["summary"]) > 20, rule["alert"]
        assert len(rule["annotations"]["description"]) > 80, rule["alert"]
    names = [rule["alert"] for rule in alert_rules()]
    assert len(names) == len(set(names))


def test_queries_have_balanced_brackets() -> None:
    pairs = {")": "(", "]": "[", "}": "{"}
    for query in all_queries():
        stack: list[str] = []
        for char in re.sub(r'"[^"]*"', '""', query):
            if char in "([{":
                stack.append(char)
            elif char in pairs:
                assert stack, query
                assert stack.pop() == pairs[char], query
        assert not stack, query


# --- metric names in alerts and dashboard --------------------------------------------------


def test_every_careloop_metric_queried_is_defined() -> None:
    queried = {name for query in all_queries() for name in METRIC_NAME.findall(query)}
    assert queried >= PLANNED_DOMAIN_METRICS | {"careloop_bus_connected"}
    unknown = queried - set(defined_metrics()) - PLANNED_DOMAIN_METRICS
    assert not unknown, f"not defined in shared/src/shared/metrics.py: {sorted(unknown)}"


def test_queries_use_only_the_labels_metrics_have() -> None:
    defined = defined_metrics()
    for query in all_queries():
        names = set(METRIC_NAME.findall(query)) | {m[0] for m in SELECTOR.findall(query)}
        if not names or not names <= set(defined):
            continue  # another system's metric, or a planned one: its labels are not known here
        labels = set().union(*(defined[name] for name in names)) | TARGET_LABELS
        used = {label for _, body in SELECTOR.findall(query) for label in MATCHER.findall(body)}
        used |= {g.strip() for group in GROUPING.findall(query) for g in group.split(",")}
        assert used - {""} <= labels, f"{sorted(used - labels)} in {query}"


@pytest.mark.parametrize("series", REQUIRED_DASHBOARD_SERIES)
def test_dashboard_shows(series: str) -> None:
    assert any(series in METRIC_NAME.findall(query) for query in dashboard_queries())


# --- grafana -------------------------------------------------------------------------------


def test_dashboard_uses_the_provisioned_datasource() -> None:
    provisioned = load_yaml(DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml")
    (datasource,) = provisioned["datasources"]
    assert datasource["url"] == "http://prometheus:9090"
    used = {value["uid"] for key, value in walk(dashboard()) if key == "datasource"}
    assert used == {datasource["uid"]}


def test_dashboard_panels_do_not_overlap() -> None:
    taken: set[tuple[int, int]] = set()
    for panel in dashboard()["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        cells = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & taken, f"{panel['title']} covers another panel"
        taken |= cells


def dashboard_row(title: str) -> list[dict[str, Any]]:
    """The panels under the dashboard's row called `title`."""
    panels = dashboard()["panels"]
    (start,) = [i for i, p in enumerate(panels) if p["type"] == "row" and p["title"] == title]
    following = panels[start + 1 :]
    end = next((i for i, p in enumerate(following) if p["type"] == "row"), len(following))
    return following[:end]


def test_dashboard_has_a_console_row() -> None:
    panels = dashboard_row("Console")

    def showing(*fragments: str) -> dict[str, Any]:
        (found,) = [
            p for p in panels if all(any(f in t["expr"] for t in p["targets"]) for f in fragments)
        ]
        return found

    showing("careloop_console_sign_ins_total", "by (method, outcome)")
    showing("careloop_console_live_connections")
    page_time = (
        'sum by (le, route) (rate(careloop_http_request_duration_seconds_bucket{service="console"}'
    )
    page = showing(f"histogram_quantile(0.5, {page_time}", f"histogram_quantile(0.99, {page_time}")
    calls = showing(
        "histogram_quantile(0.99, sum by (le, service) "
        "(rate(careloop_console_api_call_duration_seconds_bucket"
    )
    showing('careloop_console_api_calls_total{outcome=~"failed|unreachable"}')
    assert page["gridPos"]["y"] == calls["gridPos"]["y"], "page time beside the calls' time"
    assert {page["gridPos"]["x"], calls["gridPos"]["x"]} == {0, 12}


def test_grafana_loads_the_dashboard_folder() -> None:
    provider_file = DEPLOY / "grafana" / "provisioning" / "dashboards" / "careloop.yml"
    (provider,) = load_yaml(provider_file)["providers"]
    grafana = mounts("grafana")
    assert grafana[provider["options"]["path"]] == "./deploy/grafana/dashboards"
    assert grafana["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    panel_ids = [value for key, value in walk(dashboard()["panels"]) if key == "id"]
    assert len(panel_ids) == len(set(panel_ids))


# The Kubernetes manifests are rendered and checked by tests/test_k8s.py.
