"""deploy/compose.yaml: the laptop stack wires the services as DESIGN.md says."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
SERVICES = {"profiles": 8001, "matching": 8002, "notifications": 8003, "analytics": 8004}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def module_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base / "__main__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def tandem_containers(compose: dict) -> dict[str, dict]:
    """The containers built from the project's Dockerfile."""
    return {name: s for name, s in compose["services"].items() if "build" in s}


def entry_module(service: dict) -> str:
    """The module the image's entrypoint runs for this container's command."""
    command = service["command"]
    if command in (["api"], ["worker"]):
        return f"services.{service['environment']['SERVICE']}"
    assert command[:2] == ["python", "-m"], command
    return command[2]


def test_compose_file_loads_with_the_expected_services(compose):
    expected = {"mongo", "kafka", "mailpit", "provision"}
    expected |= {f"{s}-{role}" for s in SERVICES for role in ("api", "worker")}
    assert set(compose["services"]) == expected
    assert set(tandem_containers(compose)) == expected - {"mongo", "kafka", "mailpit"}


def test_every_command_runs_a_module_that_exists(compose):
    for name, service in tandem_containers(compose).items():
        module = entry_module(service)
        assert module_file(module) is not None, f"{name} runs {module}, which is not in the repository"


def test_each_service_runs_api_and_worker_on_its_design_port(compose):
    services = compose["services"]
    for service, port in SERVICES.items():
        api, worker = services[f"{service}-api"], services[f"{service}-worker"]
        assert api["command"] == ["api"] and worker["command"] == ["worker"]
        assert api["environment"]["SERVICE"] == worker["environment"]["SERVICE"] == service
        assert api["environment"]["PORT"] == str(port)
        assert api["ports"] == [f"127.0.0.1:{port}:{port}"]
        assert "ports" not in worker
        assert "/readyz" in " ".join(api["healthcheck"]["test"])


def test_all_tandem_containers_share_one_image_built_from_the_dockerfile(compose):
    for name, service in tandem_containers(compose).items():
        context = (COMPOSE.parent / service["build"]["context"]).resolve()
        assert context == ROOT, name
        assert (context / service["build"]["dockerfile"]).is_file(), name
        assert service["image"] == "tandem:local", name
        assert service["read_only"] is True and "/tmp" in service["tmpfs"], name


def test_services_start_after_provisioning_which_waits_for_healthy_store_and_broker(compose):
    services = compose["services"]
    provision = services["provision"]
    assert provision["command"] == ["python", "-m", "shared.provision"]
    assert provision["restart"] == "no"
    assert provision["depends_on"] == {"mongo": {"condition": "service_healthy"},
                                       "kafka": {"condition": "service_healthy"}}
    for name in tandem_containers(compose):
        if name != "provision":
            assert services[name]["depends_on"] == {"provision": {"condition": "service_completed_successfully"}}


def test_mongo_is_a_replica_set_initiated_by_its_healthcheck(compose):
    mongo = compose["services"]["mongo"]
    assert mongo["image"].startswith("mongo:")
    assert "--replSet" in mongo["command"]
    replica_set = mongo["command"][mongo["command"].index("--replSet") + 1]
    check = " ".join(mongo["healthcheck"]["test"])
    assert "rs.initiate" in check and f"_id: '{replica_set}'" in check and "isWritablePrimary" in check
    for name, service in tandem_containers(compose).items():
        uri = urlparse(service["environment"]["MONGODB_URI"])
        assert uri.hostname == "mongo" and uri.port == 27017, name
        assert parse_qs(uri.query)["replicaSet"] == [replica_set], name


def test_kafka_is_a_single_kraft_node_the_services_reach_on_its_internal_listener(compose):
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert not [k for k in env if "ZOOKEEPER" in k]
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"  # the provisioning step creates them
    advertised = dict(item.split("://") for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    internal = advertised[env["KAFKA_INTER_BROKER_LISTENER_NAME"]]
    assert internal.startswith("kafka:")
    for name, service in tandem_containers(compose).items():
        assert service["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == internal, name


def test_mail_goes_to_the_catcher_whose_inbox_opens_in_a_browser(compose):
    mailpit = compose["services"]["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit:")
    assert "127.0.0.1:8025:8025" in mailpit["ports"]
    for name, service in tandem_containers(compose).items():
        env = service["environment"]
        assert (env["SMTP_HOST"], env["SMTP_PORT"]) == ("mailpit", "1025"), name


def test_secrets_are_required_from_the_caller_never_written_down(compose):
    for name, service in tandem_containers(compose).items():
        for key in ("AUTH_JWT_SECRET", "WEBHOOK_SECRET"):
            assert re.fullmatch(rf"\$\{{{key}:\?[^}}]+\}}", service["environment"][key]), f"{name}: {key}"
