"""The store under test: whatever `MONGODB_URI` names (else the suite's own SecantusDB), in a scratch database."""

from __future__ import annotations

import pytest
from pymongo import MongoClient


@pytest.fixture(scope="package")
def client(infra):
    client = MongoClient(infra.mongodb_uri, maxPoolSize=32, tz_aware=True)
    yield client
    client.close()


@pytest.fixture
def db(client, infra, uid):
    name = f"{infra.mongodb_db}_store_{uid}"
    yield client[name]
    client.drop_database(name)
