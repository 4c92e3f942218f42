"""One profiles and one analytics service (api + worker) for the analytics integration tests."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.analytics import world as scenario
from tests.support.http import Client, bearer
from tests.support.processes import ServiceProcess, assert_quiet, running

GROUP = "analytics-it"


@pytest.fixture(scope="package")
def profiles(infra, logs_dir):
    with running("profiles", infra, logs_dir) as service:
        yield service


@pytest.fixture(scope="package")
def analytics(infra, logs_dir, tmp_path_factory):
    """Metrics in multiprocess mode, as `make up` and the Kubernetes manifests run them."""
    service = ServiceProcess("analytics", infra, logs_dir, ANALYTICS_CONSUMER_GROUP=GROUP,
                             ANALYTICS_GAUGE_EVERY_SECONDS="1", ANALYTICS_REPORT_PAUSE_SECONDS="0.2",
                             PROMETHEUS_MULTIPROC_DIR=str(tmp_path_factory.mktemp("analytics-prometheus")))
    service.start("api")  # the api clears stale metric files at start: let it do so before the worker writes
    service.start("worker")
    yield service
    service.stop()
    assert_quiet(service)


@pytest.fixture(scope="package")
def admin(analytics) -> Client:
    return Client(analytics.url, bearer("program_admin"))


@pytest.fixture(scope="package")
def world(infra, profiles, analytics) -> scenario.World:
    hr = Client(profiles.url, bearer("hr_admin"))
    return scenario.build(hr, infra.kafka_bootstrap, uuid.uuid4().hex[:8])
