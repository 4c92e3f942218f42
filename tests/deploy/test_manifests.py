"""Deployment artefacts: Kubernetes manifests, container image, Grafana dashboard.

The manifests are rendered with the pinned kustomize and validated offline by
deploy/k8s/validate.sh (Kubernetes 1.30 schemas, strict), exactly as an
operator would; the tests then read the rendered YAML and hold the security
and availability line that a cluster admin or a Pod Security "restricted"
namespace would hold.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = {"profiles": 8001, "matching": 8002, "notifications": 8003, "analytics": 8004}
OVERLAYS = ["dev", "prod"]
SERVICE_LABEL = "app.kubernetes.io/name"


def module_file(module: str) -> Path | None:
    """The file `python -m module` would run, if it is in the repository."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base / "__main__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


# --- rendering and validation -------------------------------------------------


@pytest.fixture(scope="module")
def validation(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, list[dict]]]:
    out = tmp_path_factory.mktemp("rendered")
    proc = subprocess.run(
        ["bash", str(K8S / "validate.sh"), "--out", str(out)],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYTHON": sys.executable},
    )
    rendered = {p.stem: [d for d in yaml.safe_load_all(p.read_text()) if d] for p in out.glob("*.yaml")}
    return proc, rendered


@pytest.fixture(scope="module")
def rendered(validation) -> dict[str, list[dict]]:
    proc, docs = validation
    assert proc.returncode == 0, f"validate.sh failed:\n{proc.stdout}\n{proc.stderr}"
    return docs


def of_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[dict], kind: str, name: str) -> dict:
    found = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def workloads(docs: list[dict]) -> list[dict]:
    return [d for d in docs if d["kind"] in {"Deployment", "Job"}]


def container(workload: dict) -> dict:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{workload['metadata']['name']}: one container per pod expected"
    return containers[0]


def env_of(c: dict) -> dict[str, dict]:
    return {e["name"]: e for e in c.get("env", [])}


def test_validate_sh_renders_every_overlay_and_validates_it_strictly(validation):
    proc, docs = validation
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert set(docs) == {"dev", "prod", "prod-service-monitor"}
    for name in docs:
        assert f"OK    {name}.yaml" in proc.stdout
    assert "Kubernetes 1.30.0 (strict)" in proc.stdout


def run_validator(tmp_path: Path, docs: list[dict]) -> subprocess.CompletedProcess:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump_all(docs))
    return subprocess.run([sys.executable, str(K8S / "validate.py"), str(path)], capture_output=True, text=True)


def test_validator_rejects_unknown_fields_unknown_kinds_and_dangling_selectors(rendered, tmp_path):
    prod = rendered["prod"]
    assert run_validator(tmp_path, prod).returncode == 0

    typo = copy.deepcopy(prod)
    container(named(typo, "Deployment", "profiles-api"))["securityContext"]["readOnlyRootFileSystem"] = True
    result = run_validator(tmp_path, typo)
    assert result.returncode == 1 and "readOnlyRootFileSystem" in result.stdout

    unknown_kind = [*copy.deepcopy(prod), {"apiVersion": "v1", "kind": "Deployment", "metadata": {"name": "x"}}]
    assert run_validator(tmp_path, unknown_kind).returncode == 1

    dangling = copy.deepcopy(prod)
    named(dangling, "Service", "matching-api")["spec"]["selector"][SERVICE_LABEL] = "matchng"
    result = run_validator(tmp_path, dangling)
    assert result.returncode == 1 and "selector matches no pod template" in result.stdout


# --- what every environment must have -----------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_api_worker_service_hpa_pdbs_and_own_service_accounts(rendered, overlay):
    docs = rendered[overlay]
    for service, port in SERVICES.items():
        api = named(docs, "Deployment", f"{service}-api")
        worker = named(docs, "Deployment", f"{service}-worker")
        svc = named(docs, "Service", f"{service}-api")
        hpa = named(docs, "HorizontalPodAutoscaler", f"{service}-api")
        assert svc["spec"]["ports"] == [{"name": "http", "port": port, "protocol": "TCP", "targetPort": "http"}]
        assert hpa["apiVersion"] == "autoscaling/v2"
        target = {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{service}-api"}
        assert hpa["spec"]["scaleTargetRef"] == target
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        for deployment in (api, worker):
            named(docs, "PodDisruptionBudget", deployment["metadata"]["name"])
            account = named(docs, "ServiceAccount", deployment["spec"]["template"]["spec"]["serviceAccountName"])
            assert account["automountServiceAccountToken"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_runs_restricted(rendered, overlay):
    """What Pod Security 'restricted' demands, plus a read-only root and limits."""
    for workload in workloads(rendered[overlay]):
        name = workload["metadata"]["name"]
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] != 0, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        c = container(workload)
        security = c["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert security["readOnlyRootFilesystem"] is True, name
        assert security["allowPrivilegeEscalation"] is False, name
        assert security["capabilities"] == {"drop": ["ALL"]}, name
        assert "privileged" not in security and "add" not in security["capabilities"], name
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(c["resources"][bound]), f"{name}: {bound}"
        # A read-only root needs a writable /tmp, where the Prometheus multiprocess files live.
        tmp = [m for m in c["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert tmp, name
        volume = next(v for v in pod["volumes"] if v["name"] == tmp[0]["name"])
        assert "emptyDir" in volume, name
        assert env_of(c)["PROMETHEUS_MULTIPROC_DIR"]["value"].startswith("/tmp/"), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_apis_listen_on_their_design_port_with_probes_and_zero_downtime_rollouts(rendered, overlay):
    for service, port in SERVICES.items():
        api = named(rendered[overlay], "Deployment", f"{service}-api")
        c = container(api)
        assert c["args"] == ["api"]
        assert c["ports"] == [{"name": "http", "containerPort": port, "protocol": "TCP"}]
        assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert api["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        annotations = api["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/port"] == str(port)
        assert env_of(c)["HOST"]["value"] == "0.0.0.0"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_workers_have_time_to_commit_offsets_and_expose_metrics(rendered, overlay):
    for service in SERVICES:
        worker = named(rendered[overlay], "Deployment", f"{service}-worker")
        c = container(worker)
        assert c["args"] == ["worker"]
        assert worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 60
        assert {"name": "metrics", "containerPort": 9100, "protocol": "TCP"} in c["ports"]
        assert worker["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] == "9100"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_pod_runs_the_entry_module_of_its_own_service(rendered, overlay):
    """SERVICE comes from the pod's own name label; the image runs services.$SERVICE."""
    for service in SERVICES:
        for role in ("api", "worker"):
            deployment = named(rendered[overlay], "Deployment", f"{service}-{role}")
            source = env_of(container(deployment))["SERVICE"]["valueFrom"]["fieldRef"]["fieldPath"]
            assert source == f"metadata.labels['{SERVICE_LABEL}']"
            assert deployment["spec"]["template"]["metadata"]["labels"][SERVICE_LABEL] == service
            assert module_file(f"services.{service}") is not None, f"services/{service}/__main__.py is missing"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_settings_come_from_the_configmap_and_credentials_from_the_secret(rendered, overlay):
    docs = rendered[overlay]
    (config,) = of_kind(docs, "ConfigMap")
    assert {"MONGODB_DB", "KAFKA_BOOTSTRAP_SERVERS", "SMTP_HOST", "SMTP_PORT", "SMTP_FROM",
            "LOG_LEVEL", "WEB_CONCURRENCY", "ANALYTICS_MIN_GROUP_SIZE"} <= set(config["data"])
    assert not [k for k in config["data"] if re.search(r"SECRET|PASSWORD|USERNAME|MONGODB_URI", k)]
    for workload in workloads(docs):
        c = container(workload)
        assert c["envFrom"] == [{"configMapRef": {"name": config["metadata"]["name"]}}]
        secrets = {name: e["valueFrom"]["secretKeyRef"] for name, e in env_of(c).items()
                   if "secretKeyRef" in e.get("valueFrom", {})}
        assert secrets["MONGODB_URI"] == {"name": "tandem-secrets", "key": "MONGODB_URI"}  # required
        service = workload["spec"]["template"]["metadata"]["labels"].get(SERVICE_LABEL)
        if workload["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component") == "api":
            assert secrets["AUTH_JWT_SECRET"]["optional"] is True
            assert secrets["AUTH_JWKS_URL"]["optional"] is True
        mail = {"SMTP_USERNAME", "SMTP_PASSWORD", "WEBHOOK_SECRET"}
        assert (mail <= set(secrets)) == (service == "notifications"), workload["metadata"]["name"]


def test_prod_keeps_two_of_everything_spread_and_protected(rendered):
    docs = rendered["prod"]
    for service in SERVICES:
        api = named(docs, "Deployment", f"{service}-api")
        hpa = named(docs, "HorizontalPodAutoscaler", f"{service}-api")
        # The HPA owns the API's replica count; a fixed count in the manifest would fight it.
        assert "replicas" not in api["spec"] and hpa["spec"]["minReplicas"] >= 2
        assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
        assert named(docs, "Deployment", f"{service}-worker")["spec"]["replicas"] >= 2
        for role in ("api", "worker"):
            deployment = named(docs, "Deployment", f"{service}-{role}")
            pdb = named(docs, "PodDisruptionBudget", f"{service}-{role}")
            assert pdb["spec"] == {"minAvailable": 1, "selector": deployment["spec"]["selector"]}
            terms = deployment["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"][
                "preferredDuringSchedulingIgnoredDuringExecution"]
            assert [t["podAffinityTerm"]["labelSelector"] for t in terms] == [deployment["spec"]["selector"]]
            assert terms[0]["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"


def test_dev_runs_one_small_replica_of_everything(rendered):
    docs = rendered["dev"]
    for hpa in of_kind(docs, "HorizontalPodAutoscaler"):
        assert hpa["spec"]["minReplicas"] == 1
    for deployment in of_kind(docs, "Deployment"):
        assert deployment["spec"].get("replicas", 1) == 1
        assert container(deployment)["resources"]["requests"] == {"cpu": "50m", "memory": "128Mi"}
    for pdb in of_kind(docs, "PodDisruptionBudget"):
        assert pdb["spec"]["maxUnavailable"] == 1  # minAvailable would block node drains with one replica


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_provision_job_runs_shared_provision_before_the_rollout(rendered, overlay):
    docs = rendered[overlay]
    job = named(docs, "Job", "tandem-provision")
    assert container(job)["args"] == ["python", "-m", "shared.provision"]
    assert module_file("shared.provision") is not None, "shared/provision is missing"
    annotations = job["metadata"]["annotations"]
    assert annotations["argocd.argoproj.io/hook"] == "Sync"
    assert int(annotations["argocd.argoproj.io/sync-wave"]) < 0
    # `kubectl apply -k ... -l tandem-phase=provision` must bring along all the Job needs.
    (config,) = of_kind(docs, "ConfigMap")
    account = named(docs, "ServiceAccount", job["spec"]["template"]["spec"]["serviceAccountName"])
    for doc in (job, config, account):
        assert doc["metadata"]["labels"]["tandem-phase"] == "provision"
        assert int(doc["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]) <= int(
            annotations["argocd.argoproj.io/sync-wave"])


# --- network policies: who can reach whom -------------------------------------


def selects(policy: dict, labels: dict) -> bool:
    wanted = policy["spec"]["podSelector"].get("matchLabels", {})
    return all(labels.get(k) == v for k, v in wanted.items())


def allowed_ports(docs: list[dict], labels: dict, direction: str) -> set:
    """Ports a pod with these labels may use in that direction, per the union of policies."""
    key = {"Ingress": "ingress", "Egress": "egress"}[direction]
    ports = set()
    for policy in of_kind(docs, "NetworkPolicy"):
        if selects(policy, labels) and direction in policy["spec"]["policyTypes"]:
            for rule in policy["spec"].get(key, []):
                ports |= {p["port"] for p in rule["ports"]}
    return ports


def pod_labels(docs: list[dict], name: str, kind: str = "Deployment") -> dict:
    return named(docs, kind, name)["spec"]["template"]["metadata"]["labels"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_open_only_what_each_process_needs(rendered, overlay):
    docs = rendered[overlay]
    store_and_broker = {53, 27017, 9092}
    smtp_and_webhooks = {25, 465, 587, 443}
    for workload in workloads(docs):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        deny = [p for p in of_kind(docs, "NetworkPolicy") if selects(p, labels) and "ingress" not in p["spec"]
                and "egress" not in p["spec"] and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}]
        assert deny, f"{workload['metadata']['name']} is not covered by a default-deny policy"
    for service in SERVICES:
        mail = smtp_and_webhooks if service == "notifications" else set()
        api, worker = pod_labels(docs, f"{service}-api"), pod_labels(docs, f"{service}-worker")
        assert allowed_ports(docs, api, "Egress") == store_and_broker | {443} | mail
        assert allowed_ports(docs, worker, "Egress") == store_and_broker | mail
        assert allowed_ports(docs, api, "Ingress") == {"http"}
        assert allowed_ports(docs, worker, "Ingress") == {"metrics"}
    job = pod_labels(docs, "tandem-provision", kind="Job")
    assert allowed_ports(docs, job, "Egress") == store_and_broker
    assert allowed_ports(docs, job, "Ingress") == set()


# --- optional Prometheus Operator component -----------------------------------


def test_service_monitor_is_optional_and_scrapes_apis_and_workers(rendered):
    assert not [d for d in rendered["prod"] if d["apiVersion"].startswith("monitoring.coreos.com/")]
    docs = rendered["prod-service-monitor"]
    monitor = named(docs, "ServiceMonitor", "tandem-api")
    assert monitor["spec"]["endpoints"][0] == {"port": "http", "path": "/metrics", "interval": "30s"}
    wanted = monitor["spec"]["selector"]["matchLabels"].items()
    scraped = [s for s in of_kind(docs, "Service") if all(s["metadata"]["labels"].get(k) == v for k, v in wanted)]
    assert sorted(s["metadata"]["name"] for s in scraped) == sorted(f"{s}-api" for s in SERVICES)
    pods = named(docs, "PodMonitor", "tandem-worker")
    assert pods["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    # Without a namespaceSelector, monitors only look in their own namespace.
    assert {d["metadata"]["namespace"] for d in docs} == {"tandem"}


# --- container image ------------------------------------------------------------


def dockerfile_stages() -> list[list[str]]:
    """Dockerfile instructions (continuations joined, heredoc bodies kept), split by stage."""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    stages: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def dockerignore_includes(path: str) -> bool:
    included = True
    for pattern in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = pattern.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern):
            included = negate
    return included


def test_dockerfile_copies_only_existing_files_the_context_keeps():
    copies = [line.split()[1:] for stage in dockerfile_stages() for line in stage if line.startswith("COPY ")]
    sources = [args[-2] for args in copies if not any(a.startswith(("--from", "<<")) for a in args)]
    assert {"pyproject.toml", "shared", "services", "tandem_cli"} <= set(sources)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = [pyproject["readme"]] if isinstance(pyproject.get("readme"), str) else []
    needed += pyproject.get("license-files", [])
    assert set(needed) <= set(sources), "pip install . needs the files pyproject.toml names"
    for source in sources:
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
        assert dockerignore_includes(source), f".dockerignore keeps {source} out of the build context"
    for heavy in (".venv", ".tandem", ".git", "tests"):
        assert not dockerignore_includes(heavy)


def test_image_is_multi_stage_slim_non_root_and_probe_free():
    builder, final = dockerfile_stages()[1:]
    assert builder[0].startswith("FROM ${PYTHON_IMAGE} AS builder")
    assert final[0] == "FROM ${PYTHON_IMAGE}"
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile_stages()[0]
    assert any("pip install -r requirements.txt" in line for line in builder)
    assert builder[-1] == "RUN pip install --no-deps ."
    assert any(line.startswith("COPY --from=builder /opt/venv") for line in final)
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"0", "root"} and users[-1].split(":")[0].isdigit()
    assert not [line for stage in dockerfile_stages() for line in stage if line.startswith("HEALTHCHECK")]
    assert not [line for line in final if re.search(r"build-essential|\bgcc\b|apt-get install", line)]
    assert "ENV PATH=/opt/venv/bin:$PATH" in " ".join(final)


def test_image_entrypoint_runs_the_named_service_module():
    final = "\n".join(dockerfile_stages()[-1])
    assert 'exec python -m "services.${SERVICE:?' in final
    assert "PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus" in final
    assert 'ENTRYPOINT ["tandem-entrypoint"]' in final and 'CMD ["api"]' in final
    for service in SERVICES:
        assert module_file(f"services.{service}") is not None, f"services/{service}/__main__.py is missing"


# --- Grafana dashboard ----------------------------------------------------------

DASHBOARD_METRICS = {
    "tandem_http_requests_total", "tandem_http_request_duration_seconds_bucket", "tandem_events_handled_total",
    "tandem_consumer_lag", "tandem_dlq_messages_total", "tandem_outbox_pending", "tandem_notifications_total",
    "tandem_matching_run_duration_seconds_bucket", "tandem_program_active_mentorships",
    "tandem_program_sessions_completed", "tandem_program_goal_completion_ratio", "tandem_program_average_rating",
}


def test_dashboard_charts_every_service_metric_on_a_sound_grid():
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "tandem.json").read_text())
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    exprs = [t["expr"] for p in panels for t in p.get("targets", [])]
    used = {m for e in exprs for m in re.findall(r"\btandem_[a-z_]+", e)}
    assert used == DASHBOARD_METRICS, f"unknown: {used - DASHBOARD_METRICS}, unused: {DASHBOARD_METRICS - used}"
    for panel in panels:
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    cells = set()
    for panel in panels:
        g = panel["gridPos"]
        assert g["x"] + g["w"] <= 24
        area = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not cells & area, f"panel {panel['title']!r} overlaps another"
        cells |= area
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "service", "program"} <= variables
