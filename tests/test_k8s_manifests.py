"""The Kubernetes manifests (deploy/k8s), checked offline.

Every document is validated against the Kubernetes API schemas (kubernetes-validate, strict:
an unknown field is an error), the operators' custom resources against their vendored CRD
schemas (jsonschema, equally strict), and the manifests against the rest of the repository:
every process of scripts/processes.py has a workload that runs it with its service's
environment, HTTP services have probes, resources and an HPA, Services and budgets select
real pods, names and secrets refer to things that exist, and PostgreSQL's connection limits
cover what the workloads may open. A new worker without a manifest fails here.
"""

from __future__ import annotations

import ast
import copy
import importlib
import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml

from scripts.processes import GUNICORN_CONF, ROOT, Ports, ServiceSecrets, process_table
from shared.bootstrap import SERVICE_DATABASES

K8S = ROOT / "deploy" / "k8s"
# 1.34: the oldest Kubernetes that CloudNativePG 1.30 supports; 1.37: the newest that
# kubernetes-validate 1.37.0 bundles, so an API removed by then fails here too.
KUBERNETES_VERSIONS = ("1.34", "1.37")
# The custom resources of deploy/k8s/infra and their schemas (deploy/k8s/schemas/README.md).
CRD_SCHEMAS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "rabbitmqcluster-rabbitmq.com-v1beta1.json",
    ("postgresql.cnpg.io/v1", "Cluster"): "cluster-postgresql.cnpg.io-v1.json",
}
# In the tree for the operator to read, never applied (kustomize would reset real values).
TEMPLATES = {"secret.template.yaml"}
PLACEHOLDER = "CHANGE-ME"
# Per process, the connections an engine may hold: the relay's own pool (pool_size=2,
# max_overflow=1 in shared/messaging/worker.py run_relay); the others DB_POOL_SIZE +
# DB_MAX_OVERFLOW from the ConfigMap.
RELAY_CONNECTIONS = 3
# Connections max_connections keeps beyond the roles' limits: the superuser (migrate Job),
# superuser_reserved_connections and the operator's own sessions.
OPERATOR_CONNECTIONS = 20


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


YAML_FILES = sorted(K8S.rglob("*.yaml"))
DOCUMENTS = [(path, doc) for path in YAML_FILES for doc in _documents(path)]
APPLIED = [(path, doc) for path, doc in DOCUMENTS if path.name not in TEMPLATES]


def _id(path: Path, doc: dict[str, Any]) -> str:
    return f"{path.relative_to(K8S)}:{doc.get('kind')}/{doc.get('metadata', {}).get('name', '')}"


def of_kind(kind: str, documents=APPLIED) -> list[dict[str, Any]]:
    return [doc for _, doc in documents if doc.get("kind") == kind]


def one(kind: str, documents=APPLIED) -> dict[str, Any]:
    (doc,) = of_kind(kind, documents)
    return doc


def name(doc: dict[str, Any]) -> str:
    return doc["metadata"]["name"]


# --- schemas --------------------------------------------------------------------------------


def _strict(schema: Any) -> Any:
    """A CRD schema that refuses unknown fields, as the API server does with strict field
    validation (it prunes them otherwise); open objects (x-kubernetes-preserve-unknown-fields,
    or an object without `properties`, such as metadata) stay open."""
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    if "properties" in schema:
        schema["properties"] = {key: _strict(sub) for key, sub in schema["properties"].items()}
        if "additionalProperties" not in schema and not schema.get(
            "x-kubernetes-preserve-unknown-fields"
        ):
            schema["additionalProperties"] = False
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            schema[key] = _strict(schema[key])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            schema[key] = [_strict(sub) for sub in schema[key]]
    return schema


@cache
def crd_validator(file_name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((K8S / "schemas" / file_name).read_text())
    return jsonschema.Draft7Validator(_strict(schema))


def kubernetes_errors(doc: dict[str, Any]) -> list[str]:
    errors = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = ".".join(str(part) for part in exc.path)
            errors.append(f"Kubernetes {version}: {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            errors.append(f"Kubernetes {version}: {exc.message}")
    return errors


@pytest.mark.parametrize("path, doc", DOCUMENTS, ids=[_id(path, doc) for path, doc in DOCUMENTS])
def test_every_document_is_valid(path, doc):
    kind = (doc.get("apiVersion"), doc.get("kind"))
    if kind == ("kustomize.config.k8s.io/v1beta1", "Kustomization"):
        # Not an API object: its resources are checked below, its fields here.
        assert set(doc) <= {"apiVersion", "kind", "namespace", "resources", "images"}, doc
        return
    if kind in CRD_SCHEMAS:
        errors = [
            f"{'.'.join(str(p) for p in error.path)}: {error.message}"
            for error in crd_validator(CRD_SCHEMAS[kind]).iter_errors(doc)
        ]
        # The CRD schema leaves metadata open; the API server checks it as any ObjectMeta.
        errors += kubernetes_errors(
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": doc.get("metadata", {})}
        )
    else:
        errors = kubernetes_errors(doc)
    assert not errors, "\n".join(errors)


def test_strict_validation_refuses_an_unknown_field():
    """The checks above would pass anything if strictness were lost on the way."""
    deployment = copy.deepcopy(workload("gateway"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    assert kubernetes_errors(deployment)
    cluster = copy.deepcopy(one("Cluster"))
    cluster["spec"]["instance"] = 3
    validator = crd_validator(CRD_SCHEMAS[("postgresql.cnpg.io/v1", "Cluster")])
    assert list(validator.iter_errors(cluster))


@pytest.mark.parametrize("folder", [K8S, K8S / "infra"], ids=["app", "infra"])
def test_a_kustomization_applies_every_manifest_of_its_folder(folder):
    kustomization = _documents(folder / "kustomization.yaml")[0]
    on_disk = {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml"} - TEMPLATES
    assert sorted(kustomization["resources"]) == sorted(on_disk)
    assert kustomization["namespace"] == "pedidos"
    for path in folder.glob("*.yaml"):
        for doc in _documents(path):
            if doc["kind"] not in {"Kustomization", "Namespace"}:
                assert doc["metadata"].get("namespace") == "pedidos", _id(path, doc)


def test_infra_creates_the_same_namespace_as_the_application():
    assert _documents(K8S / "infra" / "namespace.yaml") == _documents(K8S / "namespace.yaml")


def test_the_secret_template_holds_no_real_value():
    for doc in _documents(K8S / "secret.template.yaml"):
        assert doc["kind"] == "Secret" and "data" not in doc
        assert set(doc["stringData"].values()) == {PLACEHOLDER}, name(doc)


# --- the workloads and the process table ------------------------------------------------------

PROCESSES = process_table(
    Ports(),
    database_urls={sdb.service: f"postgresql://{sdb.role}@db/pedidos" for sdb in SERVICE_DATABASES},
    rabbitmq_url="amqp://broker",
    secrets=ServiceSecrets(order_service_client="c" * 32, forwarded_for="f" * 32),
    replenish_every_hours=24,  # the replenisher is in the table only when it is on
)
WORKLOAD_KINDS = ("Deployment", "Job", "CronJob")
# (service package, variable) a process gets from scripts/processes.py that its pod lacks on
# purpose: the edge and the auth service never talk to the broker (checked below), so they
# get no broker credentials.
NOT_GIVEN = {("gateway", "RABBITMQ_URL"), ("auth_service", "RABBITMQ_URL")}


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(doc)
    return spec.get("initContainers", []) + spec["containers"]


def workloads() -> list[dict[str, Any]]:
    return [doc for kind in WORKLOAD_KINDS for doc in of_kind(kind)]


def workload(deployment_name: str) -> dict[str, Any]:
    (doc,) = [doc for doc in of_kind("Deployment") if name(doc) == deployment_name]
    return doc


def entry_point(argv: list[str]) -> str | None:
    """What a command runs: the WSGI app under gunicorn, or the module of `python -m`."""
    apps = [arg for arg in argv if arg.endswith(":app")]
    if apps:
        return apps[-1]
    if "-m" in argv:
        return argv[argv.index("-m") + 1]
    return None


def is_http(doc: dict[str, Any]) -> bool:
    """A Deployment of a gunicorn service (the others are queue workers)."""
    command = containers(doc)[0]["command"]
    return doc["kind"] == "Deployment" and str(entry_point(command)).endswith(":app")


def config_map() -> dict[str, str]:
    return one("ConfigMap")["data"]


def environment(container: dict[str, Any]) -> dict[str, Any]:
    """Every variable the container gets: its env entries over its ConfigMaps' keys."""
    config_maps = {name(doc): doc["data"] for doc in of_kind("ConfigMap")}
    variables: dict[str, Any] = {}
    for source in container.get("envFrom", []):
        variables.update(config_maps[source["configMapRef"]["name"]])
    for entry in container.get("env", []):
        variables[entry["name"]] = entry.get("value", entry.get("valueFrom"))
    return variables


def url_user(url: str) -> str | None:
    return urlsplit(url).username


def the_workload_of(process) -> tuple[dict[str, Any], dict[str, Any]]:
    entry = entry_point(process.argv)
    found = [
        (doc, container)
        for doc in of_kind("Deployment")
        for container in containers(doc)
        if entry_point(container.get("command", [])) == entry
    ]
    assert len(found) == 1, f"{process.name} ({entry}): {len(found)} Deployments run it"
    return found[0]


@pytest.mark.parametrize("process", PROCESSES, ids=[p.name for p in PROCESSES])
def test_every_process_has_a_deployment_running_its_command(process):
    doc, container = the_workload_of(process)
    variables = environment(container)
    service = entry_point(process.argv).split(".")[0]
    if "--bind" in process.argv:
        # Same gunicorn settings file, same port as make run and docker compose.
        assert container["command"][:3] == ["gunicorn", "--config", "/app/deploy/gunicorn.conf.py"]
        assert Path(container["command"][2]).name == Path(GUNICORN_CONF).name
        port = process.argv[process.argv.index("--bind") + 1].rpartition(":")[2]
        assert variables["BIND"] == f"0.0.0.0:{port}"
    else:
        assert container["command"] == ["python", "-m", entry_point(process.argv)]
    missing = {
        variable
        for variable in process.env
        if variable not in variables and (service, variable) not in NOT_GIVEN
    }
    assert not missing, f"{name(doc)} lacks {sorted(missing)} (scripts/processes.py gives them)"
    if "DATABASE_URL" in process.env:
        # Its own service's role, as scripts/processes.py connects it.
        assert url_user(variables["DATABASE_URL"]) == url_user(process.env["DATABASE_URL"])


@pytest.mark.parametrize("package", sorted(p for p, v in NOT_GIVEN if v == "RABBITMQ_URL"))
def test_a_service_without_broker_credentials_never_uses_the_broker(package):
    sources = (ROOT / package / package).rglob("*.py")
    assert not [p for p in sources if "rabbitmq_url" in p.read_text()]


def test_every_deployment_runs_a_process_of_the_table():
    """A process removed from scripts/processes.py takes its Deployment with it."""
    table = {entry_point(p.argv) for p in PROCESSES}
    for doc in of_kind("Deployment"):
        assert [entry_point(c["command"]) in table for c in containers(doc)] == [True], name(doc)


def test_the_http_services_have_probes_on_ready_and_health():
    routes = (ROOT / "shared" / "shared" / "service_app.py").read_text()
    assert '@blp.route("/ready")' in routes and '@blp.route("/health")' in routes
    http = [doc for doc in of_kind("Deployment") if is_http(doc)]
    assert sorted(name(doc) for doc in http) == ["auth", "gateway", "orders", "stock"]
    for doc in http:
        (container,) = pod_spec(doc)["containers"]
        ports = {port["name"]: port["containerPort"] for port in container["ports"]}
        assert ports == {"http": int(environment(container)["BIND"].rpartition(":")[2])}
        for probe, path in (("readinessProbe", "/ready"), ("livenessProbe", "/health")):
            assert container.get(probe, {}).get("httpGet") == {"path": path, "port": "http"}, (
                f"{name(doc)}: {probe} on {path}"
            )
        annotations = doc["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == str(ports["http"])


def serves_worker_metrics(module: str) -> bool:
    """Whether `python -m module` serves /metrics on METRICS_PORT (shared/metrics.py)."""
    source = Path(importlib.util.find_spec(module).origin).read_text()
    return bool(
        re.search(r"\b(run_relay|run_consumer|run_woken_worker|serve_worker_metrics)\(", source)
    )


def test_every_worker_that_serves_metrics_is_probed_and_scraped_there():
    workers = [doc for doc in of_kind("Deployment") if not is_http(doc)]
    assert workers
    for doc in workers:
        (container,) = pod_spec(doc)["containers"]
        variables = environment(container)
        # Long enough for a consumer to finish and ack what it already received.
        assert pod_spec(doc)["terminationGracePeriodSeconds"] >= 30, name(doc)
        if not serves_worker_metrics(container["command"][-1]):
            assert "METRICS_PORT" not in variables and "livenessProbe" not in container
            continue
        port = int(variables["METRICS_PORT"])
        assert variables["METRICS_ADDR"] == "0.0.0.0", "the kubelet probes from outside the pod"
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports[container["livenessProbe"]["httpGet"]["port"]] == port, name(doc)
        annotations = doc["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == str(port), name(doc)


def test_every_container_has_resources_and_runs_locked_down():
    for doc in workloads():
        pod = pod_spec(doc)
        assert pod["securityContext"]["runAsNonRoot"] is True, name(doc)
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False, name(doc)
        volumes = {volume["name"] for volume in pod.get("volumes", [])}
        for container in containers(doc):
            where = f"{name(doc)}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert "memory" in resources["limits"], where
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            assert security["readOnlyRootFilesystem"] is True, where
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert mounts.get("/tmp") in volumes, f"{where}: read-only root needs a /tmp"
            metrics_dir = environment(container).get("PROMETHEUS_MULTIPROC_DIR")
            if metrics_dir:
                assert any(metrics_dir.startswith(path + "/") for path in mounts), where


def test_every_hpa_scales_an_http_deployment_on_cpu():
    hpas = of_kind("HorizontalPodAutoscaler")
    targets = {doc["spec"]["scaleTargetRef"]["name"] for doc in hpas}
    assert targets == {name(doc) for doc in of_kind("Deployment") if is_http(doc)}
    for hpa in hpas:
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
        deployment = workload(target["name"])
        # The HPA owns the count; `replicas` in the manifest would reset it on every apply.
        assert "replicas" not in deployment["spec"], name(deployment)
        for container in pod_spec(deployment)["containers"]:
            assert "cpu" in container["resources"]["requests"], "utilisation is of the request"
        assert hpa["spec"]["minReplicas"] >= 2
        assert hpa["spec"]["metrics"] == [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 70},
                },
            }
        ]


def selected_deployments(selector: dict[str, str]) -> list[dict[str, Any]]:
    return [
        doc
        for doc in of_kind("Deployment")
        if selector.items() <= doc["spec"]["template"]["metadata"]["labels"].items()
    ]


def test_every_service_and_budget_selects_the_pods_of_one_deployment():
    for service in of_kind("Service"):
        selected = selected_deployments(service["spec"]["selector"])
        assert len(selected) == 1, f"Service {name(service)} selects {len(selected)} Deployments"
        (deployment,) = selected
        port_names = {p["name"] for c in containers(deployment) for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names, name(service)
    for budget in of_kind("PodDisruptionBudget"):
        assert len(selected_deployments(budget["spec"]["selector"]["matchLabels"])) == 1
    for doc in of_kind("Deployment"):
        labels = doc["spec"]["template"]["metadata"]["labels"]
        assert doc["spec"]["selector"]["matchLabels"].items() <= labels.items(), name(doc)


def test_the_configured_service_urls_reach_our_services():
    services = {name(doc): {p["port"] for p in doc["spec"]["ports"]} for doc in of_kind("Service")}
    urls = [urlsplit(v) for v in config_map().values() if v.startswith("http://")]
    assert urls
    for url in urls:
        assert url.port in services.get(url.hostname, set()), url.geturl()


# --- names and secrets ------------------------------------------------------------------------

TEMPLATE_SECRETS = {name(doc): doc for doc in _documents(K8S / "secret.template.yaml")}


def operator_secrets() -> dict[str, set[str]]:
    """The Secrets the operators create, with the keys we read from them."""
    rabbitmq, postgres = one("RabbitmqCluster"), one("Cluster")
    assert postgres["spec"]["enableSuperuserAccess"] is True
    return {
        f"{name(rabbitmq)}-default-user": {"connection_string", "username", "password"},
        f"{name(postgres)}-superuser": {"username", "password"},
    }


def secret_refs() -> list[tuple[str, dict[str, Any]]]:
    return [
        (name(doc), entry["valueFrom"]["secretKeyRef"])
        for doc in workloads()
        for container in containers(doc)
        for entry in container.get("env", [])
        if "secretKeyRef" in entry.get("valueFrom", {})
    ]


def test_every_secret_reference_names_a_key_that_will_exist():
    generated = operator_secrets()
    for workload_name, ref in secret_refs():
        if ref["name"] in TEMPLATE_SECRETS:
            assert ref["key"] in TEMPLATE_SECRETS[ref["name"]]["stringData"], workload_name
        else:
            assert ref["key"] in generated[ref["name"]], (workload_name, ref)
    used = {ref["key"] for _, ref in secret_refs() if ref["name"] == "pedidos-secrets"}
    assert used == set(TEMPLATE_SECRETS["pedidos-secrets"]["stringData"])
    # scripts/processes.py's shared secrets are all there.
    assert set(ServiceSecrets.ENVIRONMENT.values()) <= used
    for doc in workloads():
        for volume in pod_spec(doc).get("volumes", []):
            if "secret" in volume:
                assert volume["secret"]["secretName"] in TEMPLATE_SECRETS
            if "persistentVolumeClaim" in volume:
                claims = {name(c) for c in of_kind("PersistentVolumeClaim")}
                assert volume["persistentVolumeClaim"]["claimName"] in claims


def test_every_variable_reference_is_defined_before_it():
    """Kubernetes leaves an unknown $(VAR) as it is: a URL would carry the literal text."""
    for doc in workloads():
        for container in containers(doc):
            known = set(environment({"envFrom": container.get("envFrom", [])}))
            for entry in container.get("env", []):
                for reference in re.findall(r"\$\((\w+)\)", entry.get("value", "")):
                    assert reference in known, f"{name(doc)}: {entry['name']} uses $({reference})"
                known.add(entry["name"])


def test_every_database_url_is_a_declared_role_on_the_primary():
    cluster = one("Cluster")
    roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
    assert set(roles) == {sdb.role for sdb in SERVICE_DATABASES}
    for doc in workloads():
        for container in containers(doc):
            url = environment(container).get("DATABASE_URL")
            if url is None:
                continue
            parts = urlsplit(url)
            assert parts.hostname == f"{name(cluster)}-rw", name(doc)
            assert parts.path == "/" + cluster["spec"]["bootstrap"]["initdb"]["database"]
            assert parts.username in roles or parts.username == "postgres", name(doc)


def test_postgresql_connection_limits_cover_what_the_workloads_may_open():
    """What breaks first when scaling out (docs/scaling.md): raise a limit with a maximum."""
    config = config_map()
    per_process = int(config["DB_POOL_SIZE"]) + int(config["DB_MAX_OVERFLOW"])
    maxima = {
        hpa["spec"]["scaleTargetRef"]["name"]: hpa["spec"]["maxReplicas"]
        for hpa in of_kind("HorizontalPodAutoscaler")
    }
    needed: dict[str, int] = {}
    for doc in of_kind("Deployment"):
        (container,) = pod_spec(doc)["containers"]
        role = url_user(environment(container).get("DATABASE_URL", ""))
        if role is None:
            continue
        # A replica count of 0 (the replenisher, off by default) counts as switched on.
        pods = maxima.get(name(doc)) or max(doc["spec"].get("replicas", 1), 1)
        if is_http(doc):
            connections = int(environment(container)["WEB_CONCURRENCY"]) * per_process
        elif container["command"][-1].endswith(".relay"):
            connections = RELAY_CONNECTIONS
        else:
            connections = per_process
        needed[role] = needed.get(role, 0) + pods * connections
    cluster = one("Cluster")
    limits = {role["name"]: role["connectionLimit"] for role in cluster["spec"]["managed"]["roles"]}
    for role, count in needed.items():
        assert limits[role] >= count, f"{role} may open {count}, its limit is {limits[role]}"
    max_connections = int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])
    assert max_connections >= sum(limits.values()) + OPERATOR_CONNECTIONS


def test_the_broker_and_the_database_survive_the_loss_of_one_machine():
    # Quorum queues (shared/messaging/topology.py) need a majority: three nodes lose one.
    assert one("RabbitmqCluster")["spec"]["replicas"] == 3
    assert one("Cluster")["spec"]["instances"] == 3
    assert (
        'x-queue-type": "quorum"'
        in (ROOT / "shared" / "shared" / "messaging" / "topology.py").read_text()
    )


def test_the_migrate_job_runs_what_make_run_prepares_without_the_demo(monkeypatch):
    from scripts.dev import db_passwords

    job = one("Job")
    (prepare,) = pod_spec(job)["initContainers"]
    (admin,) = pod_spec(job)["containers"]
    assert admin["command"] == ["python", "-m", "auth_service.seed"]  # no --demo
    tree = ast.parse(prepare["command"][-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name), f"{node.module}.{alias.name}"
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert {"bootstrap", "upgrade", "declare_topology"} <= calls
    # Which Secret key bootstrap() gives each role as its password: db_passwords() run with
    # each of the Job's variables set to the name of its key.
    for variable, value in environment(prepare).items():
        if isinstance(value, dict) and "secretKeyRef" in value:
            monkeypatch.setenv(variable, value["secretKeyRef"]["key"])
    set_by_job = db_passwords()
    assert set(set_by_job) == {sdb.service for sdb in SERVICE_DATABASES}
    # ...is the key its services log in with.
    service_of_role = {sdb.role: sdb.service for sdb in SERVICE_DATABASES}
    for doc in workloads():
        for container in containers(doc):
            variables = environment(container)
            url = urlsplit(variables.get("DATABASE_URL", ""))
            if url.username not in service_of_role:
                continue
            (variable,) = re.fullmatch(r"\$\((\w+)\)", url.password).groups()
            key = variables[variable]["secretKeyRef"]["key"]
            assert key == set_by_job[service_of_role[url.username]], name(doc)
