import pytest

from tests.support.http import Client, bearer
from tests.support.processes import ServiceProcess


@pytest.fixture(scope="package")
def profiles(infra, logs_dir):
    """The profiles service as real api + worker processes."""
    service = ServiceProcess("profiles", infra, logs_dir, MAX_BODY_BYTES=str(2 * 1024 * 1024)).start()
    yield service
    service.stop()


@pytest.fixture
def hr(profiles) -> Client:
    return Client(profiles.url, bearer("hr_admin"))


def person(uid: str, **overrides) -> dict:
    return {"name": f"Yara {uid}", "email": f"yara.{uid}@example.com", "department": "Engineering", "grade": 6,
            "roles": ["mentee"], "timezone": "Europe/Berlin", "languages": ["en", "de"],
            "skills": [{"name": "Python", "level": 2}], "bio": "private bio text", **overrides}
