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
    stack.start_all(smtp=False)  # notifications tests run their own SMTP servers
    cleanups.append(stack.stop_all)
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
    """Kafka (KRaft) and a one-node MongoDB replica set via testcontainers."""
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.mongodb import MongoDbContainer

    kafka = KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft().start()
    cleanups.append(kafka.stop)
    mongo = MongoDbContainer("mongo:7.0").start()
    cleanups.append(mongo.stop)
    return kafka.get_bootstrap_server(), mongo.get_connection_url()


free_port = local_stack.free_port
