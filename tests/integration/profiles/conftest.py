import pytest

from services.profiles.adapters.indexes import INDEXES
from shared.mongo import Store
from tests.support.http import Client, bearer
from tests.support.processes import running


@pytest.fixture(scope="package")
def profiles(infra, logs_dir):
    """The profiles service as real api + worker processes."""
    with running("profiles", infra, logs_dir, MAX_BODY_BYTES=str(2 * 1024 * 1024)) as service:
        yield service


@pytest.fixture
def hr(profiles) -> Client:
    return Client(profiles.url, bearer("hr_admin"))


def person(uid: str, **overrides) -> dict:
    return {"name": f"Yara {uid}", "email": f"yara.{uid}@example.com", "department": "Engineering", "grade": 6,
            "roles": ["mentee"], "timezone": "Europe/Berlin", "languages": ["en", "de"],
            "skills": [{"name": "Python", "level": 2}], "bio": "private bio text", **overrides}



@pytest.fixture
def scratch(infra, uid):
    """A database of its own on the store under test, with profiles' indexes and no worker relaying it."""
    store = Store(infra.mongodb_uri, f"{infra.mongodb_db}_profiles_{uid}")
    store.ensure_indexes(INDEXES)
    yield store.db
    store.client.drop_database(store.db.name)
