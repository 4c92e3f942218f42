"""One SMTP server, one webhook receiver, and the profiles + notifications services for this package."""

from __future__ import annotations

import pytest

from tests.integration.notifications.support import Bus, HookReceiver, Store, smtp_sink
from tests.integration.notifications.team import make_team
from tests.support.http import Client, bearer
from tests.support.kafka_tap import Tap
from tests.support.processes import running

WEBHOOK_SECRET = "whsec-test-3f9a2c"
RETRY_ATTEMPTS = 3


@pytest.fixture(scope="package")
def sink():
    with smtp_sink() as mail:
        yield mail


@pytest.fixture(scope="package")
def hooks():
    receiver = HookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="package")
def notify_env(sink) -> dict[str, str]:
    """Short retries, a fast dispatcher and a 1 s scheduler so the suite stays quick; webhooks may go to the
    local receiver."""
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port), "SMTP_FROM": "Tandem <tandem@example.com>",
            "WEBHOOK_SECRET": WEBHOOK_SECRET, "NOTIFY_RETRY_BASE_SECONDS": "0.3", "NOTIFY_RETRY_FACTOR": "2",
            "NOTIFY_MAX_ATTEMPTS": str(RETRY_ATTEMPTS), "NOTIFY_DISPATCH_POLL_SECONDS": "0.1",
            "NOTIFY_JOB_EVERY_SECONDS": "1", "NOTIFY_WEBHOOK_ALLOW_PRIVATE": "1"}  # the receiver is on 127.0.0.1


@pytest.fixture(scope="package")
def profiles(infra, logs_dir):
    with running("profiles", infra, logs_dir) as service:
        yield service


@pytest.fixture(scope="package")
def notifications(infra, logs_dir, notify_env):
    with running("notifications", infra, logs_dir, **notify_env) as service:
        yield service


@pytest.fixture(scope="package")
def bus(infra):
    producer = Bus(infra.kafka_bootstrap)
    yield producer
    producer.close()


@pytest.fixture(scope="package")
def store(infra) -> Store:
    return Store(infra.mongodb_uri, infra.mongodb_db)


@pytest.fixture
def team(hr, bus, store, notifications, uid):
    """A fresh program with a mentor, a mentee and the mentee's manager, known to notifications."""
    return make_team(hr, bus, store, uid)


@pytest.fixture(scope="module")
def outcomes(infra):
    """The `mentoring.notification.*` events, read from the topic's start."""
    tap = Tap(infra.kafka_bootstrap, "mentoring.notifications")
    yield tap
    tap.close()


@pytest.fixture(scope="package")
def hr(profiles) -> Client:
    return Client(profiles.url, bearer("hr_admin"))


@pytest.fixture(scope="package")
def admin(notifications) -> Client:
    return Client(notifications.url, bearer("program_admin", employee_id="admin-ops"))


@pytest.fixture(scope="package")
def api(notifications) -> Client:
    """The notifications API without a token; pass headers per call."""
    return Client(notifications.url)
