"""Offline checks of rendered Kubernetes manifests (called by validate.sh).

    python deploy/k8s/validate.py [--kubernetes-version 1.30.0] RENDERED.yaml...

Every document is checked against the Kubernetes OpenAPI schemas of the given
version in strict mode (unknown fields are errors) with kubernetes-validate.
A kind with no schema is an error, except the Prometheus Operator CRDs
(ServiceMonitor, PodMonitor), which core schemas do not cover: those get a
structural check here instead. Then the references between documents that
no schema can see: selectors that match their pods, named ports that exist,
HPA targets, ConfigMaps and ServiceAccounts that are part of the render.
Exit status 0 when everything passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import kubernetes_validate
import yaml

# Made outside the manifests by the operator (deploy/README.md).
EXTERNAL_SECRETS = {"tandem-secrets"}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}


def load(paths: list[Path]) -> list[dict]:
    """All non-empty YAML documents of the given files."""
    return [doc for path in paths for doc in yaml.safe_load_all(path.read_text()) if doc]


def ident(doc: dict) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def schema_errors(doc: dict, version: str) -> Iterator[str]:
    if doc.get("apiVersion") == "monitoring.coreos.com/v1":
        yield from monitor_structure_errors(doc)
        return
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(p) for p in error.path)
        yield f"{ident(doc)}: {path}: {error.message}"
    except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as error:
        yield f"{ident(doc)}: {error.message}"


def monitor_structure_errors(doc: dict) -> Iterator[str]:
    """ServiceMonitor/PodMonitor: the fields the Prometheus Operator needs."""
    endpoints_key = {"ServiceMonitor": "endpoints", "PodMonitor": "podMetricsEndpoints"}.get(doc["kind"])
    if endpoints_key is None:
        yield f"{ident(doc)}: unexpected kind in monitoring.coreos.com/v1"
        return
    spec = doc.get("spec") or {}
    unknown = set(spec) - {"jobLabel", "selector", "namespaceSelector", endpoints_key}
    if unknown:
        yield f"{ident(doc)}: unexpected spec fields {sorted(unknown)}"
    if not (spec.get("selector") or {}).get("matchLabels"):
        yield f"{ident(doc)}: spec.selector.matchLabels is required"
    endpoints = spec.get(endpoints_key) or []
    if not endpoints:
        yield f"{ident(doc)}: spec.{endpoints_key} is empty"
    for endpoint in endpoints:
        if not isinstance(endpoint.get("port"), str) or not str(endpoint.get("path", "/")).startswith("/"):
            yield f"{ident(doc)}: each endpoint needs a named port and an absolute path"


def matches(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def pod_templates(docs: list[dict]) -> Iterator[tuple[dict, dict]]:
    for doc in docs:
        if doc["kind"] in WORKLOAD_KINDS:
            yield doc, doc["spec"]["template"]


def port_names(template: dict) -> set[str]:
    return {p.get("name") for c in template["spec"]["containers"] for p in c.get("ports", [])}


def reference_errors(docs: list[dict]) -> Iterator[str]:
    """Cross-document references that schemas cannot check."""
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    seen: set[tuple[str, str, str]] = set()
    for doc in docs:
        key = (doc["kind"], doc["metadata"].get("namespace", ""), doc["metadata"]["name"])
        if key in seen:
            yield f"{ident(doc)}: defined twice"
        seen.add(key)
    templates = list(pod_templates(docs))
    for owner, template in templates:
        yield from pod_reference_errors(owner, template, names)
    for doc in docs:
        kind, spec = doc["kind"], doc.get("spec") or {}
        if kind == "Service":
            pods = [t for _, t in templates if matches(spec.get("selector"), t["metadata"].get("labels", {}))]
            if not pods:
                yield f"{ident(doc)}: selector matches no pod template"
            for port in spec.get("ports", []):
                target = port.get("targetPort")
                if isinstance(target, str) and any(target not in port_names(t) for t in pods):
                    yield f"{ident(doc)}: targetPort {target!r} is not a container port of its pods"
        elif kind in {"PodDisruptionBudget", "Deployment"}:
            selector = (spec.get("selector") or {}).get("matchLabels")
            owners = [o for o, t in templates if matches(selector, t["metadata"].get("labels", {}))]
            if not owners:
                yield f"{ident(doc)}: selector matches no pod template"
            elif kind == "Deployment" and owners != [doc]:
                yield f"{ident(doc)}: selector also matches the pods of {[ident(o) for o in owners if o is not doc]}"
            elif len(owners) > 1:
                yield f"{ident(doc)}: selector spans several workloads {[ident(o) for o in owners]}"
        elif kind == "HorizontalPodAutoscaler":
            target = spec["scaleTargetRef"]
            if (target["kind"], target["name"]) not in names:
                yield f"{ident(doc)}: scaleTargetRef {target['kind']}/{target['name']} is not rendered"
        elif kind in {"ServiceMonitor", "PodMonitor"}:
            yield from monitor_reference_errors(doc, docs, templates)


def pod_reference_errors(owner: dict, template: dict, names: set[tuple[str, str]]) -> Iterator[str]:
    spec = template["spec"]
    account = spec.get("serviceAccountName")
    if account and ("ServiceAccount", account) not in names:
        yield f"{ident(owner)}: ServiceAccount {account} is not rendered"
    for container in spec["containers"]:
        for source in container.get("envFrom", []):
            ref = source.get("configMapRef", {}).get("name")
            if ref and ("ConfigMap", ref) not in names:
                yield f"{ident(owner)}: ConfigMap {ref} is not rendered"
        for env in container.get("env", []):
            secret = (env.get("valueFrom") or {}).get("secretKeyRef", {}).get("name")
            if secret and secret not in EXTERNAL_SECRETS and ("Secret", secret) not in names:
                yield f"{ident(owner)}: Secret {secret} is neither rendered nor a documented external Secret"
        ports = {p.get("name") for p in container.get("ports", [])}
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            port = (container.get(probe) or {}).get("httpGet", {}).get("port")
            if isinstance(port, str) and port not in ports:
                yield f"{ident(owner)}: {probe} uses unknown port {port!r}"


def monitor_reference_errors(doc: dict, docs: list[dict], templates: list) -> Iterator[str]:
    selector = doc["spec"]["selector"]["matchLabels"]
    if doc["kind"] == "ServiceMonitor":
        targets = [d for d in docs if d["kind"] == "Service" and matches(selector, d["metadata"].get("labels", {}))]
        ports = [{p.get("name") for p in s["spec"]["ports"]} for s in targets]
        wanted = [e["port"] for e in doc["spec"]["endpoints"]]
    else:
        targets = [t for _, t in templates if matches(selector, t["metadata"].get("labels", {}))]
        ports = [port_names(t) for t in targets]
        wanted = [e["port"] for e in doc["spec"]["podMetricsEndpoints"]]
    if not targets:
        yield f"{ident(doc)}: selector matches nothing rendered"
    for port in wanted:
        if any(port not in names for names in ports):
            yield f"{ident(doc)}: port {port!r} is missing on some selected targets"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", default="1.30.0")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failed = False
    for path in args.files:
        docs = load([path])
        errors = [e for d in docs for e in schema_errors(d, args.kubernetes_version)]
        errors += [] if errors else list(reference_errors(docs))
        for error in errors:
            print(f"ERROR {path.name}: {error}")
        failed |= bool(errors)
        if not errors:
            print(f"OK    {path.name}: {len(docs)} documents valid against Kubernetes "
                  f"{args.kubernetes_version} (strict) with consistent references")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
