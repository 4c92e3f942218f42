import pytest

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
