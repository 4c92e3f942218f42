"""The test suite's infrastructure: the real broker and store, started by the project's own launcher.

`KAFKA_BOOTSTRAP_SERVERS` / `MONGODB_URI` point the tests at existing servers instead; otherwise a
private LocalStack runs on free ports so it never collides with a running `make up`.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy" / "local"))

import stack as local_stack  # noqa: E402  (deploy/local is not a package)

TEST_SECRET = "tandem-test-secret-0123456789abcdef0123456789"
TEST_PSEUDONYM_KEY = "7e57" * 16  # analytics' ANALYTICS_PSEUDONYM_KEY: 32 bytes in hex


@dataclass
class Infra:
    kafka_bootstrap: str
    mongodb_uri: str
    mongodb_db: str
    smtp_host: str | None
    smtp_port: int | None
    mail_dir: Path | None
    stack: local_stack.LocalStack | None  # None when pointed at external servers

    def service_env(self, **extra: str) -> dict[str, str]:
        """Environment for a service process under test."""
        env = {"KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap, "MONGODB_URI": self.mongodb_uri,
               "MONGODB_DB": self.mongodb_db, "AUTH_JWT_SECRET": TEST_SECRET, "HOST": "127.0.0.1",
               "ANALYTICS_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
               "WEB_CONCURRENCY": "1", "OUTBOX_POLL_SECONDS": "0.1", "LOG_LEVEL": "INFO"}
        if self.smtp_host:
            env |= {"SMTP_HOST": self.smtp_host, "SMTP_PORT": str(self.smtp_port)}
        return {**env, **extra}

    def stop_kafka(self) -> None:
        self._require_stack().stop_kafka()

    def start_kafka(self) -> None:
        self._require_stack().start_kafka()

    def _require_stack(self) -> local_stack.LocalStack:
        if self.stack is None:
            raise RuntimeError("broker restarts need the suite's own local stack")
        return self.stack


def start_infra(home: Path, cleanups: list) -> Infra:
    """Servers from the environment, else containers when Docker answers, else the local stack."""
    db = f"tandem_test_{uuid.uuid4().hex[:8]}"
    kafka, mongo = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URI")
    if kafka and mongo:
        return Infra(kafka, mongo, db, None, None, None, None)
    if not kafka and not mongo and docker_answers():
        kafka, mongo = start_containers(cleanups)
        return Infra(kafka, mongo, db, None, None, None, None)
    stack = local_stack.LocalStack(home=home, ports=local_stack.StackPorts.ephemeral())
    cleanups.append(stack.stop_all)  # before starting: a start that fails half-way leaves nothing running
    stack.start_all(smtp=False)  # notifications tests run their own SMTP servers
    return Infra(kafka or stack.kafka_bootstrap, mongo or stack.mongodb_uri, db, None, None, None, stack)


def docker_answers() -> bool:
    """True when a Docker engine (not only the client) is reachable."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # no engine, no socket, no permission: use the local stack
        return False


def start_containers(cleanups: list) -> tuple[str, str]:
    """Kafka (KRaft) and a one-node MongoDB replica set via testcontainers.

    A standalone mongod has no transactions, which the idempotent consumer needs; MongoDbContainer
    starts one with credentials, and a replica set with auth would also need a key file, so this is
    a plain mongod with --replSet, initiated once it listens.
    """
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    kafka = KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft().start()
    cleanups.append(kafka.stop)
    mongo = DockerContainer("mongo:7.0").with_command("mongod --replSet rs0 --bind_ip_all").with_exposed_ports(27017)
    mongo.start()
    cleanups.append(mongo.stop)
    wait_for_logs(mongo, "Waiting for connections", timeout=60)
    initiate = "rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'localhost:27017'}]})"
    mongo.exec(["mongosh", "--quiet", "--eval", initiate])
    uri = f"mongodb://{mongo.get_container_host_ip()}:{mongo.get_exposed_port(27017)}/?directConnection=true"
    _wait_writable_primary(uri)
    return kafka.get_bootstrap_server(), uri


def _wait_writable_primary(uri: str, timeout: float = 60.0) -> None:
    from pymongo import MongoClient

    from tests.support.polling import wait_for

    client = MongoClient(uri, serverSelectionTimeoutMS=2000)
    try:
        wait_for(lambda: client.admin.command("hello").get("isWritablePrimary"), timeout=timeout,
                 message="the MongoDB replica set to elect its primary")
    finally:
        client.close()


free_port = local_stack.free_port
