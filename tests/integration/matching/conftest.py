"""The profiles and matching services as real processes, shared by this package's tests."""

from __future__ import annotations

import pytest
from pymongo import MongoClient

from services.matching.adapters.indexes import INDEXES
from shared.mongo import Store
from tests.integration.matching.support import Tandem
from tests.support.kafka_tap import Tap
from tests.support.processes import running


@pytest.fixture(scope="package")
def profiles(infra, logs_dir):
    with running("profiles", infra, logs_dir) as service:
        yield service


@pytest.fixture(scope="package")
def matching(infra, logs_dir):
    with running("matching", infra, logs_dir) as service:
        yield service


@pytest.fixture(scope="package")
def tandem(profiles, matching) -> Tandem:
    return Tandem(profiles.url, matching.url)


@pytest.fixture(scope="package")
def taps(infra):
    """One reader per topic this package asserts on, from the topic's beginning."""
    opened: dict[str, Tap] = {}

    def tap(topic: str) -> Tap:
        if topic not in opened:
            opened[topic] = Tap(infra.kafka_bootstrap, topic)
        return opened[topic]

    yield tap
    for reader in opened.values():
        reader.close()


@pytest.fixture
def scratch_db(infra, uid):
    """A database of its own on the store under test, with matching's indexes, dropped afterwards."""
    name = f"{infra.mongodb_db}_scratch_{uid}"
    store = Store(infra.mongodb_uri, name)
    store.ensure_indexes(INDEXES)
    yield store.db
    MongoClient(infra.mongodb_uri).drop_database(name)
