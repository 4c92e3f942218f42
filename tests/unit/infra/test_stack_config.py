"""Unit tests for deploy/local/stack.py: configuration and bookkeeping only, no servers started."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "deploy" / "local"))

import stack  # noqa: E402


def parse_properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_kafka_properties_single_node_kraft(tmp_path: Path) -> None:
    ports = stack.StackPorts(kafka=19092, controller=19093)
    props = parse_properties(stack.kafka_server_properties(tmp_path / "data", ports))

    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert props["log.dirs"] == str(tmp_path / "data")
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "min.insync.replicas",
    ):
        assert props[key] == "1"
    assert props["auto.create.topics.enable"] == "true"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert int(props["group.min.session.timeout.ms"]) <= 1000


def test_cluster_id_is_a_kafka_uuid() -> None:
    for _ in range(50):
        cluster_id = stack.new_kafka_cluster_id()
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_kafka_version_read_from_pom() -> None:
    assert stack.kafka_version(stack.REPO_ROOT / "deploy" / "local" / "pom.xml").startswith("3.9.")


def test_the_store_listens_on_loopback_only_and_syncs_every_commit(tmp_path: Path) -> None:
    cmd = stack.secantus_command(Path("/bin/secantusd-py"), tmp_path / "a dir", 27018)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "27018"
    assert cmd[cmd.index("--storage-path") + 1] == str(tmp_path / "a dir")
    assert "--sync-on-commit" in cmd  # without it a SIGKILL loses acknowledged writes


def test_a_home_with_retired_ferretdb_data_is_refused_with_how_to_start_afresh(tmp_path: Path) -> None:
    (tmp_path / "ferretdb").mkdir()
    (tmp_path / "ferretdb" / "tandem.sqlite").write_text("old")
    with pytest.raises(stack.StackError, match="rm -rf"):
        stack.LocalStack(tmp_path, stack.StackPorts.ephemeral()).refuse_retired_store()
    (tmp_path / "ferretdb" / "tandem.sqlite").unlink()
    stack.LocalStack(tmp_path, stack.StackPorts.ephemeral()).refuse_retired_store()  # an empty leftover is fine


def test_ephemeral_ports_are_distinct_and_free() -> None:
    ports = stack.StackPorts.ephemeral()
    values = [ports.kafka, ports.controller, ports.mongo, ports.smtp, ports.smtp_web]
    assert len(set(values)) == 5
    assert not any(stack.port_open(port) for port in values)


def test_addresses(tmp_path: Path) -> None:
    local = stack.LocalStack(tmp_path, stack.StackPorts(kafka=1, controller=2, mongo=3, smtp=4, smtp_web=5))
    assert local.kafka_bootstrap == "127.0.0.1:1"
    assert local.mongodb_uri == "mongodb://127.0.0.1:3/"
    assert (local.smtp_host, local.smtp_port) == ("127.0.0.1", 4)
    assert local.mail_dir == tmp_path.resolve() / "mail"
    assert local.env(smtp=False) == {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "MONGODB_URI": "mongodb://127.0.0.1:3/"}


def test_pid_files_only_name_our_processes(tmp_path: Path) -> None:
    local = stack.LocalStack(tmp_path, stack.StackPorts.ephemeral())
    run = tmp_path / "run"
    run.mkdir()
    # A live process that is not ours (pid reuse): never reported, never signalled.
    (run / "kafka.pid").write_text(f"{os.getpid()}\n")
    assert local.running_pid("kafka") is None
    local.stop_kafka()
    assert not (run / "kafka.pid").exists()

    # One of ours (home on its command line) that exits: reaped and reported gone.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", f"{local.home}/marker"])
    (run / "mongo.pid").write_text(f"{child.pid}\n")
    assert local.running_pid("mongo") == child.pid
    local.stop_mongo()
    assert not stack.pid_alive(child.pid)  # stop_mongo already reaped it (returncode lost to us)
    child.wait(timeout=5)
    assert local.status() == {"kafka": None, "mongo": None, "smtp": None}


def test_missing_tool_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(stack.MissingTool) as caught:
        stack.require_tool("mvn", "download the Kafka broker jars")
    assert caught.value.tool == "mvn"
